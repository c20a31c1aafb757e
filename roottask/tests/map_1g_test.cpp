#include "map_support.hpp"

using namespace tessera;
using namespace tessera::roottask::maptest;

namespace {

constexpr unsigned kGigaBits = 30;

// The RAM Untyped of the root task a 1 GiB frame would come from, if any.
bool root_has_gigabyte(roottask::TestContext& t) {
    return t.root().objects.choose_region(kGigaBits, 1, false).has_value();
}

} // namespace

// A 1 GiB frame needs a naturally aligned GiB of free RAM: with the 512 MiB the system
// test gives QEMU there is none, and no device region is that large (the PCI ECAM window
// is 256 MiB), so the test says so and checks nothing. With -m 3G 0xc0000000..0x100000000
// is free and it runs; the system test does not, because zeroing a GiB under QEMU takes
// about 10 seconds.
ROOTTASK_TEST(MAP0004, "a 1 GiB frame maps in the root table, holds data, refuses a level-1 table's place, unmaps") {
    if (!root_has_gigabyte(t)) {
        t.note("skipped: no naturally aligned free GiB of RAM (run QEMU with -m 3G)");
        return;
    }
    // From the root task's own memory (the test's Untyped is 4 MiB); deleted at the end, so
    // the kernel may reuse it (the root allocator keeps counting it as used).
    u64 expected_physical = 0;
    {
        auto index = t.root().objects.choose_region(kGigaBits, 1, false);
        const user::UntypedRegion& region = t.root().objects.regions()[*index];
        expected_physical = region.physical + *user::placement_in(region, kGigaBits, 1);
    }
    user::Frame frame(REQUIRE_OK(t, t.root().objects.allocate(ObjectType::Frame1G)));
    u64 address = REQUIRE_OK(t, reserve_aligned(t, kGigaBits));

    // Where the root task's dynamic window begins, a level-1 table exists already.
    expect_error(t, frame.map(t.own_vspace(), user::kDynamicRegionBase, VmRights::kReadWrite),
                 error_of(ErrorCode::DeleteFirst), "1 GiB over a level-1 table");
    expect_error(t, frame.map(t.own_vspace(), address + (u64{1} << 21), VmRights::kReadWrite),
                 error_of(ErrorCode::AlignmentError), "1 GiB at a 2 MiB boundary");
    REQUIRE_OK(t, frame.map(t.own_vspace(), address, VmRights::kReadWrite));

    u64 last = (u64{1} << kGigaBits) / 8 - 1;
    words_at(address)[0] = 0x6161;
    words_at(address)[last] = 0x6262;
    t.expect(words_at(address)[0] == 0x6161 && words_at(address)[last] == 0x6262,
             "the 1 GiB frame did not keep its first and last word");
    u64 physical = REQUIRE_OK(t, frame.get_address());
    t.expect(physical == expected_physical, "GetAddress {}, the Untyped placed it at {}", kstd::Hex{physical},
             kstd::Hex{expected_physical});

    // A 4 KiB frame inside the 1 GiB page, and a table there, find the page in the way.
    user::Frame small(REQUIRE_OK(t, t.objects().allocate(ObjectType::Frame4K)));
    expect_error(t, small.map(t.own_vspace(), address + 0x5000, VmRights::kReadWrite), error_of(ErrorCode::DeleteFirst),
                 "4 KiB inside a 1 GiB page");
    user::PageTable table(REQUIRE_OK(t, t.objects().allocate(ObjectType::PageTable)));
    expect_error(t, table.map(t.own_vspace(), address + 0x5000), error_of(ErrorCode::DeleteFirst),
                 "a table inside a 1 GiB page");
    t.expect(words_at(address)[last] == 0x6262, "the refusals changed the 1 GiB mapping");

    REQUIRE_OK(t, frame.unmap());
    expect_faults(t, own_probe_space(t), "fault-unmap-1g", Access::Load, address + (u64{1} << 29));
    REQUIRE_OK(t, t.own_cnode().delete_(user::SlotPath::at(frame.cap())));
    t.root().slots.free(frame.cap());
}
