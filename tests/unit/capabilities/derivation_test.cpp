// The derivation tree: what Revoke removes (unbadged and badged endpoints, badge groups),
// first_badged inheritance, the parent rule itself, and finalisation exactly once when the
// last capability to an object goes.
#include <algorithm>

#include "cap_fixture.hpp"

using namespace captest;

namespace {

constexpr u64 kUt = Kernel::kUntypedSlot;
constexpr u64 kEp = 10;

bool empty(Kernel& k, std::initializer_list<u64> slots) {
    return std::all_of(slots.begin(), slots.end(), [&](u64 s) { return k.slot(s).is_empty(); });
}
bool full(Kernel& k, std::initializer_list<u64> slots) {
    return std::none_of(slots.begin(), slots.end(), [&](u64 s) { return k.slot(s).is_empty(); });
}

} // namespace

TEST_CASE("Revoke of an unbadged endpoint removes every derived capability, badged or not") {
    Kernel k(16);
    FinaliserLog log;
    REQUIRE(k.retype(kUt, ObjectType::Endpoint, 0, kEp) == success());
    REQUIRE(k.copy(20, kEp) == success());
    REQUIRE(k.copy(21, 20) == success());
    REQUIRE(k.mint(22, kEp, Rights::kMask, 1) == success());
    REQUIRE(k.copy(23, 22) == success());
    REQUIRE(k.mint(24, 21, Rights::kRead, 2) == success()); // minted from a copy
    REQUIRE(k.copy(25, 24) == success());
    REQUIRE(k.copy(26, 25) == success());
    CHECK(descendants_of(k.slot(kEp)).size() == 7);
    REQUIRE(k.revoke(kEp) == success());
    CHECK(empty(k, {20, 21, 22, 23, 24, 25, 26}));
    CHECK(k.cap(kEp).type() == CapType::Endpoint);
    CHECK(log.events().empty()); // the endpoint itself lives on
    REQUIRE(k.remove(kEp) == success());
    CHECK(log.count(CapType::Endpoint, k.arena().base()) == 1);
    CHECK(log.events().size() == 1);
}

TEST_CASE("Revoke of a badged capability removes exactly the copies of its badge group") {
    Kernel k(16);
    REQUIRE(k.retype(kUt, ObjectType::Endpoint, 0, kEp) == success());
    REQUIRE(k.mint(20, kEp, Rights::kMask, 5) == success()); // group A
    REQUIRE(k.copy(21, 20) == success());
    REQUIRE(k.copy(22, 21) == success());
    REQUIRE(k.mint(40, kEp, Rights::kMask, 5) == success()); // group A': the same badge value
    REQUIRE(k.copy(41, 40) == success());
    REQUIRE(k.slot(41).next() == &k.slot(20)); // A' ends right where A starts
    REQUIRE(k.mint(30, kEp, Rights::kMask, 6) == success()); // group B
    REQUIRE(k.copy(31, 30) == success());
    REQUIRE(k.copy(23, 20) == success()); // a late copy in group A
    REQUIRE(k.copy(50, kEp) == success()); // an unbadged copy
    std::vector<Slot*> group_a = descendants_of(k.slot(20));
    CHECK(group_a.size() == 3);
    CHECK(descendants_of(k.slot(40)).size() == 1);
    CHECK(descendants_of(k.slot(30)).size() == 1);

    SECTION("revoke group A") {
        REQUIRE(k.revoke(20) == success());
        CHECK(empty(k, {21, 22, 23}));
        CHECK(full(k, {kEp, 20, 30, 31, 40, 41, 50}));
    }
    SECTION("revoke group A'") {
        REQUIRE(k.revoke(40) == success());
        CHECK(empty(k, {41}));
        CHECK(full(k, {kEp, 20, 21, 22, 23, 30, 31, 40, 50}));
    }
    SECTION("revoke a copy inside a group: it has no children") {
        REQUIRE(k.revoke(21) == success());
        CHECK(full(k, {kEp, 20, 21, 22, 23, 30, 31, 40, 41, 50}));
    }
    SECTION("revoke the endpoint") {
        REQUIRE(k.revoke(kEp) == success());
        CHECK(empty(k, {20, 21, 22, 23, 30, 31, 40, 41, 50}));
    }
}

