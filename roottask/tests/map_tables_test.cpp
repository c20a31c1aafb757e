#include "map_support.hpp"

using namespace tessera;
using namespace tessera::roottask::maptest;

namespace {

constexpr u64 kGiB = u64{1} << 30;
constexpr u64 kTwoMiB = u64{1} << 21;
constexpr u64 kRegion = 5 * kGiB; // untouched by the probe space (its code lies in GiB 0)

} // namespace

ROOTTASK_TEST(MAP0010, "tables go in at level 1 then 0; missing ones are FailedLookup; Unmap takes mappings along") {
    user::Frame large(REQUIRE_OK(t, t.objects().allocate(ObjectType::Frame2M)));
    ProbeSpace space = REQUIRE_OK(t, make_probe_space(t, roottask::RootEnvironment::own_caps().asid_pool));
    user::Frame small(REQUIRE_OK(t, t.objects().allocate(ObjectType::Frame4K)));
    user::PageTable upper(REQUIRE_OK(t, t.objects().allocate(ObjectType::PageTable)));
    user::PageTable lower(REQUIRE_OK(t, t.objects().allocate(ObjectType::PageTable)));
    user::PageTable spare(REQUIRE_OK(t, t.objects().allocate(ObjectType::PageTable)));
    const u64 page = kRegion + 0x3000;

    // Bits left: what the empty entry covers (30: no level-1 table; 21: no level-0 table).
    expect_error(t, small.map(space.vspace, page, VmRights::kReadWrite),
                 failed_lookup(LookupFailureType::MissingCapability, 30), "4 KiB without tables");
    expect_error(t, large.map(space.vspace, kRegion, VmRights::kReadWrite),
                 failed_lookup(LookupFailureType::MissingCapability, 30), "2 MiB without a level-1 table");
    REQUIRE_OK(t, upper.map(space.vspace, page)); // level 1: covers the GiB
    expect_error(t, small.map(space.vspace, page, VmRights::kReadWrite),
                 failed_lookup(LookupFailureType::MissingCapability, 21), "4 KiB without a level-0 table");
    expect_faults(t, space, "fault-no-table", Access::Load, page);
    REQUIRE_OK(t, large.map(space.vspace, kRegion + kTwoMiB, VmRights::kReadWrite));
    expect_reads(t, space, "read-2m", kRegion + 2 * kTwoMiB - 8, 0);
    REQUIRE_OK(t, lower.map(space.vspace, page)); // level 0: covers the first 2 MiB
    REQUIRE_OK(t, small.map(space.vspace, page, VmRights::kReadWrite));
    ProbeResult stored = REQUIRE_OK(t, run_probe(t, space, "write-4k", Access::Store, page + 16, 0x4444));
    t.expect(stored.completed, "a store through both new tables faulted");
    expect_reads(t, space, "read-4k", page + 16, 0x4444);

    expect_error(t, spare.map(space.vspace, page), error_of(ErrorCode::DeleteFirst), "a third table for one address");
    expect_error(t, spare.map(space.vspace, kRegion + kTwoMiB + 5), error_of(ErrorCode::DeleteFirst),
                 "a table inside a 2 MiB page");
    expect_error(t, upper.map(space.vspace, 9 * kGiB), invalid_capability(0), "a mapped table mapped again");
    expect_error(t, space.vspace.map(space.vspace, 9 * kGiB), invalid_capability(0), "a root mapped as a table");
    expect_error(t, space.vspace.unmap(), error_of(ErrorCode::IllegalOperation), "Unmap of a root");
    expect_error(t, spare.map(space.vspace, page, 1), invalid_argument(1), "a table with attributes");
    expect_error(t, copy_cap(t, spare.cap()), error_of(ErrorCode::IllegalOperation), "a copy of an unmapped table");

    // Copies of a mapped table record the same place: Unmap waits until they are gone.
    user::CPtr lower_copy = REQUIRE_OK(t, copy_cap(t, lower.cap()));
    expect_error(t, lower.unmap(), error_of(ErrorCode::RevokeFirst), "Unmap with a copy");
    expect_reads(t, space, "read-4k-kept", page + 16, 0x4444);
    REQUIRE_OK(t, t.own_cnode().delete_(user::SlotPath::at(lower_copy)));

    // Unmapping the level-0 table takes the page along; the frame capability finds nothing.
    REQUIRE_OK(t, lower.unmap());
    expect_faults(t, space, "fault-tbl-gone", Access::Load, page + 16);
    expect_error(t, small.remap(VmRights::kReadOnly), failed_lookup(LookupFailureType::InvalidRoot),
                 "Remap after the table went");
    expect_error(t, small.map(space.vspace, page, VmRights::kReadWrite), invalid_capability(0),
                 "Map while the capability still records the lost mapping");
    REQUIRE_OK(t, small.unmap());
    REQUIRE_OK(t, lower.unmap()); // an unmapped table's Unmap does nothing
    expect_error(t, small.map(space.vspace, page, VmRights::kReadWrite),
                 failed_lookup(LookupFailureType::MissingCapability, 21), "4 KiB after the level-0 table went");
    // Back in place, the table is empty: the old page does not come back with it.
    REQUIRE_OK(t, lower.map(space.vspace, page));
    expect_faults(t, space, "fault-tbl-empty", Access::Load, page + 16);

    // Unmapping the level-1 table takes the 2 MiB page and the level-0 table's place along.
    REQUIRE_OK(t, upper.unmap());
    expect_faults(t, space, "fault-l1-gone", Access::Load, kRegion + kTwoMiB);
    expect_error(t, large.remap(VmRights::kReadOnly), failed_lookup(LookupFailureType::InvalidRoot),
                 "Remap of the 2 MiB page after its table went");
    REQUIRE_OK(t, lower.unmap());
    expect_error(t, small.map(space.vspace, page, VmRights::kReadWrite),
                 failed_lookup(LookupFailureType::MissingCapability, 30), "4 KiB after both tables went");
    expect_reads(t, space, "read-record", kProbeRecordAddress, 0);
}
