#include "map_support.hpp"

using namespace tessera;
using namespace tessera::roottask::maptest;

namespace {

user::Result<user::AsidPool> new_pool(roottask::TestContext& t) {
    user::CPtr memory = TRY(t.objects().allocate_untyped(12));
    user::CPtr slot = TRY(t.objects().slots().allocate());
    user::AsidControl control(user::CPtr{static_cast<u64>(RootSlot::AsidControl)});
    TRY(control.make_pool(user::Untyped(memory), t.own_cnode(), user::SlotPath::at(slot)));
    return user::AsidPool(slot);
}

constexpr u64 kDataAddress = 0x13000;

} // namespace

ROOTTASK_TEST(ASID0003, "a deleted pool leaves its VSpaces stale: no maps, no threads; the ASIDs serve a new pool") {
    user::AsidPool pool = REQUIRE_OK(t, new_pool(t));
    ProbeSpace space = REQUIRE_OK(t, make_probe_space(t, pool));
    user::Frame data;
    u64 here = REQUIRE_OK(t, t.new_mapped_page(&data));
    words_at(here)[0] = 0xda7a;
    user::Frame mapped(REQUIRE_OK(t, copy_cap(t, data.cap())));
    REQUIRE_OK(t, user::map_frame(t.objects(), space.vspace, mapped, kDataAddress, VmRights::kReadOnly));
    user::PageTable table(REQUIRE_OK(t, t.objects().allocate(ObjectType::PageTable)));
    REQUIRE_OK(t, table.map(space.vspace, u64{7} << 30));
    expect_reads(t, space, "read-before", kDataAddress, 0xda7a);
    // A thread of the VSpace, ready to run once the pool is gone.
    user::Tcb orphan(REQUIRE_OK(t, t.objects().allocate(ObjectType::Tcb)));
    REQUIRE_OK(t, orphan.configure(user::CPtr{0}, t.own_cnode(), 0, space.vspace, 0, 0, user::Frame{}));
    REQUIRE_OK(t, orphan.set_priority(roottask::kRootRunPriority + 1, roottask::RootEnvironment::own_caps().tcb));
    REQUIRE_OK(t, orphan.set_name("fault-no-asid"));

    REQUIRE_OK(t, t.own_cnode().delete_(user::SlotPath::at(pool.cap())));

    const user::Error stale = failed_lookup(LookupFailureType::InvalidRoot);
    user::Frame fresh(REQUIRE_OK(t, t.objects().allocate(ObjectType::Frame4K)));
    expect_error(t, fresh.map(space.vspace, 0x14000, VmRights::kReadWrite), stale, "Frame.Map into the stale VSpace");
    user::PageTable fresh_table(REQUIRE_OK(t, t.objects().allocate(ObjectType::PageTable)));
    expect_error(t, fresh_table.map(space.vspace, u64{8} << 30), stale, "PageTable.Map into the stale VSpace");
    expect_error(t, mapped.remap(VmRights::kReadOnly), stale, "Remap of a frame in the stale VSpace");
    user::Tcb other(REQUIRE_OK(t, t.objects().allocate(ObjectType::Tcb)));
    expect_error(t, other.configure(user::CPtr{0}, t.own_cnode(), 0, space.vspace, 0, 0, user::Frame{}),
                 invalid_capability(2), "Configure with the stale VSpace");
    expect_error(t, other.set_space(user::CPtr{0}, t.own_cnode(), 0, space.vspace, 0), invalid_capability(2),
                 "SetSpace with the stale VSpace");

    // The thread runs in the kernel-only address space: its first instruction faults.
    arch::UserContext registers{};
    registers.pc = space.code + probe_load_offset();
    registers.reg(10) = space.record;
    registers.reg(11) = space.record;
    space.record_here->done = 0;
    REQUIRE_OK(t, orphan.write_registers(registers, true));
    for (unsigned i = 0; i < 4; ++i) user::yield();
    arch::UserContext after = REQUIRE_OK(t, orphan.read_registers(1));
    t.expect(space.record_here->done == 0, "the thread of the stale VSpace ran its probe");
    t.expect(after.pc == registers.pc, "the thread of the stale VSpace stopped at {}, not at its first instruction {}",
             kstd::Hex{after.pc}, kstd::Hex{registers.pc});

    // The ASIDs go to the next pool; the stale root stays stale even when its ASID is
    // handed out again (to the new pool's first VSpace).
    user::AsidPool next = REQUIRE_OK(t, new_pool(t));
    expect_error(t, next.assign(space.vspace), invalid_capability(1), "Assign of the stale root");
    ProbeSpace successor = REQUIRE_OK(t, make_probe_space(t, next));
    expect_error(t, fresh.map(space.vspace, 0x14000, VmRights::kReadWrite), stale,
                 "Frame.Map into the stale VSpace once its ASID serves another");
    expect_error(t, mapped.remap(VmRights::kReadOnly), stale, "Remap once the ASID serves another VSpace");
    // A frame of its own: a stale capability to the *same* frame at the same address in
    // the same ASID cannot be told from the successor's (as in seL4), and would unmap it.
    user::Frame successor_data;
    u64 successor_here = REQUIRE_OK(t, t.new_mapped_page(&successor_data));
    words_at(successor_here)[0] = 0x5cc;
    REQUIRE_OK(t, successor_data.unmap());
    REQUIRE_OK(t, user::map_frame(t.objects(), successor.vspace, successor_data, kDataAddress, VmRights::kReadOnly));
    REQUIRE_OK(t, fresh_table.map(successor.vspace, u64{7} << 30));
    // Unmapping the stale capabilities must not touch the successor's entries at the same places.
    REQUIRE_OK(t, mapped.unmap());
    REQUIRE_OK(t, table.unmap());
    expect_reads(t, successor, "read-successor", kDataAddress, 0x5cc);
    REQUIRE_OK(t, successor_data.remap(VmRights::kReadOnly));
    expect_error(t, fresh.map(successor.vspace, (u64{7} << 30) + 0x1000, VmRights::kReadWrite),
                 failed_lookup(LookupFailureType::MissingCapability, 21), "the successor's level-1 table is in place");
}
