#include "map_support.hpp"

using namespace tessera;
using namespace tessera::roottask::maptest;

ROOTTASK_TEST(MAP0009, "a map over a page or a table is DeleteFirst and keeps what was there") {
    ProbeSpace own = own_probe_space(t);
    // The 2 MiB frame first: only the lower half of the test's 4 MiB Untyped is free for it.
    user::Frame large(REQUIRE_OK(t, t.objects().allocate(ObjectType::Frame2M)));
    user::Frame first(REQUIRE_OK(t, t.objects().allocate(ObjectType::Frame4K)));
    user::Frame second(REQUIRE_OK(t, t.objects().allocate(ObjectType::Frame4K)));
    user::PageTable table(REQUIRE_OK(t, t.objects().allocate(ObjectType::PageTable)));

    // 2 MiB region with a level-0 table (made for `first`).
    u64 small_region = REQUIRE_OK(t, reserve_aligned(t, 21));
    REQUIRE_OK(t, user::map_frame(t.objects(), t.own_vspace(), first, small_region, VmRights::kReadWrite));
    words_at(small_region)[0] = 0x1111;
    expect_error(t, second.map(t.own_vspace(), small_region, VmRights::kReadWrite), error_of(ErrorCode::DeleteFirst),
                 "4 KiB over a 4 KiB page");
    expect_error(t, large.map(t.own_vspace(), small_region, VmRights::kReadWrite), error_of(ErrorCode::DeleteFirst),
                 "2 MiB where a level-0 table is");
    expect_error(t, table.map(t.own_vspace(), small_region + 0x1000), error_of(ErrorCode::DeleteFirst),
                 "a table where tables reach level 0");
    t.expect(words_at(small_region)[0] == 0x1111, "the 4 KiB page changed under the refused maps");

    // 2 MiB region holding a 2 MiB page.
    u64 large_region = REQUIRE_OK(t, reserve_aligned(t, 21));
    REQUIRE_OK(t, user::map_frame(t.objects(), t.own_vspace(), large, large_region, VmRights::kReadWrite));
    words_at(large_region + 0x3000)[0] = 0x2222;
    expect_error(t, table.map(t.own_vspace(), large_region + 0x3000), error_of(ErrorCode::DeleteFirst),
                 "a table where a 2 MiB page is");
    expect_error(t, second.map(t.own_vspace(), large_region + 0x3000, VmRights::kReadWrite),
                 error_of(ErrorCode::DeleteFirst), "4 KiB inside a 2 MiB page");
    t.expect(words_at(large_region + 0x3000)[0] == 0x2222, "the 2 MiB page changed under the refused maps");

    // A mapped frame capability maps nothing else; its mapping stays where it was.
    u64 elsewhere = REQUIRE_OK(t, t.root().addresses.reserve(1));
    expect_error(t, first.map(t.own_vspace(), elsewhere, VmRights::kReadWrite), invalid_capability(0),
                 "a frame capability that is mapped already");
    expect_faults(t, own, "fault-elsewhere", Access::Load, elsewhere);
    expect_reads(t, own, "read-first", small_region, 0x1111);

    // The refused capabilities themselves are unchanged and map where there is room.
    REQUIRE_OK(t, user::map_frame(t.objects(), t.own_vspace(), second, elsewhere, VmRights::kReadWrite));
    t.expect(words_at(elsewhere)[0] == 0, "the second frame is not the fresh one");
    // Where the 2 MiB page was, the table becomes the level-0 table the small frame needs.
    REQUIRE_OK(t, large.unmap());
    REQUIRE_OK(t, table.map(t.own_vspace(), large_region));
    expect_faults(t, own, "fault-no-2m", Access::Load, large_region + 0x3000);
    REQUIRE_OK(t, second.unmap());
    REQUIRE_OK(t, second.map(t.own_vspace(), large_region + 0x7000, VmRights::kReadOnly));
    expect_reads(t, own, "read-second", large_region + 0x7000, 0);
}
