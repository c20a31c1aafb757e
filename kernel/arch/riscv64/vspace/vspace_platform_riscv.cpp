// The machine side of the address-space objects on the target: direct-map address
// conversion and TLB maintenance by ASID. Only the boot hart runs threads so far, so a
// local sfence.vma is the whole shootdown; with SMP, a change to a VSpace that other
// harts may have cached must also reach them (an IPI asking each to fence the same
// address and ASID) before the memory it named is reused.
#include <arch/csr.hpp>
#include <arch/interface.hpp>
#include <arch/kernel_space.hpp>
#include <arch/vspace_platform.hpp>

namespace arch::vspace {

u64 physical_of(u64 kernel_address) { return kernel_address - DIRECT_MAP_BASE; }

u64 kernel_address_of(u64 physical) { return DIRECT_MAP_BASE + physical; }

void flush_tlb_page(u64 vaddr, u64 asid) { asm volatile("sfence.vma %0, %1" ::"r"(vaddr), "r"(asid) : "memory"); }

void flush_tlb_asid(u64 asid) { asm volatile("sfence.vma zero, %0" ::"r"(asid) : "memory"); }

void copy_kernel_half(u64 root_kernel_address) { copy_kernel_mappings(reinterpret_cast<void*>(root_kernel_address)); }

void leave_address_space(u64 root_kernel_address) {
    u64 satp_ppn = read_csr<Csr::satp>() & ((u64{1} << 44) - 1);
    if (satp_ppn == physical_of(root_kernel_address) >> 12) activate_address_space(nullptr);
}

} // namespace arch::vspace
