// CNode.Copy, Mint, Move, Mutate, Rotate, Delete and Revoke as docs/invocations.md
// describes them (the error table is in cnode_errors_test.cpp).
#include "cap_fixture.hpp"

using namespace captest;

namespace {

constexpr u64 kRoot = Kernel::kRootCNodeSlot;
constexpr u64 kUt = Kernel::kUntypedSlot;
constexpr u64 kEp = 10, kNtfn = 11, kCNode = 12, kFrame = 13, kReply = 14, kChildUt = 15, kTcb = 16, kIrq = 17,
              kHandler = 18;

// One object of every kind in slots 10..16, IrqControl in 17 and an IRQ handler in 18.
struct Objects {
    explicit Objects(Kernel& k) {
        REQUIRE(k.retype(kUt, ObjectType::Endpoint, 0, kEp) == success());
        REQUIRE(k.retype(kUt, ObjectType::Notification, 0, kNtfn) == success());
        REQUIRE(k.retype(kUt, ObjectType::CNode, 4, kCNode) == success());
        REQUIRE(k.retype(kUt, ObjectType::Frame4K, 0, kFrame) == success());
        REQUIRE(k.retype(kUt, ObjectType::Reply, 0, kReply) == success());
        REQUIRE(k.retype(kUt, ObjectType::Untyped, 8, kChildUt) == success());
        REQUIRE(k.retype(kUt, ObjectType::Tcb, 0, kTcb) == success());
        k.place_original(kIrq, Capability::irq_control());
        k.place_original(kHandler, Capability::irq_handler(7));
    }
};

} // namespace

TEST_CASE("Copy places a child with the same object and masked rights") {
    Kernel k(16);
    Objects objects(k);
    REQUIRE(k.copy(20, kEp, Rights::kRead | Rights::kGrant) == success());
    CHECK(k.cap(20) == Capability::endpoint(k.cap(kEp).address(), 0, Rights{Rights::kRead | Rights::kGrant}));
    CHECK(k.slot(kEp).next() == &k.slot(20)); // right after its source
    CHECK(is_parent_of(k.slot(kEp), k.slot(20)));
    CHECK_FALSE(k.slot(20).revocable());
    // A copy of the copy: rights only shrink, a wider mask adds nothing.
    REQUIRE(k.copy(21, 20, Rights::kMask) == success());
    CHECK(k.cap(21).rights() == Rights{Rights::kRead | Rights::kGrant});
    REQUIRE(k.copy(22, 21, Rights::kWrite | Rights::kGrant) == success());
    CHECK(k.cap(22).rights() == Rights{Rights::kGrant});
    CHECK(descendants_of(k.slot(kEp)).size() == 3);
    // Notification, Frame (unmapped, device bit kept), CNode, TCB, IRQ handler: copyable.
    REQUIRE(k.copy(23, kNtfn, Rights::kRead) == success());
    CHECK(k.cap(23).rights() == Rights{Rights::kRead});
    REQUIRE(k.copy(24, kFrame, Rights::kRead) == success());
    CHECK(k.cap(24) == Capability::frame(k.cap(kFrame).address(), 12, false, Rights{Rights::kRead}));
    REQUIRE(k.copy(25, kCNode) == success());
    CHECK(k.cap(25) == k.cap(kCNode));
    REQUIRE(k.copy(26, kTcb) == success());
    CHECK(k.cap(26) == k.cap(kTcb));
    REQUIRE(k.copy(27, kHandler) == success());
    CHECK(k.cap(27) == Capability::irq_handler(7));
    CHECK(is_parent_of(k.slot(kHandler), k.slot(27)));
    // Untyped, IrqControl and Reply capabilities are never copied.
    for (u64 src : {kUt, kChildUt, kIrq, kReply}) {
        INFO("source " << src);
        Unchanged unchanged(k);
        CHECK(k.copy(30, src) == error(ErrorCode::IllegalOperation));
    }
}

