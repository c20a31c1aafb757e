#include "map_support.hpp"

using namespace tessera;
using namespace tessera::roottask::maptest;

namespace {

constexpr u64 kPoolSize = 512;

// 512 root tables need more slots than a test has: a run of the root task's own, given
// back (after their capabilities are gone) when the test ends, however it ends.
struct BorrowedSlots {
    roottask::TestContext& t;
    user::CPtr first;
    user::CPtr memory;
    ~BorrowedSlots() {
        if (!memory.is_null()) (void)t.own_cnode().revoke(user::SlotPath::at(memory));
        t.root().slots.free_run(first, kPoolSize);
    }
};

} // namespace

ROOTTASK_TEST(ASID0002, "a new pool serves exactly 512 VSpaces, then DeleteFirst; a deleted root frees its ASID") {
    // Half the test's Untyped (aligned, so first) holds 512 tables.
    u64 tables_offset = next_offset(t, 21);
    user::CPtr tables_memory = REQUIRE_OK(t, t.objects().allocate_untyped(21));
    user::CPtr first = REQUIRE_OK(t, t.root().slots.allocate_run(kPoolSize));
    BorrowedSlots borrowed{t, first, tables_memory};
    user::SlotAllocator slots(SlotRange{first.value, first.value + kPoolSize});
    user::ObjectAllocator tables(t.own_cnode(), slots);
    REQUIRE_OK(t, tables.add_untyped(tables_memory, tables_offset, 21, false));
    user::CPtr table_run = REQUIRE_OK(t, tables.allocate_run(ObjectType::PageTable, 0, kPoolSize / 2));
    REQUIRE_OK(t, tables.allocate_run(ObjectType::PageTable, 0, kPoolSize / 2));

    user::CPtr memory = REQUIRE_OK(t, t.objects().allocate_untyped(12));
    user::CPtr pool_slot = REQUIRE_OK(t, t.objects().slots().allocate());
    user::AsidControl control(user::CPtr{static_cast<u64>(RootSlot::AsidControl)});
    REQUIRE_OK(t, control.make_pool(user::Untyped(memory), t.own_cnode(), user::SlotPath::at(pool_slot)));
    user::AsidPool pool(pool_slot);

    // Only the first pool (ASIDs 0..511) gives up ASID 0: any other serves all 512.
    u64 assigned = 0;
    for (u64 i = 0; i < kPoolSize; ++i) {
        if (!pool.assign(user::PageTable(user::CPtr{table_run.value + i}))) break;
        ++assigned;
    }
    t.expect(assigned == kPoolSize, "the pool served {} VSpaces, not {}", assigned, kPoolSize);
    user::PageTable extra(REQUIRE_OK(t, t.objects().allocate(ObjectType::PageTable)));
    expect_error(t, pool.assign(extra), error_of(ErrorCode::DeleteFirst), "Assign from a full pool");
    user::Frame frame(REQUIRE_OK(t, t.objects().allocate(ObjectType::Frame4K)));
    expect_error(t, frame.map(extra, 0x10000, VmRights::kReadWrite), invalid_capability(1),
                 "the table the full pool refused is no VSpace");

    // Deleting one root gives its ASID back to the pool; the next Assign takes it.
    REQUIRE_OK(t, t.own_cnode().delete_(user::SlotPath{table_run.value + 100, 64}));
    REQUIRE_OK(t, pool.assign(extra));
    expect_error(t, pool.assign(user::PageTable(REQUIRE_OK(t, t.objects().allocate(ObjectType::PageTable)))),
                 error_of(ErrorCode::DeleteFirst), "Assign after the freed ASID was taken again");
    user::PageTable table(REQUIRE_OK(t, t.objects().allocate(ObjectType::PageTable)));
    REQUIRE_OK(t, table.map(extra, 0x10000));
    expect_error(t, frame.map(extra, 0x10000, VmRights::kReadWrite),
                 failed_lookup(LookupFailureType::MissingCapability, 21), "a map into the reused ASID's VSpace");
}
