#include "map_support.hpp"

using namespace tessera;
using namespace tessera::roottask::maptest;

namespace {

// The ASID table has 128 pools; the initial pool is the only one outside this test (every
// test's pools go with its Untyped).
constexpr u64 kPoolsLeft = 127;

} // namespace

ROOTTASK_TEST(ASID0005, "MakePool refuses what is no free 4 KiB RAM Untyped or no empty slot, and pool 129") {
    user::AsidControl control(user::CPtr{static_cast<u64>(RootSlot::AsidControl)});
    user::CNode cnode = t.own_cnode();
    user::CPtr memory = REQUIRE_OK(t, t.objects().allocate_untyped(12));
    user::CPtr destination = REQUIRE_OK(t, t.objects().slots().allocate());
    user::SlotPath to = user::SlotPath::at(destination);

    user::CPtr larger = REQUIRE_OK(t, t.objects().allocate_untyped(13));
    user::CPtr tiny = REQUIRE_OK(t, t.objects().allocate_untyped(4));
    user::CPtr frame = REQUIRE_OK(t, t.objects().allocate(ObjectType::Frame4K));
    expect_error(t, control.make_pool(user::Untyped(larger), cnode, to), invalid_capability(1), "an 8 KiB Untyped");
    expect_error(t, control.make_pool(user::Untyped(tiny), cnode, to), invalid_capability(1), "a 16-byte Untyped");
    expect_error(t, control.make_pool(user::Untyped(frame), cnode, to), invalid_capability(1), "a frame");
    for (const user::UntypedRegion& region : t.root().objects.regions())
        if (region.device && region.size_bits == 12) {
            expect_error(t, control.make_pool(user::Untyped(region.cap), cnode, to), invalid_capability(1),
                         "a 4 KiB device Untyped");
            break;
        }
    // The Untyped is checked before the destination.
    expect_error(t, control.make_pool(user::Untyped(larger), cnode, user::SlotPath::at(frame)), invalid_capability(1),
                 "an 8 KiB Untyped into an occupied slot");

    // An Untyped with a child: RevokeFirst until the child is gone.
    REQUIRE_OK(t, user::Untyped(memory).retype(ObjectType::Tcb, 0, cnode, 0, 0, destination.value, 1));
    user::CPtr other_destination = REQUIRE_OK(t, t.objects().slots().allocate());
    expect_error(t, control.make_pool(user::Untyped(memory), cnode, user::SlotPath::at(other_destination)),
                 error_of(ErrorCode::RevokeFirst), "an Untyped with a child");
    // An occupied destination (the child TCB sits in it).
    user::CPtr spare = REQUIRE_OK(t, t.objects().allocate_untyped(12));
    expect_error(t, control.make_pool(user::Untyped(spare), cnode, to), error_of(ErrorCode::DeleteFirst),
                 "an occupied destination");
    REQUIRE_OK(t, cnode.revoke(user::SlotPath::at(memory)));
    user::Error depth_range = error_of(ErrorCode::RangeError);
    depth_range.range_min = 1;
    depth_range.range_max = 64;
    expect_error(t, control.make_pool(user::Untyped(memory), cnode, user::SlotPath{destination.value, 0}), depth_range,
                 "destination depth 0");
    expect_error(t, control.make_pool(user::Untyped(memory), cnode, user::SlotPath{destination.value, 65}),
                 depth_range, "destination depth 65");

    // Every refusal left the Untyped whole and the slot empty: the pool is made now.
    REQUIRE_OK(t, control.make_pool(user::Untyped(memory), cnode, to));
    REQUIRE_OK(t, new_vspace(t, user::AsidPool(destination)));

    // Pools until the ASID table is full: one made above, the rest here.
    constexpr u64 kMore = kPoolsLeft; // one more than can exist
    user::CPtr memories = REQUIRE_OK(t, t.objects().allocate_run(ObjectType::Untyped, 12, kMore));
    user::CPtr pools = REQUIRE_OK(t, t.objects().slots().allocate_run(kMore));
    u64 made = 1;
    for (u64 i = 0; i < kMore; ++i) {
        auto pool = control.make_pool(user::Untyped(user::CPtr{memories.value + i}), cnode,
                                      user::SlotPath{pools.value + i, 64});
        if (!pool) {
            expect_error(t, pool, error_of(ErrorCode::DeleteFirst), "MakePool with the ASID table full");
            t.expect(made == kPoolsLeft, "the ASID table took {} pools besides the initial one, not {}", made,
                     kPoolsLeft);
            t.expect(i == kMore - 1, "MakePool number {} was refused", made + 1);
            // Room again once a pool is gone, for the Untyped just refused.
            REQUIRE_OK(t, cnode.delete_(user::SlotPath{pools.value, 64}));
            REQUIRE_OK(t, control.make_pool(user::Untyped(user::CPtr{memories.value + i}), cnode,
                                            user::SlotPath{pools.value + i, 64}));
            return;
        }
        ++made;
    }
    t.expect(false, "{} pools were made: the ASID table never filled", made);
}