TEST_CASE("Mint badges an unbadged endpoint or notification and starts a badge group") {
    Kernel k(16);
    Objects objects(k);
    for (u64 src : {kEp, kNtfn}) {
        INFO("source " << src);
        u64 dest = src == kEp ? 20 : 30;
        REQUIRE(k.mint(dest, src, Rights::kWrite | Rights::kGrant, 7) == success());
        CHECK(k.cap(dest).badge() == 7);
        CHECK(k.cap(dest).type() == k.cap(src).type());
        CHECK(k.cap(dest).address() == k.cap(src).address());
        CHECK(k.cap(dest).rights() == Rights{Rights::kWrite | Rights::kGrant});
        CHECK(k.slot(dest).revocable());
        CHECK(k.slot(dest).first_badged());
        CHECK(is_parent_of(k.slot(src), k.slot(dest)));
        // A badge is set once: minting a badged capability fails, whatever the badge.
        for (u64 badge : {u64{0}, u64{7}, u64{8}}) {
            Unchanged unchanged(k);
            CHECK(k.mint(dest + 1, dest, Rights::kMask, badge) == error(ErrorCode::IllegalOperation));
        }
        // Copies of the badged capability keep the badge and belong to its group.
        REQUIRE(k.copy(dest + 1, dest, Rights::kMask) == success());
        CHECK(k.cap(dest + 1).badge() == 7);
        CHECK(k.cap(dest + 1).rights() == Rights{Rights::kWrite | Rights::kGrant});
        CHECK_FALSE(k.slot(dest + 1).first_badged());
        CHECK(is_parent_of(k.slot(dest), k.slot(dest + 1)));
        // Badge 0 is no badge: a plain copy, not revocable.
        REQUIRE(k.mint(dest + 2, src, Rights::kRead, 0) == success());
        CHECK(k.cap(dest + 2).badge() == 0);
        CHECK_FALSE(k.slot(dest + 2).revocable());
        // Rights never grow: a mint from a read-only copy with every right stays read-only.
        REQUIRE(k.mint(dest + 3, dest + 2, Rights::kMask, 9) == success());
        CHECK(k.cap(dest + 3).rights() == Rights{Rights::kRead});
        CHECK(k.cap(dest + 3).badge() == 9);
        CHECK(k.slot(dest + 3).revocable());
    }
}

TEST_CASE("Mint gives a CNode capability a guard that fits") {
    Kernel k(16);
    Objects objects(k);
    REQUIRE(k.mint(20, kCNode, 0, cnode_data(0x2a, 6)) == success());
    CHECK(k.cap(20) == Capability::cnode(k.cap(kCNode).address(), 4, 6, 0x2a));
    CHECK(k.cap(kCNode).cnode_guard_bits() == 0); // the source is unchanged
    CHECK(is_parent_of(k.slot(kCNode), k.slot(20)));
    // Guard bits above the guard size are dropped; 60 guard bits + radix 4 = 64 fits.
    REQUIRE(k.mint(21, kCNode, 0, cnode_data(0xff, 4)) == success());
    CHECK(k.cap(21).cnode_guard() == 0xf);
    REQUIRE(k.mint(22, kCNode, 0, cnode_data(0, 60)) == success());
    CHECK(k.cap(22).cnode_guard_bits() == 60);
    Unchanged unchanged(k);
    CHECK(k.mint(23, kCNode, 0, cnode_data(0, 61)) == error(ErrorCode::IllegalOperation));
    CHECK(k.mint(23, kCNode, 0, 63) == error(ErrorCode::IllegalOperation));
    // Mint of an Untyped fails like Copy; data means nothing for a frame.
    CHECK(k.mint(23, kChildUt, Rights::kMask, 5) == error(ErrorCode::IllegalOperation));
    CHECK(k.mint(23, kReply, Rights::kMask, 5) == error(ErrorCode::IllegalOperation));
    CHECK(k.mint(23, kIrq, Rights::kMask, 5) == error(ErrorCode::IllegalOperation));
}

TEST_CASE("Mint of a frame ignores the data word") {
    Kernel k(16);
    Objects objects(k);
    REQUIRE(k.mint(20, kFrame, Rights::kRead | Rights::kWrite, 0x1234) == success());
    CHECK(k.cap(20) == Capability::frame(k.cap(kFrame).address(), 12, false, Rights{Rights::kRead | Rights::kWrite}));
}

