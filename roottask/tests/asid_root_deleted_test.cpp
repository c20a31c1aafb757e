#include "map_support.hpp"

using namespace tessera;
using namespace tessera::roottask::maptest;

namespace {

constexpr u64 kDataAddress = 0x13000;
constexpr u64 kTableAddress = u64{6} << 30;

} // namespace

ROOTTASK_TEST(ASID0004, "a deleted root frees its ASID; capabilities into the old VSpace never touch the next one") {
    user::CPtr memory = REQUIRE_OK(t, t.objects().allocate_untyped(12));
    user::CPtr pool_slot = REQUIRE_OK(t, t.objects().slots().allocate());
    user::AsidControl control(user::CPtr{static_cast<u64>(RootSlot::AsidControl)});
    REQUIRE_OK(t, control.make_pool(user::Untyped(memory), t.own_cnode(), user::SlotPath::at(pool_slot)));
    user::AsidPool pool(pool_slot);

    // The old VSpace: the pool's first ASID, a frame and a level-1 table in it. No thread
    // holds a copy of its root, so deleting the one capability deletes the VSpace.
    user::PageTable old_root = REQUIRE_OK(t, new_vspace(t, pool));
    user::Frame data;
    u64 here = REQUIRE_OK(t, t.new_mapped_page(&data));
    words_at(here)[0] = 0x01d;
    user::Frame old_mapping(REQUIRE_OK(t, copy_cap(t, data.cap())));
    REQUIRE_OK(t, user::map_frame(t.objects(), old_root, old_mapping, kDataAddress, VmRights::kReadOnly));
    user::PageTable old_table(REQUIRE_OK(t, t.objects().allocate(ObjectType::PageTable)));
    REQUIRE_OK(t, old_table.map(old_root, kTableAddress));
    REQUIRE_OK(t, old_mapping.remap(VmRights::kReadOnly));

    REQUIRE_OK(t, t.own_cnode().delete_(user::SlotPath::at(old_root.cap())));
    const user::Error stale = failed_lookup(LookupFailureType::InvalidRoot);
    expect_error(t, old_mapping.remap(VmRights::kReadOnly), stale, "Remap once the root is gone");

    // The next VSpace of the pool gets the same ASID, and the same addresses in use.
    ProbeSpace next = REQUIRE_OK(t, make_probe_space(t, pool));
    user::Frame next_data;
    u64 next_here = REQUIRE_OK(t, t.new_mapped_page(&next_data));
    words_at(next_here)[0] = 0x2ee;
    user::Frame next_mapping(REQUIRE_OK(t, copy_cap(t, next_data.cap())));
    REQUIRE_OK(t, user::map_frame(t.objects(), next.vspace, next_mapping, kDataAddress, VmRights::kReadOnly));
    user::PageTable next_table(REQUIRE_OK(t, t.objects().allocate(ObjectType::PageTable)));
    REQUIRE_OK(t, next_table.map(next.vspace, kTableAddress));

    expect_error(t, old_mapping.remap(VmRights::kReadOnly), stale, "Remap once the ASID names another root");
    expect_error(t, old_table.map(next.vspace, kTableAddress + (u64{1} << 30)), invalid_capability(0),
                 "the old table still records its mapping");
    REQUIRE_OK(t, old_mapping.unmap());
    REQUIRE_OK(t, old_table.unmap());
    expect_reads(t, next, "read-next", kDataAddress, 0x2ee);
    REQUIRE_OK(t, next_mapping.remap(VmRights::kReadOnly));
    user::Frame probe_frame(REQUIRE_OK(t, t.objects().allocate(ObjectType::Frame4K)));
    expect_error(t, probe_frame.map(next.vspace, kTableAddress, VmRights::kReadOnly),
                 failed_lookup(LookupFailureType::MissingCapability, 21), "the next VSpace's table is in place");
    // Unmapped, the old capabilities serve again.
    REQUIRE_OK(t, old_table.map(next.vspace, kTableAddress + (u64{1} << 30)));
    REQUIRE_OK(t, old_mapping.map(next.vspace, 0x14000, VmRights::kReadOnly));
    expect_reads(t, next, "read-old-frame", 0x14000, 0x01d);
}
