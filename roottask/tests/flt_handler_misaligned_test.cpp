// Misaligned accesses the hardware refuses, with a fault handler. On QEMU's virt machine
// (and many real cores) a plain load at any address just works, and is no fault; atomics
// are refused: an amoadd.w at an address that is 2 mod 4 is a store/AMO
// address-misaligned exception (scause 6) and an lr.w there a load address-misaligned
// one (scause 4). Each arrives as a user exception of kind MisalignedAccess whose value
// is the address; the handler skips the instruction, and the memory is as it was (the
// AMO did not half-happen).
#include "fault_support.hpp"

using namespace tessera;
using namespace tessera::roottask::fault_tests;

extern "C" {
extern const char flt_h_misaligned_amo[];
extern const char flt_h_misaligned_lr[];
}

namespace {

constexpr u64 kBadge = 0xf108;
constexpr u64 kAmoOffset = 0x102; // 2 mod 4
constexpr u64 kLrOffset = 0x10a;  // 2 mod 4 too
constexpr u64 kFill = 0x1111'2222'3333'4444;

struct MisalignedOutcome {
    volatile u64 plain; // what the misaligned plain load read
    volatile u64 sp_amo;
    volatile u64 sp_lr;
    volatile bool done;
};
MisalignedOutcome g_misaligned;

[[gnu::noinline]] void misaligned_atomics(u64 page) {
    register u64 sp_amo asm("t0");
    register u64 sp_lr asm("t1");
    u64 plain, old_value, reserved;
    asm volatile(".option push\n"
                 ".option norvc\n"
                 "  ld %[plain], 0(%[amo])\n"
                 "  mv %[sp_amo], sp\n"
                 ".globl flt_h_misaligned_amo\n"
                 "flt_h_misaligned_amo:\n"
                 "  amoadd.w %[old], %[one], (%[amo])\n"
                 "  mv %[sp_lr], sp\n"
                 ".globl flt_h_misaligned_lr\n"
                 "flt_h_misaligned_lr:\n"
                 "  lr.w %[reserved], (%[lr])\n"
                 ".option pop\n"
                 : [sp_amo] "=&r"(sp_amo), [sp_lr] "=&r"(sp_lr), [plain] "=&r"(plain), [old] "=&r"(old_value),
                   [reserved] "=&r"(reserved)
                 : [amo] "r"(page + kAmoOffset), [lr] "r"(page + kLrOffset), [one] "r"(u64{1})
                 : "memory");
    g_misaligned.plain = plain;
    g_misaligned.sp_amo = sp_amo;
    g_misaligned.sp_lr = sp_lr;
    g_misaligned.done = true;
}

} // namespace

ROOTTASK_TEST(FLT0108, "a misaligned amoadd.w and lr.w arrive as user exceptions (MisalignedAccess, cause 6 and 4, the address); skipped") {
    g_misaligned.plain = 0;
    g_misaligned.sp_amo = 0;
    g_misaligned.sp_lr = 0;
    g_misaligned.done = false;
    FaultChannel channel = REQUIRE_OK(t, make_fault_channel(t, kBadge));
    const u64 page = REQUIRE_OK(t, t.new_mapped_page());
    volatile u64* words = reinterpret_cast<volatile u64*>(page);
    for (u64 i = 0; i < kPageBytes / sizeof(u64); ++i) words[i] = kFill;
    user::Tcb thread = REQUIRE_OK(
        t, make_handled_thread(t, "fault-h-misal", misaligned_atomics, page, kRoot + 1, channel.handler_cap));
    REQUIRE_OK(t, thread.resume());
    const u64 sp = REQUIRE_OK(t, thread.read_registers()).reg(2);

    const u64 amo = reinterpret_cast<u64>(flt_h_misaligned_amo);
    expect_fault(t, "the amoadd.w", take_fault(channel),
                 user_exception(kBadge, amo, sp, UserExceptionKind::MisalignedAccess, kCauseMisalignedStore,
                                page + kAmoOffset));
    t.expect(answer(channel, skip_instruction(amo)) == IpcStatus::Ok, "the handler's first Reply failed");

    // Skipped, it went on to the lr.w and faulted again.
    t.expect(!g_misaligned.done, "the thread went past the misaligned lr.w unanswered");
    const u64 lr = reinterpret_cast<u64>(flt_h_misaligned_lr);
    expect_fault(t, "the lr.w", take_fault(channel),
                 user_exception(kBadge, lr, sp, UserExceptionKind::MisalignedAccess, kCauseMisalignedLoad,
                                page + kLrOffset));
    t.expect(answer(channel, skip_instruction(lr)) == IpcStatus::Ok, "the handler's second Reply failed");

    t.expect(g_misaligned.done, "skipped twice, the thread did not go on");
    // Little-endian: the eight bytes from 2 mod 8 are the fill pattern rotated by 16 bits.
    const u64 plain = (kFill >> 16) | (kFill << 48);
    t.expect(g_misaligned.plain == plain, "the misaligned plain load read {}, expected {}",
             kstd::Hex{g_misaligned.plain}, kstd::Hex{plain});
    t.expect(g_misaligned.sp_amo == sp && g_misaligned.sp_lr == sp,
             "the thread's sp was {} and {}, the messages said {}", kstd::Hex{g_misaligned.sp_amo},
             kstd::Hex{g_misaligned.sp_lr}, kstd::Hex{sp});
    u64 changed = 0;
    for (u64 i = 0; i < kPageBytes / sizeof(u64); ++i) changed += words[i] == kFill ? 0 : 1;
    t.expect(changed == 0, "{} words of the page changed: the refused AMO wrote to memory", changed);
    t.expect(take_fault(channel).status == IpcStatus::NothingPending, "a third fault arrived");
    stop(t, thread);
}
