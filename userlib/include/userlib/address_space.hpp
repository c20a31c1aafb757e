#pragma once
// One's own (or a new task's) virtual address space: handing out address ranges, and
// mapping frames there with the page tables made on demand.
#include <abi/vm.hpp>
#include <userlib/object_allocator.hpp>

namespace tessera::user {

// Address ranges from a window, handed out upwards, each followed by unmapped guard
// pages so an overrun faults instead of reaching the next range.
class VirtualRegionAllocator {
public:
    VirtualRegionAllocator() = default;
    VirtualRegionAllocator(u64 base, u64 limit) : next_(base), limit_(limit) {}

    // `pages` pages preceded by `guard_pages` unmapped ones; returns the first mapped page.
    Result<u64> reserve(u64 pages, u64 guard_pages = 1);
    u64 next() const { return next_; }

private:
    u64 next_ = 0;
    u64 limit_ = 0;
};

// The window the root task and every task userlib starts keep free for dynamic mappings
// (thread stacks, IPC buffers, temporary mappings): far above any ELF image (text at
// 0x10000), below the boot data at 0x3f00000000.
inline constexpr u64 kDynamicRegionBase = 0x2000000000;
inline constexpr u64 kDynamicRegionLimit = 0x3e00000000;

// Maps `frame` into `vspace` at `vaddr`; when a page table is missing (FailedLookup), one
// comes from `tables` and the map is retried, at most once per level.
Result<void> map_frame(ObjectAllocator& tables, PageTable vspace, Frame frame, u64 vaddr, u64 rights);

// Retypes a fresh 4 KiB frame and maps it.
Result<Frame> map_new_frame(ObjectAllocator& objects, ObjectAllocator& tables, PageTable vspace, u64 vaddr, u64 rights);

} // namespace tessera::user
