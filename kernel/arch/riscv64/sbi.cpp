#include <arch/sbi.hpp>

namespace arch::sbi {

namespace {

constexpr u64 kExtensionBase = 0x10;
constexpr u64 kLegacyConsolePutchar = 0x01;
constexpr u64 kLegacySetTimer = 0x00;
constexpr u64 kLegacyShutdown = 0x08;

Ret call(u64 extension, u64 function, u64 arg0 = 0, u64 arg1 = 0, u64 arg2 = 0) {
    register u64 a0 asm("a0") = arg0;
    register u64 a1 asm("a1") = arg1;
    register u64 a2 asm("a2") = arg2;
    register u64 a6 asm("a6") = function;
    register u64 a7 asm("a7") = extension;
    asm volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a2), "r"(a6), "r"(a7) : "memory");
    return Ret{static_cast<Error>(a0), static_cast<i64>(a1)};
}

} // namespace

bool probe_extension(u64 extension_id) {
    Ret ret = call(kExtensionBase, 3, extension_id);
    return ret.error == Error::Success && ret.value != 0;
}

// The legacy console call is the one output path every SBI implementation offers, and it
// works before the kernel knows anything about the machine.
void console_putchar(char c) { call(kLegacyConsolePutchar, 0, static_cast<u8>(c)); }

Ret set_timer(u64 deadline) {
    static const bool has_time_extension = probe_extension(kExtensionTime);
    if (has_time_extension) return call(kExtensionTime, 0, deadline);
    return call(kLegacySetTimer, 0, deadline);
}

Ret hart_get_status(u64 hart_id) { return call(kExtensionHsm, 2, hart_id); }

void system_reset(bool failure) {
    constexpr u64 kShutdown = 0;
    constexpr u64 kReasonNone = 0;
    constexpr u64 kReasonFailure = 1;
    call(kExtensionReset, 0, kShutdown, failure ? kReasonFailure : kReasonNone);
    call(kLegacyShutdown, 0);
    // Both calls returned: the firmware has no power-off device (a device tree broken
    // badly enough misleads the firmware too). Say so, then stop this hart for good.
    const char* message = "\r\nSBI: the firmware cannot power off; this hart stops here\r\n";
    for (const char* c = message; *c != '\0'; ++c) console_putchar(*c);
    asm volatile("csrw sie, zero");
    for (;;) asm volatile("wfi");
}

const char* error_name(Error error) {
    switch (error) {
    case Error::Success: return "success";
    case Error::Failed: return "failed";
    case Error::NotSupported: return "not supported";
    case Error::InvalidParam: return "invalid parameter";
    case Error::Denied: return "denied";
    case Error::InvalidAddress: return "invalid address";
    case Error::AlreadyAvailable: return "already available";
    case Error::AlreadyStarted: return "already started";
    case Error::AlreadyStopped: return "already stopped";
    }
    return "unknown error";
}

} // namespace arch::sbi
