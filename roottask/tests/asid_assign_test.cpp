#include "map_support.hpp"

using namespace tessera;
using namespace tessera::roottask::maptest;

ROOTTASK_TEST(ASID0001, "MakePool from a 4 KiB Untyped; its VSpaces are separate address spaces") {
    user::CPtr memory = REQUIRE_OK(t, t.objects().allocate_untyped(12));
    user::CPtr pool_slot = REQUIRE_OK(t, t.objects().slots().allocate());
    user::AsidControl control(user::CPtr{static_cast<u64>(RootSlot::AsidControl)});
    REQUIRE_OK(t, control.make_pool(user::Untyped(memory), t.own_cnode(), user::SlotPath::at(pool_slot)));
    user::AsidPool pool(pool_slot);

    // Three VSpaces, each with a frame of its own at the same address.
    constexpr u64 kAddress = 0x12000;
    ProbeSpace spaces[3];
    for (u64 i = 0; i < 3; ++i) {
        spaces[i] = REQUIRE_OK(t, make_probe_space(t, pool));
        user::Frame frame;
        u64 here = REQUIRE_OK(t, t.new_mapped_page(&frame));
        words_at(here)[0] = 0x100 + i;
        user::Frame copy(REQUIRE_OK(t, copy_cap(t, frame.cap())));
        REQUIRE_OK(t, user::map_frame(t.objects(), spaces[i].vspace, copy, kAddress, VmRights::kReadOnly));
    }
    expect_reads(t, spaces[0], "read-space-0", kAddress, 0x100);
    expect_reads(t, spaces[1], "read-space-1", kAddress, 0x101);
    expect_reads(t, spaces[2], "read-space-2", kAddress, 0x102);

    // What Assign refuses: a root (already), a mapped table, anything not a table.
    expect_error(t, pool.assign(spaces[1].vspace), invalid_capability(1), "Assign of a root");
    user::PageTable mapped(REQUIRE_OK(t, t.objects().allocate(ObjectType::PageTable)));
    REQUIRE_OK(t, mapped.map(spaces[0].vspace, u64{3} << 30));
    expect_error(t, pool.assign(mapped), invalid_capability(1), "Assign of a mapped table");
    expect_error(t, pool.assign(user::PageTable(memory)), invalid_capability(1), "Assign of an Untyped");
    expect_error(t, mapped.map(spaces[1].vspace, u64{4} << 30), invalid_capability(0),
                 "the refused Assign left the table mapped where it was");
    expect_reads(t, spaces[1], "read-space-1b", kAddress, 0x101);
}
