#pragma once
// The few things the address-space objects need from the machine itself, kept behind plain
// functions so that the host unit tests link their own versions (identity address
// conversion, TLB flushes recorded instead of executed) and run the whole object layer on
// host memory. The kernel's versions are in vspace/vspace_platform_riscv.cpp.
#include <kstd/types.hpp>

namespace arch::vspace {

// RAM objects are named by their direct-map kernel address; page-table entries hold
// physical addresses.
u64 physical_of(u64 kernel_address);
u64 kernel_address_of(u64 physical);

// `sfence.vma vaddr, asid`: forgets the translation of one page (any size) of one ASID.
void flush_tlb_page(u64 vaddr, u64 asid);
// `sfence.vma x0, asid`: forgets every translation of one ASID, intermediate entries
// included (needed after a non-leaf entry changes, and when an ASID changes hands).
void flush_tlb_asid(u64 asid);

// Copies the kernel's half (root entries 256..511) into a table becoming a VSpace root.
void copy_kernel_half(u64 root_kernel_address);

// A VSpace root is going away (deleted, or its ASID lost): if this hart runs on it, switch
// to the kernel-only space now, before the table's memory can be reused.
void leave_address_space(u64 root_kernel_address);

} // namespace arch::vspace
