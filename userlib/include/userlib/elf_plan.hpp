#pragma once
// From a checked ELF image (bootimage/elf.hpp, the reader the kernel uses) to pages: which
// pages a task needs, with which mapping rights, and what bytes each page holds. Two
// segments may share a page (the reader checks bytes, not pages); the page then gets the
// union of their rights, and a union that is writable and executable is refused (W^X).
#include <abi/vm.hpp>
#include <bootimage/elf.hpp>
#include <kstd/bounded_vector.hpp>
#include <userlib/error.hpp>

namespace tessera::user {

// A run of consecutive pages with one set of rights.
struct PageRun {
    u64 first_page = 0; // address
    u64 page_count = 0;
    u64 rights = 0;     // VmRights
    constexpr u64 end() const { return first_page + page_count * kPageBytes; }
};

struct LoadPlan {
    // Sorted by address, not overlapping; shared pages are their own run.
    kstd::BoundedVector<PageRun, 2 * kElfMaxLoadSegments + 1> runs;
    u64 total_pages() const;
};

// The mapping rights of one segment (readable, writable, executable flags to VmRights;
// execute implies read, and a writable page is readable).
u64 segment_vm_rights(const ElfSegment& segment);

Result<LoadPlan> plan_load(const ElfImage& image);

// Fills `page` (kPageBytes) with what the image holds at `page_address`: the file bytes of
// every segment landing there, zero everywhere else (bss, padding).
void fill_page(const ElfImage& image, u64 page_address, kstd::Span<u8> page);

} // namespace tessera::user
