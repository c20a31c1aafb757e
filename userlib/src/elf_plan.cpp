#include <kstd/bit.hpp>
#include <userlib/elf_plan.hpp>

namespace tessera::user {

u64 LoadPlan::total_pages() const {
    u64 total = 0;
    for (const PageRun& run : runs) total += run.page_count;
    return total;
}

u64 segment_vm_rights(const ElfSegment& segment) {
    u64 rights = VmRights::kUser;
    if (segment.readable || segment.executable || segment.writable) rights |= VmRights::kRead;
    if (segment.writable) rights |= VmRights::kWrite;
    if (segment.executable) rights |= VmRights::kExecute;
    return rights;
}

namespace {

u64 first_page_of(const ElfSegment& segment) { return kstd::align_down(segment.virtual_address, kPageBytes); }
u64 end_page_of(const ElfSegment& segment) { return kstd::align_up(segment.end(), kPageBytes); }

// The rights of the page at `page`: the union over the segments that touch it.
u64 rights_at(const ElfImage& image, u64 page) {
    u64 rights = 0;
    for (const ElfSegment& segment : image.segments)
        if (first_page_of(segment) <= page && page < end_page_of(segment)) rights |= segment_vm_rights(segment);
    return rights;
}

} // namespace

Result<LoadPlan> plan_load(const ElfImage& image) {
    // Page boundaries where the rights may change: each segment's first and last page.
    kstd::BoundedVector<u64, 4 * kElfMaxLoadSegments> cuts;
    for (const ElfSegment& segment : image.segments) {
        u64 first = first_page_of(segment), end = end_page_of(segment);
        const u64 segment_cuts[] = {first, first + kPageBytes, end - kPageBytes, end};
        for (u64 cut : segment_cuts) {
            bool known = false;
            for (u64 existing : cuts) known = known || existing == cut;
            if (!known && !cuts.push_back(cut)) return kstd::fail(Error::of(LibraryError::BadElf));
        }
    }
    // Sort the cuts (a handful): insertion sort.
    for (usize i = 1; i < cuts.size(); ++i)
        for (usize j = i; j > 0 && cuts[j - 1] > cuts[j]; --j) kstd::swap(cuts[j - 1], cuts[j]);

    LoadPlan plan;
    for (usize i = 0; i + 1 < cuts.size(); ++i) {
        u64 start = cuts[i], end = cuts[i + 1];
        u64 rights = rights_at(image, start);
        if (rights == 0) continue; // a hole between segments
        if ((rights & VmRights::kWrite) && (rights & VmRights::kExecute))
            return kstd::fail(Error::of(LibraryError::WritableAndExecutable, start));
        if (!plan.runs.empty() && plan.runs.back().end() == start && plan.runs.back().rights == rights) {
            plan.runs.back().page_count += (end - start) / kPageBytes;
            continue;
        }
        if (!plan.runs.push_back(PageRun{start, (end - start) / kPageBytes, rights}))
            return kstd::fail(Error::of(LibraryError::BadElf));
    }
    return plan;
}

void fill_page(const ElfImage& image, u64 page_address, kstd::Span<u8> page) {
    for (usize i = 0; i < page.size(); ++i) page[i] = 0;
    u64 page_end = page_address + page.size();
    for (const ElfSegment& segment : image.segments) {
        u64 file_start = segment.virtual_address, file_end = segment.virtual_address + segment.file_size;
        u64 copy_start = kstd::max(page_address, file_start), copy_end = kstd::min(page_end, file_end);
        for (u64 address = copy_start; address < copy_end; ++address)
            page[address - page_address] = segment.contents[address - file_start];
    }
}

} // namespace tessera::user
