#pragma once
// riscv64 trap handling shared between trap.cpp and the architecture's self-tests.
#include <kstd/types.hpp>

namespace tessera {
struct UserException;
}

namespace arch {

// A kernel breakpoint at exactly this address is stepped over instead of panicking; the
// register round-trip self-test uses it to take a real trap and come back.
void expect_kernel_breakpoint(u64 program_counter);
u64 kernel_breakpoints_taken();

const char* exception_name(u64 cause);

// A user thread's exception as the kernel's fault path sees it: a page fault and its
// access, or another exception and its kind (abi/faults.hpp).
struct TrapFrame;
tessera::UserException classify_user_exception(const TrapFrame& frame);

// Sends an interrupt trap to the kernel's dispatcher through the cause table.
void dispatch_interrupt(const TrapFrame& frame);

} // namespace arch
