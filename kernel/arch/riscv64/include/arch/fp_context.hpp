#pragma once
// A user thread's floating-point registers (the D extension: f0..f31 and fcsr). The
// kernel itself never uses floating point; it only saves a thread's registers when the
// thread dirtied them and loads them when another thread's are in the hardware.
#include <kstd/types.hpp>

namespace arch {

struct FpContext {
    u64 f[32];
    u64 fcsr;
};
static_assert(sizeof(FpContext) == 33 * 8, "fp_context.S stores fcsr at offset 256");

struct TrapFrame;

// On every entry from user mode: saves the registers if the thread dirtied them.
void save_user_fp(TrapFrame& frame, FpContext& context);
// Before returning to user mode: makes the hardware hold `context`, loading it unless it
// is there already.
void load_user_fp(TrapFrame& frame, FpContext& context);
// The context's owner is being deleted: its memory may become another thread's.
void forget_user_fp(const FpContext& context);

} // namespace arch
