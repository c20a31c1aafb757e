#include "map_support.hpp"

using namespace tessera;
using namespace tessera::roottask::maptest;

namespace {

InvocationLabel label(u64 value) { return static_cast<InvocationLabel>(value); }

} // namespace

ROOTTASK_TEST(MAP0012, "wrong capabilities, unknown labels and short messages are refused exactly") {
    ProbeSpace own = own_probe_space(t);
    user::Frame frame(REQUIRE_OK(t, t.objects().allocate(ObjectType::Frame4K)));
    user::PageTable table(REQUIRE_OK(t, t.objects().allocate(ObjectType::PageTable)));
    user::PageTable unassigned(REQUIRE_OK(t, t.objects().allocate(ObjectType::PageTable)));
    user::CPtr tcb = REQUIRE_OK(t, t.objects().allocate(ObjectType::Tcb));
    user::PageTable own_vspace = t.own_vspace();
    u64 address = REQUIRE_OK(t, t.root().addresses.reserve(1));
    // The tables for `address` exist, so only the capabilities decide below.
    {
        user::Frame helper(REQUIRE_OK(t, t.objects().allocate(ObjectType::Frame4K)));
        REQUIRE_OK(t, user::map_frame(t.objects(), own_vspace, helper, address, VmRights::kReadOnly));
        REQUIRE_OK(t, helper.unmap());
    }
    u64 table_region = REQUIRE_OK(t, reserve_aligned(t, 21));
    user::PageTable mapped_table(REQUIRE_OK(t, t.objects().allocate(ObjectType::PageTable)));
    REQUIRE_OK(t, mapped_table.map(own_vspace, table_region));

    const user::PageTable not_vspaces[] = {user::PageTable(tcb), unassigned, mapped_table,
                                           user::PageTable(frame.cap())};
    for (const user::PageTable& not_vspace : not_vspaces) {
        expect_error(t, frame.map(not_vspace, address, VmRights::kReadWrite), invalid_capability(1),
                     "Frame.Map into something that is no VSpace");
        expect_error(t, table.map(not_vspace, address), invalid_capability(1),
                     "PageTable.Map into something that is no VSpace");
    }
    expect_faults(t, own, "fault-no-vspace", Access::Load, address);
    expect_error(t, frame.remap(VmRights::kReadOnly), invalid_capability(0), "the frame after the refusals");

    // The frame itself is checked before the VSpace.
    REQUIRE_OK(t, frame.map(own_vspace, address, VmRights::kReadWrite));
    expect_error(t, frame.map(user::PageTable(tcb), address, VmRights::kReadWrite), invalid_capability(0),
                 "a mapped frame into a TCB");
    expect_error(t, table.map(own_vspace, ~u64{0}, 5), invalid_argument(0), "the address before the attributes");

    // Labels the object does not know. (Raw requests: the wrappers always send whole ones.)
    using L = InvocationLabel;
    using user::Request;
    const user::CPtr pool_cap{static_cast<u64>(RootSlot::AsidPool)};
    const user::CPtr asid_control{static_cast<u64>(RootSlot::AsidControl)};
    const user::Error illegal = error_of(ErrorCode::IllegalOperation);
    expect_error(t, user::invoke(frame.cap(), Request(label(44))), illegal, "Frame label 44");
    expect_error(t, user::invoke(frame.cap(), Request(L::PageTableMap).word(address).word(0).cap(own_vspace.cap())),
                 illegal, "PageTable.Map on a frame");
    expect_error(t, user::invoke(table.cap(), Request(L::FrameGetAddress)), illegal, "Frame.GetAddress on a table");
    expect_error(t, user::invoke(pool_cap, Request(L::AsidControlMakePool).word(0).word(64)), illegal,
                 "MakePool on a pool");
    expect_error(t, user::invoke(asid_control, Request(L::AsidPoolAssign).cap(unassigned.cap())), illegal,
                 "Assign on AsidControl");

    // Short messages.
    const user::Error truncated = error_of(ErrorCode::TruncatedMessage);
    user::Frame other(REQUIRE_OK(t, t.objects().allocate(ObjectType::Frame4K)));
    u64 other_address = REQUIRE_OK(t, t.root().addresses.reserve(1));
    const u64 rw = VmRights::kReadWrite;
    expect_error(t, user::invoke(other.cap(), Request(L::FrameMap).word(other_address).word(rw).cap(own_vspace.cap())),
                 truncated, "Frame.Map with 2 words");
    expect_error(t, user::invoke(other.cap(), Request(L::FrameMap).word(other_address).word(rw).word(0)), truncated,
                 "Frame.Map without the VSpace");
    expect_error(t, user::invoke(frame.cap(), Request(L::FrameRemap).word(VmRights::kReadOnly)), truncated,
                 "Frame.Remap with 1 word");
    expect_error(t, user::invoke(table.cap(), Request(L::PageTableMap).word(table_region).cap(own_vspace.cap())),
                 truncated, "PageTable.Map with 1 word");
    expect_error(t, user::invoke(table.cap(), Request(L::PageTableMap).word(table_region).word(0)), truncated,
                 "PageTable.Map without the VSpace");
    user::CPtr pool_memory = REQUIRE_OK(t, t.objects().allocate_untyped(12));
    user::CPtr pool_slot = REQUIRE_OK(t, t.objects().slots().allocate());
    const user::CPtr cnode = t.own_cnode().cap();
    expect_error(t,
                 user::invoke(asid_control,
                              Request(L::AsidControlMakePool).word(pool_slot.value).cap(pool_memory).cap(cnode)),
                 truncated, "MakePool with 1 word");
    expect_error(t,
                 user::invoke(asid_control,
                              Request(L::AsidControlMakePool).word(pool_slot.value).word(64).cap(pool_memory)),
                 truncated, "MakePool with 1 extra capability");
    expect_error(t, user::invoke(pool_cap, Request(L::AsidPoolAssign)), truncated, "Assign without a table");

    // Nothing of that took effect: the frame keeps its one mapping, the rest map nowhere.
    words_at(address)[0] = 0x77;
    expect_reads(t, own, "read-frame", address, 0x77);
    expect_faults(t, own, "fault-other", Access::Load, other_address);
    expect_error(t, other.remap(VmRights::kReadOnly), invalid_capability(0), "the other frame after the refusals");
    REQUIRE_OK(t, user::map_frame(t.objects(), own_vspace, other, table_region, VmRights::kReadOnly));
    REQUIRE_OK(t, user::AsidControl(asid_control).make_pool(user::Untyped(pool_memory), t.own_cnode(),
                                                            user::SlotPath::at(pool_slot)));
    REQUIRE_OK(t, user::AsidPool(pool_slot).assign(unassigned));
}
