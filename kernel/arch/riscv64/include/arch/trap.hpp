#pragma once
// riscv64 trap handling shared between trap.cpp and the architecture's self-tests.
#include <kstd/types.hpp>

namespace arch {

// A kernel breakpoint at exactly this address is stepped over instead of panicking; the
// register round-trip self-test uses it to take a real trap and come back.
void expect_kernel_breakpoint(u64 program_counter);
u64 kernel_breakpoints_taken();

const char* exception_name(u64 cause);

// Sends an interrupt trap to the kernel's dispatcher through the cause table.
struct TrapFrame;
void dispatch_interrupt(const TrapFrame& frame);

} // namespace arch