TEST_CASE("a group's copies outlive their deleted head without joining a later group") {
    Kernel k(16);
    REQUIRE(k.retype(kUt, ObjectType::Notification, 0, kEp) == success());
    REQUIRE(k.mint(20, kEp, Rights::kMask, 5) == success());
    REQUIRE(k.copy(21, 20) == success());
    REQUIRE(k.copy(22, 21) == success());
    CHECK_FALSE(k.slot(21).first_badged());
    REQUIRE(k.remove(20) == success());
    // The next node inherits first_badged: it now starts a group of its own.
    CHECK(k.slot(21).first_badged());
    CHECK_FALSE(k.slot(22).first_badged());
    REQUIRE(k.mint(30, kEp, Rights::kMask, 5) == success());
    CHECK(k.slot(30).next() == &k.slot(21)); // right before the orphans
    CHECK(descendants_of(k.slot(30)).empty());
    REQUIRE(k.revoke(30) == success());
    CHECK(full(k, {21, 22}));
    // They are still the endpoint's descendants.
    REQUIRE(k.revoke(kEp) == success());
    CHECK(empty(k, {21, 22, 30}));
}

TEST_CASE("the parent rule: revocable, same region, same badge group") {
    Arena arena(16);
    u64 base = arena.base();
    Slot parent, child;
    parent.cap = Capability::untyped(base, 12, false);
    parent.set_revocable(true);
    child.cap = Capability::endpoint(base + 4096 - 16, 0, Rights::all());
    CHECK(is_parent_of(parent, child)); // the last 16 bytes are inside
    child.cap = Capability::endpoint(base + 4096, 0, Rights::all());
    CHECK_FALSE(is_parent_of(parent, child)); // one past the end is not
    child.cap = Capability::cnode(base + 2048, 6, 0, 0);
    CHECK(is_parent_of(parent, child)); // 2 KiB from 2 KiB: inside
    child.cap = Capability::cnode(base + 2048, 7, 0, 0);
    CHECK_FALSE(is_parent_of(parent, child)); // 4 KiB from 2 KiB: runs past
    child.cap = Capability::untyped(base, 12, false);
    CHECK(is_parent_of(parent, child)); // an Untyped split into one of the same size
    child.cap = Capability::zombie(base + 64, CapType::CNode, 3);
    CHECK(is_parent_of(parent, child)); // Zombies stay children of their Untyped
    child.cap = Capability::irq_handler(3);
    CHECK_FALSE(is_parent_of(parent, child));
    parent.set_revocable(false);
    child.cap = Capability::endpoint(base, 0, Rights::all());
    CHECK_FALSE(is_parent_of(parent, child)); // not revocable: no children at all

    parent.cap = Capability::irq_control();
    parent.set_revocable(true);
    child.cap = Capability::irq_handler(3);
    CHECK(is_parent_of(parent, child));
    // Two handlers of one shared line are two objects: the record tells them apart.
    CHECK(same_object_as(Capability::irq_handler(3, 1), Capability::irq_handler(3, 1)));
    CHECK_FALSE(same_object_as(Capability::irq_handler(3, 1), Capability::irq_handler(3, 2)));
    CHECK_FALSE(same_object_as(Capability::irq_handler(3, 1), Capability::irq_handler(4, 1)));
    parent.cap = Capability::frame(base, 12, false, Rights::all());
    child.cap = Capability::frame(base, 12, false, Rights{Rights::kRead});
    CHECK(is_parent_of(parent, child));
    child.cap = Capability::frame(base, 12, true, Rights::all());
    CHECK_FALSE(is_parent_of(parent, child));
    child.cap = Capability::frame(base, 21, false, Rights::all());
    CHECK_FALSE(is_parent_of(parent, child));
    parent.cap = Capability::endpoint(base, 9, Rights::all());
    child.cap = Capability::endpoint(base, 9, Rights::all());
    CHECK(is_parent_of(parent, child));
    child.set_first_badged(true);
    CHECK_FALSE(is_parent_of(parent, child)); // a new group with the same badge
    child.set_first_badged(false);
    child.cap = Capability::endpoint(base, 8, Rights::all());
    CHECK_FALSE(is_parent_of(parent, child));
    parent.cap = Capability::zombie(base, CapType::CNode, 1);
    child.cap = Capability::zombie(base, CapType::CNode, 1);
    CHECK_FALSE(is_parent_of(parent, child)); // a Zombie has no children

    CHECK(is_revocable_derivation(Capability::endpoint(base, 3, Rights::all()),
                                  Capability::endpoint(base, 0, Rights::all())));
    CHECK_FALSE(is_revocable_derivation(Capability::endpoint(base, 3, Rights::all()),
                                        Capability::endpoint(base, 3, Rights::all())));
    CHECK(is_revocable_derivation(Capability::irq_handler(3), Capability::irq_control()));
    CHECK_FALSE(is_revocable_derivation(Capability::irq_handler(3), Capability::irq_handler(3)));
    CHECK_FALSE(is_revocable_derivation(Capability::cnode(base, 4, 0, 0), Capability::cnode(base, 4, 0, 0)));
}

