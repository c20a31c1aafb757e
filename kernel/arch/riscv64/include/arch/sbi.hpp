#pragma once
// Calls into the SBI firmware (OpenSBI), following the RISC-V SBI specification: the
// extension id in a7, the function id in a6, error and value back in a0 and a1.
#include <kstd/types.hpp>

namespace arch::sbi {

enum class Error : i64 {
    Success = 0,
    Failed = -1,
    NotSupported = -2,
    InvalidParam = -3,
    Denied = -4,
    InvalidAddress = -5,
    AlreadyAvailable = -6,
    AlreadyStarted = -7,
    AlreadyStopped = -8,
};

struct Ret {
    Error error;
    i64 value;
};

enum class HartState : i64 {
    Started = 0,
    Stopped = 1,
    StartPending = 2,
    StopPending = 3,
    Suspended = 4,
    SuspendPending = 5,
    ResumePending = 6,
};

bool probe_extension(u64 extension_id);
void console_putchar(char c);
Ret set_timer(u64 deadline);
Ret hart_get_status(u64 hart_id);
[[noreturn]] void system_reset(bool failure);
const char* error_name(Error error);

inline constexpr u64 kExtensionTime = 0x54494d45;     // "TIME"
inline constexpr u64 kExtensionHsm = 0x48534d;        // "HSM"
inline constexpr u64 kExtensionReset = 0x53525354;    // "SRST"

} // namespace arch::sbi