TEST_CASE("Move keeps the capability's place in the derivation tree") {
    Kernel k(16);
    Objects objects(k);
    REQUIRE(k.mint(20, kEp, Rights::kMask, 3) == success());
    REQUIRE(k.copy(21, 20) == success());
    Slot* before = k.slot(20).prev();
    Slot* after = k.slot(20).next();
    Capability cap = k.cap(20);
    REQUIRE(k.move(40, 20) == success());
    CHECK(k.slot(20).is_empty());
    CHECK(k.slot(20).prev() == nullptr);
    CHECK(k.slot(20).next() == nullptr);
    CHECK(k.cap(40) == cap);
    CHECK(k.slot(40).prev() == before);
    CHECK(k.slot(40).next() == after);
    CHECK(before->next() == &k.slot(40));
    CHECK(after->prev() == &k.slot(40));
    CHECK(k.slot(40).revocable());
    CHECK(k.slot(40).first_badged());
    CHECK(is_parent_of(k.slot(40), k.slot(21)));
    // Untyped capabilities move (with their watermark and children).
    u64 watermark = k.cap(kUt).untyped_watermark();
    REQUIRE(k.move(41, kUt) == success());
    CHECK(k.cap(41).untyped_watermark() == watermark);
    CHECK(descendants_of(k.slot(41)).size() >= 7);
    REQUIRE(k.retype(41, ObjectType::Endpoint, 0, 42) == success());
    CHECK(k.cap(42).address() == k.arena().base() + watermark);
    // Reply and IrqControl capabilities move too.
    REQUIRE(k.move(43, kReply) == success());
    REQUIRE(k.move(44, kIrq) == success());
    CHECK(k.cap(44) == Capability::irq_control());
    Unchanged unchanged(k);
    CHECK(k.move(43, 44) == error(ErrorCode::DeleteFirst));
    CHECK(k.move(43, 43) == error(ErrorCode::DeleteFirst));
    CHECK(k.move(45, 20) == lookup_error(true, LookupFailureType::MissingCapability, {0}));
}

TEST_CASE("Mutate moves with a new CNode guard and refuses new data for endpoints") {
    Kernel k(16);
    Objects objects(k);
    Slot* before = k.slot(kCNode).prev();
    REQUIRE(k.mutate(20, kCNode, cnode_data(5, 3)) == success());
    CHECK(k.slot(kCNode).is_empty());
    CHECK(k.cap(20).cnode_guard() == 5);
    CHECK(k.cap(20).cnode_guard_bits() == 3);
    CHECK(k.cap(20).cnode_radix() == 4);
    CHECK(k.slot(20).prev() == before);
    CHECK(k.slot(20).revocable());
    // Other types are moved as they are, whatever the data word.
    REQUIRE(k.mutate(21, kFrame, 77) == success());
    CHECK(k.cap(21).type() == CapType::Frame);
    REQUIRE(k.mutate(22, kChildUt, 77) == success());
    CHECK(k.cap(22).untyped_size_bits() == 8);
    REQUIRE(k.mint(23, kEp, Rights::kMask, 4) == success());
    Unchanged unchanged(k);
    CHECK(k.mutate(30, kEp, 0) == error(ErrorCode::IllegalOperation));
    CHECK(k.mutate(30, kEp, 9) == error(ErrorCode::IllegalOperation));
    CHECK(k.mutate(30, 23, 4) == error(ErrorCode::IllegalOperation));
    CHECK(k.mutate(30, kNtfn, 1) == error(ErrorCode::IllegalOperation));
    CHECK(k.mutate(30, 20, cnode_data(0, 61)) == error(ErrorCode::IllegalOperation));
}

TEST_CASE("Rotate moves the pivot to the destination and the source to the pivot") {
    Kernel k(16);
    Objects objects(k);
    REQUIRE(k.retype(kUt, ObjectType::CNode, 2, 19) == success());
    Capability source = k.cap(kCNode);
    Capability pivot = k.cap(19);
    Slot* source_prev = k.slot(kCNode).prev();
    Slot* pivot_prev = k.slot(19).prev();
    // Three slots: pivot 19 -> 40 (guard 1/2), source 12 -> 19 (guard 3/3).
    REQUIRE(k.rotate(40, cnode_data(1, 2), 19, cnode_data(3, 3), kCNode) == success());
    CHECK(k.slot(kCNode).is_empty());
    CHECK(k.cap(40) == Capability::cnode(pivot.address(), 2, 2, 1));
    CHECK(k.cap(19) == Capability::cnode(source.address(), 4, 3, 3));
    CHECK(k.slot(40).prev() == pivot_prev);
    CHECK(k.slot(19).prev() == source_prev);
    require_linked_consistently(k.root_storage(), k.root_slots());
    // Swap form: destination == source; the two exchange places (data applied).
    REQUIRE(k.rotate(19, cnode_data(0, 0), 40, cnode_data(0, 0), 19) == success());
    CHECK(k.cap(19) == Capability::cnode(pivot.address(), 2, 0, 0));
    CHECK(k.cap(40) == Capability::cnode(source.address(), 4, 0, 0));
    CHECK(k.slot(19).prev() == pivot_prev);
    CHECK(k.slot(40).prev() == source_prev);
    require_linked_consistently(k.root_storage(), k.root_slots());
    // Neighbours in the list swap correctly too: the frame and its copy.
    REQUIRE(k.copy(41, kFrame) == success());
    REQUIRE(k.slot(kFrame).next() == &k.slot(41));
    REQUIRE(k.rotate(kFrame, 0, 41, 0, kFrame) == success());
    CHECK(k.slot(41).next() == &k.slot(kFrame));
    CHECK(k.slot(41).revocable());
    CHECK_FALSE(k.slot(kFrame).revocable());
    CHECK(is_parent_of(k.slot(41), k.slot(kFrame)));
    require_linked_consistently(k.root_storage(), k.root_slots());
}