TEST_CASE("finalisation runs once, when the last capability to an object goes") {
    Kernel k(16);
    FinaliserLog log;
    REQUIRE(k.retype(kUt, ObjectType::Endpoint, 0, 10) == success());
    REQUIRE(k.retype(kUt, ObjectType::Notification, 0, 11) == success());
    REQUIRE(k.retype(kUt, ObjectType::Tcb, 0, 12) == success());
    REQUIRE(k.retype(kUt, ObjectType::Reply, 0, 13) == success());
    REQUIRE(k.retype(kUt, ObjectType::PageTable, 0, 14) == success());
    k.slot(14).cap = k.cap(14).page_table_as_root(1); // only roots and mapped tables are copied
    REQUIRE(k.retype(kUt, ObjectType::Frame4K, 0, 15) == success());
    struct Case {
        u64 slot;
        CapType type;
    };
    for (Case c : {Case{10, CapType::Endpoint}, Case{11, CapType::Notification}, Case{12, CapType::Tcb},
                   Case{14, CapType::PageTable}}) {
        INFO("type " << cap_type_name(c.type));
        u64 address = k.cap(c.slot).address();
        REQUIRE(k.copy(20, c.slot, Rights::kRead) == success());
        REQUIRE(k.copy(21, 20) == success());
        if (c.type == CapType::Endpoint || c.type == CapType::Notification)
            REQUIRE(k.mint(22, c.slot, Rights::kMask, 3) == success());
        else
            REQUIRE(k.copy(22, c.slot) == success());
        CHECK_FALSE(is_final_capability(k.slot(c.slot)));
        REQUIRE(k.remove(c.slot) == success());  // the original, not the last
        REQUIRE(k.move(c.slot, 21) == success()); // moving finalises nothing
        REQUIRE(k.remove(22) == success());
        REQUIRE(k.remove(20) == success());
        CHECK(log.events().empty());
        CHECK(is_final_capability(k.slot(c.slot)));
        REQUIRE(k.remove(c.slot) == success());
        CHECK(log.count(c.type, address) == 1);
        CHECK(log.events().size() == 1);
        log.clear();
    }
    // Reply capabilities cannot be copied: deleting the one capability finalises.
    u64 reply = k.cap(13).address();
    REQUIRE(k.remove(13) == success());
    CHECK(log.count(CapType::Reply, reply) == 1);
    log.clear();
    // The frame hook runs for every frame capability (each may have its own mapping).
    u64 frame = k.cap(15).address();
    REQUIRE(k.copy(20, 15) == success());
    REQUIRE(k.remove(20) == success());
    REQUIRE(k.remove(15) == success());
    CHECK(log.count(CapType::Frame, frame) == 2);
    CHECK(log.events().size() == 2);
}

TEST_CASE("a last capability is recognised by its neighbours in the list") {
    Kernel k(16);
    REQUIRE(k.retype(kUt, ObjectType::Endpoint, 0, 10, 2) == success());
    // Two endpoints side by side: different objects, so each is final.
    CHECK(k.slot(11).next() == &k.slot(10));
    CHECK(is_final_capability(k.slot(10)));
    CHECK(is_final_capability(k.slot(11)));
    REQUIRE(k.copy(20, 11) == success());
    CHECK_FALSE(is_final_capability(k.slot(11)));
    CHECK_FALSE(is_final_capability(k.slot(20)));
    CHECK(is_final_capability(k.slot(10)));
    // The Untyped itself: untyped capabilities are final unless a child covers the same region.
    CHECK(is_final_capability(k.slot(kUt)));
    REQUIRE(k.revoke(kUt) == success());
    REQUIRE(k.retype(kUt, ObjectType::Untyped, 16, 30) == success());
    CHECK(same_object_as(k.cap(kUt), k.cap(30)));
    CHECK_FALSE(is_final_capability(k.slot(30)));
}
