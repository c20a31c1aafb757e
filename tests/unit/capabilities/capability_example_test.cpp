// The worked example of docs/capabilities.md, step by step, exactly as the document states
// it: a root task with a radix-12 CNode and a 64 KiB Untyped in slot 10 builds a two-level
// CSpace for a client, gives it a badged endpoint, and takes everything back.
#include "cap_fixture.hpp"

using namespace captest;

namespace {

constexpr u64 kOwnCNode = Kernel::kRootCNodeSlot; // the root task's capability to its CNode

// What the client sees when it invokes `pointer` in its own CSpace.
Reply client_invokes(const Capability& client_root, u64 pointer) {
    MessageInfo info;
    info.label = 2;
    info.length = 2;
    const u64 words[] = {0, 64};
    PreemptionPoint never(nullptr, nullptr);
    return from_invocation_reply(
        handle_invocation(client_root, pointer, info, kstd::Span<const u64>(words, 2), kstd::Span<const u64>(), never));
}

} // namespace

TEST_CASE("the worked example of docs/capabilities.md") {
    // "The root task starts with a CNode of radix 12 (4096 slots, guard 52 zero bits, so
    // pointers are plain slot numbers at depth 64)" and "holds a 64 KiB Untyped in slot 10".
    Kernel k(16, 12, 10);
    REQUIRE(k.cspace_root().cap.cnode_radix() == 12);
    REQUIRE(k.cspace_root().cap.cnode_guard_bits() == 52);
    REQUIRE(k.cap(10) == Capability::untyped(k.arena().base(), 16, false));
    u64 base = k.arena().base();

    // 1. Split an Untyped: Untyped.Retype(slot 10; type 0, size 14, node index 0, depth 0,
    //    offset 20, count 4) with extra[0] = its own CNode.
    REQUIRE(k.invoke(10, InvocationLabel::UntypedRetype, {0, 14, 0, 0, 20, 4}, {kOwnCNode}) == success());
    for (u64 i = 0; i < 4; ++i) {
        INFO("slot " << 20 + i);
        CHECK(k.cap(20 + i) == Capability::untyped(base + i * 0x4000, 14, false));
        CHECK(is_parent_of(k.slot(10), k.slot(20 + i)));
    }
    CHECK(descendants_of(k.slot(10)).size() == 4);

    // 2. Make the objects: an Endpoint from slot 20 into slot 30 (Retype(slot 20; type 2,
    //    0, 0, 0, 30, 1)); two CNodes of radix 4 from slot 21 into 40 and 41.
    REQUIRE(k.invoke(20, InvocationLabel::UntypedRetype, {2, 0, 0, 0, 30, 1}, {kOwnCNode}) == success());
    REQUIRE(k.invoke(21, InvocationLabel::UntypedRetype, {4, 4, 0, 0, 40, 2}, {kOwnCNode}) == success());
    CHECK(k.cap(30) == Capability::endpoint(base, 0, Rights::all()));
    CHECK(k.cap(40) == Capability::cnode(base + 0x4000, 4, 0, 0));
    CHECK(k.cap(41) == Capability::cnode(base + 0x4000 + 512, 4, 0, 0));

    // 3. Build a two-level CSpace: Mutate slot 40 with guard size 56 into 42 ...
    REQUIRE(k.invoke(kOwnCNode, InvocationLabel::CNodeMutate, {42, 64, 40, 64, 56}, {kOwnCNode}) == success());
    CHECK(k.slot(40).is_empty());
    CHECK(k.cap(42) == Capability::cnode(base + 0x4000, 4, 56, 0));
    //    ... then CNode.Copy invoked on the client CNode (slot 42), destination index 1 at
    //    depth 60, the root's CNode as source root, source slot 41.
    REQUIRE(k.invoke(42, InvocationLabel::CNodeCopy, {1, 60, 41, 64, Rights::kMask}, {kOwnCNode}) == success());
    const Capability& client = k.cap(42);
    Slot* top = cnode_slots(client);
    Slot* second = cnode_slots(k.cap(41));
    CHECK(top[1].cap == k.cap(41));
    //    "A client pointer 0x12 now resolves: guard 0 (56 bits), slot 1 of the top level
    //    (the second-level CNode), then slot 2 of the second level."
    auto resolved = resolve_address_bits(client, 0x12, 64);
    REQUIRE(resolved.ok());
    CHECK(resolved.value().slot == &second[2]);
    CHECK(resolved.value().bits_remaining == 0);

    // 4. Mint a badged endpoint for the client: CNode.Mint from slot 30 into the client's
    //    0x12 (through the client CNode, index 0x12, depth 64), rights write + grant, badge 7.
    REQUIRE(k.invoke(42, InvocationLabel::CNodeMint, {0x12, 64, 30, 64, Rights::kWrite | Rights::kGrant, 7},
                     {kOwnCNode}) == success());
    auto client_slot = lookup_slot(client, 0x12);
    REQUIRE(client_slot.ok());
    const Capability& badged = client_slot.value()->cap;
    CHECK(badged.type() == CapType::Endpoint);
    CHECK(badged.address() == k.cap(30).address());
    CHECK(badged.badge() == 7);
    CHECK(badged.rights() == Rights{Rights::kWrite | Rights::kGrant});
    CHECK(badged.rights().can_write()); // "the client can send"
    CHECK_FALSE(badged.rights().can_read());
    // The client reaches an endpoint there (which has no invocations yet).
    CHECK(client_invokes(client, 0x12) == error(ErrorCode::IllegalOperation));

    // 5. Revoke: CNode.Revoke(slot 30) deletes every capability derived from the endpoint,
    //    including the client's, while the root task's own capability stays.
    REQUIRE(k.invoke(kOwnCNode, InvocationLabel::CNodeRevoke, {30, 64}) == success());
    CHECK(second[2].is_empty());
    CHECK(client_invokes(client, 0x12) == error(ErrorCode::InvalidCapability, {0}));
    CHECK(k.cap(30) == Capability::endpoint(base, 0, Rights::all()));
    //    CNode.Revoke(slot 10) takes back everything carved from the 64 KiB, and the next
    //    Retype of slot 10 starts again from its base.
    REQUIRE(k.invoke(kOwnCNode, InvocationLabel::CNodeRevoke, {10, 64}) == success());
    for (u64 slot : {20u, 21u, 22u, 23u, 30u, 41u, 42u}) CHECK(k.slot(slot).is_empty());
    CHECK(descendants_of(k.slot(10)).empty());
    REQUIRE(k.invoke(10, InvocationLabel::UntypedRetype, {2, 0, 0, 0, 50, 1}, {kOwnCNode}) == success());
    CHECK(k.cap(50).address() == base);
}