TEST_CASE("Rotate refuses a pivot that is the source or destination and checks every slot") {
    Kernel k(16);
    Objects objects(k);
    REQUIRE(k.retype(kUt, ObjectType::CNode, 2, 19) == success());
    Unchanged unchanged(k);
    CHECK(k.rotate(40, 0, kCNode, 0, kCNode) == error(ErrorCode::IllegalOperation));
    CHECK(k.rotate(40, 0, 40, 0, kCNode) == error(ErrorCode::IllegalOperation));
    CHECK(k.rotate(19, 0, 19, 0, 19) == error(ErrorCode::IllegalOperation));
    CHECK(k.rotate(kFrame, 0, 19, 0, kCNode) == error(ErrorCode::DeleteFirst));
    CHECK(k.rotate(40, 0, 19, 0, 41) == lookup_error(true, LookupFailureType::MissingCapability, {0}));
    CHECK(k.rotate(40, 0, 41, 0, kCNode) == lookup_error(false, LookupFailureType::MissingCapability, {0}));
    CHECK(k.rotate(kCNode, 0, 41, 0, kCNode) == lookup_error(false, LookupFailureType::MissingCapability, {0}));
    // Endpoints and notifications cannot take new data, so they do not rotate.
    CHECK(k.rotate(40, 0, kEp, 0, kCNode) == error(ErrorCode::IllegalOperation));
    CHECK(k.rotate(40, 0, kCNode, 0, kNtfn) == error(ErrorCode::IllegalOperation));
    CHECK(k.rotate(40, cnode_data(0, 63), 19, 0, kCNode) == error(ErrorCode::IllegalOperation)); // radix 2 + 63
    // The pivot's lookup failing is reported as a source lookup (as seL4 does).
    CHECK(k.invoke(kRoot, InvocationLabel::CNodeRotate, {40, 64, 0, 19, 10, 0, kCNode, 64}, {kRoot, kRoot}) ==
          lookup_error(true, LookupFailureType::GuardMismatch, {10, 0, 52}));
}

TEST_CASE("Delete empties a slot and Revoke keeps the capability but removes what was derived") {
    Kernel k(16);
    Objects objects(k);
    REQUIRE(k.copy(20, kEp) == success());
    REQUIRE(k.mint(21, kEp, Rights::kMask, 1) == success());
    REQUIRE(k.copy(22, 21) == success());
    REQUIRE(k.copy(23, kCNode) == success());
    REQUIRE(k.remove(20) == success());
    CHECK(k.slot(20).is_empty());
    CHECK(k.remove(20) == success()); // deleting an empty slot is fine
    REQUIRE(k.revoke(kEp) == success());
    CHECK(k.cap(kEp).type() == CapType::Endpoint);
    for (u64 slot : {20u, 21u, 22u}) CHECK(k.slot(slot).is_empty());
    CHECK(k.cap(23).type() == CapType::CNode); // another object's copy stays
    CHECK(k.revoke(kEp) == success());          // nothing left to revoke
    CHECK(k.revoke(50) == success());           // nor in an empty slot
    // Revoke of a non-revocable copy removes nothing.
    REQUIRE(k.copy(24, 23) == success());
    REQUIRE(k.revoke(23) == success());
    CHECK(k.cap(24).type() == CapType::CNode);
    require_linked_consistently(k.root_storage(), k.root_slots());
}
