#pragma once
// Shared inside the riscv64 address-space objects: the ASID table, page-table walks and
// the per-type decoders. Portable code (the host tests compile it); everything that
// touches the machine goes through <arch/vspace_platform.hpp>.
#include <abi/object_types.hpp>
#include <abi/vm.hpp>
#include <arch/sv39.hpp>
#include <kstd/optional.hpp>
#include <object/finalise.hpp>
#include <object/invocation.hpp>

namespace arch::vspace {

using tessera::Capability;
using tessera::CapType;
using tessera::ErrorCode;
using tessera::Invocation;
using tessera::InvocationError;
using tessera::Slot;
using Outcome = kstd::Result<void, InvocationError>;

// ---- ASIDs (asid_table.cpp) ----

// ASID 0 is the kernel's: the kernel-only address space runs with it, nothing else does.
inline constexpr u64 kKernelAsid = 0;
inline constexpr u64 kAsidPoolCount = u64{1} << (tessera::kAsidBits - tessera::kAsidPoolBits);

// An ASID pool object: for each of its 512 ASIDs the kernel address of the root table
// that holds it, 0 when free.
struct AsidPoolObject {
    u64 roots[tessera::kAsidPoolSize];
};
static_assert(sizeof(AsidPoolObject) == (u64{1} << tessera::kAsidPoolSizeBits), "a pool fills its 4 KiB object");

// The kernel address of the root table that `asid` names now; 0 when none.
u64 root_for_asid(u64 asid);
// A free entry of the ASID table, as the first ASID of a pool that would go there.
kstd::Optional<u64> free_pool_base();
// Enters a pool in the ASID table (its entry must be free).
void install_pool(u64 asid_base, AsidPoolObject* pool);
AsidPoolObject* pool_at(u64 asid_base);
// The lowest free ASID of a pool (never ASID 0); none when the pool is full.
kstd::Optional<u64> free_asid_in(const AsidPoolObject& pool, u64 asid_base);
void set_root(u64 asid, u64 root_kernel_address);
// Forgets the pool whose object is at `address`: every VSpace in it loses its ASID.
void remove_pool(u64 address);
// Empties the whole table (host tests start every case from nothing).
void clear_asid_table();

// ---- Page-table walks (page_walk.cpp) ----

inline constexpr unsigned kRootLevel = sv39::kLevels - 1;
// A software bit (RSW) marking leaves that map device memory, which the kernel never
// reads or writes through user_memory().
inline constexpr sv39::Pte kDeviceMapping = sv39::Pte{1} << 8;

// The region one entry at `level` covers, in bits: 12, 21, 30 (seL4's "bits left").
constexpr unsigned bits_at_level(unsigned level) { return 12 + 9 * level; }
constexpr unsigned frame_level(unsigned size_bits) { return (size_bits - 12) / 9; }

struct EntryRef {
    sv39::Pte* entry;
    unsigned level;
};

sv39::Pte* table_entries(u64 table_kernel_address);
// Walks from the root towards `vaddr` through valid tables, stopping at `target_level` or
// earlier, at the first entry that is empty or a leaf.
EntryRef walk(u64 root_kernel_address, u64 vaddr, unsigned target_level);
// The entry at `level` for `vaddr` when it is a leaf (`leaf`) or a table pointing at
// `physical`; null when the walk does not get there or the entry points elsewhere.
sv39::Pte* entry_pointing_at(u64 root_kernel_address, u64 vaddr, unsigned level, u64 physical, bool leaf);

// The VSpace an extra capability names: a root PageTable whose ASID still names it.
// InvalidCapability `cap_index` when it is no root; FailedLookup (InvalidRoot) when stale.
kstd::Result<u64, InvocationError> vspace_root_of(const Capability& vspace, u64 cap_index);

// The user range [vaddr, vaddr + bytes) is below kUserAddressLimit (so canonical, lower half).
constexpr bool is_user_range(u64 vaddr, u64 bytes) {
    return vaddr < tessera::kUserAddressLimit && bytes <= tessera::kUserAddressLimit - vaddr;
}

// ---- Decoders (frame.cpp, page_table.cpp, asid_invocations.cpp) ----

Outcome invoke_frame(const Invocation& invocation);
Outcome invoke_page_table(const Invocation& invocation);
Outcome invoke_asid_control(const Invocation& invocation);
Outcome invoke_asid_pool(const Invocation& invocation);

// ---- Finalisers (vspace_finalise.cpp) ----

void finalise_frame(const Capability& cap);
void finalise_page_table(const Capability& cap);
void finalise_asid_pool(u64 address);

// Removes the mapping a Frame or PageTable capability records, when its VSpace still has
// it (the entry still points at this object); flushes the TLB for it.
void remove_frame_mapping(const Capability& frame);
void remove_table_mapping(const Capability& table);

// Clears a table's user entries (a table leaving its place keeps nothing of it).
void clear_table(u64 table_kernel_address, unsigned entries);

inline InvocationError error(ErrorCode code) { return InvocationError::of(code); }

} // namespace arch::vspace
