#pragma once
// The kernel's own address space on riscv64, for code that inspects it (self-tests) and,
// later, for copying the kernel half into every user address space.
#include <arch/sv39.hpp>

namespace arch {

// The page table satp points at now, read-only (it cannot allocate).
sv39::PageTable active_kernel_page_table();

// Physical address of the kernel's root table once built (0 before).
u64 kernel_root_table();

} // namespace arch
