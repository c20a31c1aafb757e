#include "map_support.hpp"

using namespace tessera;
using namespace tessera::roottask::maptest;

namespace {

constexpr u64 kKernelHalf = 0xffff'ffc0'0000'0000;  // the first address of Sv39's upper half
constexpr u64 kNonCanonical = 0x0000'4000'0000'0000; // bit 46: neither half
constexpr u64 kLastUserPage = kUserAddressLimit - kPageBytes;

} // namespace

ROOTTASK_TEST(MAP0008, "maps outside [0, 2^38) or misaligned are refused exactly and leave nothing behind") {
    // The 2 MiB frame first: only the lower half of the test's 4 MiB Untyped is free for it.
    user::Frame large(REQUIRE_OK(t, t.objects().allocate(ObjectType::Frame2M)));
    ProbeSpace space = REQUIRE_OK(t, make_probe_space(t, roottask::RootEnvironment::own_caps().asid_pool));
    user::Frame small(REQUIRE_OK(t, t.objects().allocate(ObjectType::Frame4K)));
    user::PageTable table(REQUIRE_OK(t, t.objects().allocate(ObjectType::PageTable)));

    const u64 outside[] = {kKernelHalf, kUserAddressLimit, kNonCanonical, ~u64{0} & ~(kPageBytes - 1)};
    for (u64 address : outside) {
        expect_error(t, small.map(space.vspace, address, VmRights::kReadWrite), invalid_argument(0),
                     "Frame.Map outside the user range");
        expect_error(t, table.map(space.vspace, address), invalid_argument(0), "PageTable.Map outside the user range");
    }
    // The range comes before alignment: a misaligned kernel address is an InvalidArgument.
    expect_error(t, small.map(space.vspace, kKernelHalf + 8, VmRights::kReadWrite), invalid_argument(0),
                 "a misaligned kernel-half address");
    // The whole frame must fit below 2^38: a misaligned start near the limit is out of range.
    expect_error(t, small.map(space.vspace, kLastUserPage + 8, VmRights::kReadWrite), invalid_argument(0),
                 "4 KiB at the last page + 8 (it would cross 2^38)");
    expect_error(t, large.map(space.vspace, kUserAddressLimit - (u64{1} << 21) + kPageBytes, VmRights::kReadWrite),
                 invalid_argument(0), "2 MiB at the last 2 MiB + 4 KiB (it would cross 2^38)");
    constexpr u64 kInside = u64{1} << 37;
    expect_error(t, small.map(space.vspace, kInside + 8, VmRights::kReadWrite), error_of(ErrorCode::AlignmentError),
                 "4 KiB at page + 8");
    expect_error(t, small.map(space.vspace, kInside + 0x800, VmRights::kReadWrite),
                 error_of(ErrorCode::AlignmentError), "4 KiB at page + 0x800");
    expect_error(t, large.map(space.vspace, kInside + kPageBytes, VmRights::kReadWrite),
                 error_of(ErrorCode::AlignmentError), "2 MiB at a 4 KiB boundary");
    // Alignment comes before the walk: no tables exist at kInside, yet no FailedLookup.
    expect_error(t, large.map(space.vspace, kInside + (u64{1} << 20), VmRights::kReadWrite),
                 error_of(ErrorCode::AlignmentError), "2 MiB at a 1 MiB boundary");

    // Nothing was mapped: neither capability records a mapping, the address still faults.
    expect_error(t, small.remap(VmRights::kReadOnly), invalid_capability(0), "the small frame after the refusals");
    expect_error(t, large.remap(VmRights::kReadOnly), invalid_capability(0), "the large frame after the refusals");
    expect_faults(t, space, "fault-last-page", Access::Load, kLastUserPage);
    expect_error(t, small.map(space.vspace, kInside, VmRights::kReadWrite),
                 failed_lookup(LookupFailureType::MissingCapability, 30), "4 KiB where no table exists");

    // The last 2 MiB below 2^38 are user memory, and so is the last page.
    REQUIRE_OK(t, user::map_frame(t.objects(), space.vspace, large, kUserAddressLimit - (u64{1} << 21),
                                  VmRights::kReadWrite));
    expect_reads(t, space, "read-last-2m", kUserAddressLimit - 8, 0);
    REQUIRE_OK(t, large.unmap());
    REQUIRE_OK(t, user::map_frame(t.objects(), space.vspace, small, kLastUserPage, VmRights::kReadWrite));
    ProbeResult stored = REQUIRE_OK(t, run_probe(t, space, "write-last-page", Access::Store, kLastUserPage + 4088, 77));
    t.expect(stored.completed, "a store to the last user word faulted");
    expect_reads(t, space, "read-last-page", kLastUserPage + 4088, 77);
}
