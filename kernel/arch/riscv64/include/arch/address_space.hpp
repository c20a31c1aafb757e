#pragma once
// The riscv64 address-space objects (Sv39): Frame (4 KiB, 2 MiB, 1 GiB; RAM or device),
// PageTable (one type for every level; a root is a PageTable that AsidPool.Assign gave an
// ASID), AsidControl and AsidPool. Invocations and errors: docs/invocations.md.
//
// The boot functions below are for the kernel's root-task builder; each one runs the very
// decoder and operation that the matching invocation runs.
#include <kstd/result.hpp>
#include <object/errors.hpp>
#include <object/slot.hpp>

namespace arch {

// Registers object_invokers().address_space and .is_vspace_root and the Frame, PageTable
// and AsidPool finalisers. Call once at boot, before any of these objects exist.
void install_address_space_objects();

// A PageTable capability that is a root and whose ASID still names this very table.
bool is_valid_vspace_root(const tessera::Capability& cap);

// Makes the ASID pool for ASIDs [asid_base, asid_base + 512) in the zeroed 4 KiB at
// `pool_kernel_address` and enters it in the ASID table. `asid_base` must be a multiple
// of 512 below 2^16 whose table entry is free; otherwise the result is a null capability.
// (The caller places the capability as an original.)
tessera::Capability boot_make_asid_pool(u64 pool_kernel_address, u64 asid_base);

// AsidPool.Assign: `root_table` (an unmapped PageTable) gets the pool's next free ASID.
kstd::Result<void, tessera::InvocationError> boot_assign_asid(tessera::Slot& pool, tessera::Slot& root_table);

// PageTable.Map of `table` into `vspace` at `vaddr` (the first level with an empty entry).
kstd::Result<void, tessera::InvocationError> boot_map_page_table(tessera::Slot& vspace, tessera::Slot& table,
                                                                 u64 vaddr);

// Frame.Map of `frame` into `vspace` at `vaddr` with `vm_rights` (abi/vm.hpp VmRights).
kstd::Result<void, tessera::InvocationError> boot_map_frame(tessera::Slot& vspace, tessera::Slot& frame, u64 vaddr,
                                                            u64 vm_rights);

// The capability a copy of a Frame capability is (what CNode.Copy makes): the same frame,
// unmapped. For the copies a TCB keeps of its IPC-buffer frame.
inline tessera::Capability unmapped_copy(const tessera::Capability& frame) { return frame.frame_unmapped(); }

// The kernel's view of user memory: a kernel pointer to [vaddr, vaddr + bytes) when that
// range lies in one page mapped user-accessible and readable (and writable if `write`)
// in `vspace`, a valid root; null otherwise. Device memory is never returned.
u8* user_memory(const tessera::Capability& vspace, u64 vaddr, u64 bytes, bool write);

} // namespace arch
