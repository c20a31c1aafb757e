// The host's stand-in for the machine side of the address-space objects: kernel addresses
// are their own physical addresses, and TLB flushes and address-space switches are
// recorded for the tests to check instead of executed.
#include <arch/sv39.hpp>
#include <arch/vspace_platform.hpp>

#include "vspace_fixture.hpp"

namespace arch::vspace {

u64 physical_of(u64 kernel_address) { return kernel_address; }
u64 kernel_address_of(u64 physical) { return physical; }

void flush_tlb_page(u64 vaddr, u64 asid) { vstest::platform_log().flushes.push_back({vstest::FlushKind::Page, vaddr, asid}); }
void flush_tlb_asid(u64 asid) { vstest::platform_log().flushes.push_back({vstest::FlushKind::Asid, 0, asid}); }

void copy_kernel_half(u64 root_kernel_address) {
    auto* table = reinterpret_cast<sv39::Pte*>(root_kernel_address);
    for (u64 i = vstest::kFirstKernelEntry; i < sv39::kEntriesPerTable; ++i) table[i] = vstest::kernel_entry(i);
}

void leave_address_space(u64 root_kernel_address) { vstest::platform_log().left.push_back(root_kernel_address); }

} // namespace arch::vspace
