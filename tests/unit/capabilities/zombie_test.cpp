// Deleting objects that hold capabilities: CNodes (with contents, containing themselves,
// nested thousands deep) and TCBs. The last capability becomes a Zombie that is emptied
// slot by slot; a nested final CNode becomes a cyclic Zombie that stays a child of its
// Untyped until that is revoked (docs/capabilities.md, "Finalisation").
#include <pthread.h>

#include "cap_fixture.hpp"

using namespace captest;

namespace {

constexpr u64 kRoot = Kernel::kRootCNodeSlot;
constexpr u64 kUt = Kernel::kUntypedSlot;

// Runs `body` on a thread with a small stack: a delete that recursed once per nesting
// level would overflow it (and AddressSanitizer would report the overflow).
template <typename F> void on_small_stack(F body, std::size_t stack_bytes = 256 * 1024) {
    pthread_attr_t attr;
    REQUIRE(pthread_attr_init(&attr) == 0);
    REQUIRE(pthread_attr_setstacksize(&attr, stack_bytes) == 0);
    pthread_t thread;
    auto run = [](void* context) -> void* {
        (*static_cast<F*>(context))();
        return nullptr;
    };
    REQUIRE(pthread_create(&thread, &attr, run, &body) == 0);
    REQUIRE(pthread_join(thread, nullptr) == 0);
    pthread_attr_destroy(&attr);
}

Slot* slots_of(const Capability& cap) { return reinterpret_cast<Slot*>(cap.address()); }

void require_everything_gone(Kernel& k) {
    CHECK(descendants_of(k.slot(kUt)).empty());
    CHECK(k.slot(kUt).next() == nullptr);
    REQUIRE(k.retype(kUt, ObjectType::Endpoint, 0, 4000) == success());
    CHECK(k.cap(4000).address() == k.arena().base());
    REQUIRE(k.remove(4000) == success());
}

} // namespace

TEST_CASE("deleting the last capability to a CNode finalises what only it referenced") {
    Kernel k(16);
    FinaliserLog log;
    REQUIRE(k.retype(kUt, ObjectType::CNode, 4, 20) == success());
    REQUIRE(k.retype(kUt, ObjectType::Endpoint, 0, 20, 0, 0, 0, 4) == success()); // X[0..3]
    REQUIRE(k.retype(kUt, ObjectType::Notification, 0, 30) == success());
    REQUIRE(k.retype(kUt, ObjectType::Tcb, 0, 31) == success());
    REQUIRE(k.retype(kUt, ObjectType::Frame4K, 0, 32) == success());
    REQUIRE(k.retype(kUt, ObjectType::CNode, 2, 33) == success());
    auto into_x = [&](InvocationLabel label, u64 index, u64 src_root, u64 src, u64 src_depth) {
        std::vector<u64> words{index, 4, src, src_depth};
        if (label == InvocationLabel::CNodeCopy) words.push_back(Rights::kMask);
        return k.invoke(20, label, words, {src_root});
    };
    REQUIRE(into_x(InvocationLabel::CNodeCopy, 4, kRoot, 30, 64) == success());   // a copy
    REQUIRE(into_x(InvocationLabel::CNodeMove, 5, kRoot, 31, 64) == success());   // the TCB itself
    REQUIRE(into_x(InvocationLabel::CNodeCopy, 6, kRoot, 32, 64) == success());   // a frame copy
    REQUIRE(into_x(InvocationLabel::CNodeCopy, 7, kRoot, 33, 64) == success());   // a CNode copy
    REQUIRE(into_x(InvocationLabel::CNodeCopy, 8, 20, 0, 4) == success());        // X[0] twice
    Slot* x = slots_of(k.cap(20));
    u64 tcb = x[5].cap.address();
    std::vector<u64> endpoints;
    for (u64 i = 0; i < 4; ++i) endpoints.push_back(x[i].cap.address());

    REQUIRE(k.remove(20) == success());
    CHECK(k.slot(20).is_empty());
    for (u64 i = 0; i < 16; ++i) CHECK(x[i].is_empty());
    for (u64 address : endpoints) CHECK(log.count(CapType::Endpoint, address) == 1);
    CHECK(log.count(CapType::Tcb, tcb) == 1);
    CHECK(log.count(CapType::Frame, k.cap(32).address()) == 1);
    CHECK(log.events().size() == 6);
    // What lives elsewhere lives on.
    CHECK(k.cap(30).type() == CapType::Notification);
    CHECK(k.cap(32).type() == CapType::Frame);
    CHECK(k.cap(33).type() == CapType::CNode);
    require_linked_consistently(k.root_storage(), k.root_slots());
    // The TCB, final inside a dying CNode, waits as a cyclic Zombie in its own first slot.
    u64 zombies = 0;
    for (Slot* node : derivation_list(k.slot(kUt))) zombies += node->cap.type() == CapType::Zombie;
    CHECK(zombies == 1);
    CHECK(slots_of(Capability::tcb(tcb))[0].cap == Capability::zombie(tcb, CapType::Tcb, kTcbSlotCount));
    log.clear();
    REQUIRE(k.revoke(kUt) == success());
    CHECK(log.count(CapType::Tcb) == 0); // finalised once, before
    require_everything_gone(k);
}

TEST_CASE("a CNode holding the only capability to itself is emptied when its Untyped is revoked") {
    u64 self = GENERATE(0u, 1u, 3u);
    INFO("the CNode's own capability sits in its slot " << self);
    Kernel k(16);
    FinaliserLog log;
    REQUIRE(k.retype(kUt, ObjectType::CNode, 2, 20) == success());
    Slot* x = slots_of(k.cap(20));
    for (u64 i = 0; i < 4; ++i)
        if (i != self) REQUIRE(k.retype(kUt, ObjectType::Endpoint, 0, 20, 0, 0, i, 1) == success());
    REQUIRE(k.invoke(20, InvocationLabel::CNodeCopy, {self, 2, 20, 64, Rights::kMask}, {kRoot}) == success());
    // The outside capability is not the last: deleting it finalises nothing.
    REQUIRE(k.remove(20) == success());
    CHECK(log.events().empty());
    CHECK(x[self].cap.type() == CapType::CNode);
    CHECK(x[self].cap.address() == reinterpret_cast<u64>(x));
    for (u64 i = 0; i < 4; ++i) CHECK_FALSE(x[i].is_empty());
    // Unreachable now, but still a child of the Untyped: its memory is not reused.
    REQUIRE(k.retype(kUt, ObjectType::Endpoint, 0, 21) == success());
    CHECK(k.cap(21).address() != k.arena().base());
    REQUIRE(k.remove(21) == success());
    log.clear();
    REQUIRE(k.revoke(kUt) == success());
    for (u64 i = 0; i < 4; ++i) CHECK(x[i].is_empty());
    CHECK(log.count(CapType::Endpoint) == 3); // the three in X, each once
    CHECK(log.events().size() == 3);
    require_everything_gone(k);
}

TEST_CASE("thousands of nested CNodes are deleted with a bounded stack") {
    constexpr u64 kDepth = 4096;
    constexpr u64 kFirst = 100;
    Kernel k(20, 13);
    FinaliserLog log;
    for (u64 i = 0; i < kDepth; i += 256)
        REQUIRE(k.retype(kUt, ObjectType::CNode, 1, kFirst + i, 256) == success());
    REQUIRE(k.retype(kUt, 2, 0, kFirst + kDepth - 1, 0, 0, 1, 1) == success()); // an endpoint at the bottom
    u64 endpoint = slots_of(k.cap(kFirst + kDepth - 1))[1].cap.address();
    std::vector<u64> addresses;
    for (u64 i = 0; i < kDepth; ++i) addresses.push_back(k.cap(kFirst + i).address());
    // C[i][0] = C[i+1]; then only C[0] is named from the root CNode.
    for (u64 i = 0; i + 1 < kDepth; ++i)
        REQUIRE(k.invoke(kFirst + i, InvocationLabel::CNodeCopy, {0, 1, kFirst + i + 1, 64, 15}, {kRoot}) ==
                success());
    for (u64 i = 1; i < kDepth; ++i) REQUIRE(k.remove(kFirst + i) == success());
    CHECK(log.events().empty());

    Reply deleted;
    on_small_stack([&] { deleted = k.remove(kFirst); });
    REQUIRE(deleted == success());
    CHECK(k.slot(kFirst).is_empty());
    // C[0] is gone; every deeper CNode became a cyclic Zombie in its own first slot,
    // with its contents (the endpoint at the bottom) still in place.
    CHECK(slots_of(Capability::cnode(addresses[0], 1, 0, 0))[0].is_empty());
    for (u64 i = 1; i < kDepth; ++i) {
        const Capability& cap = slots_of(Capability::cnode(addresses[i], 1, 0, 0))[0].cap;
        REQUIRE(cap.type() == CapType::Zombie);
        CHECK(cap.address() == addresses[i]);
        CHECK(cap.zombie_kind() == CapType::CNode);
        CHECK(cap.zombie_remaining() == 2);
    }
    CHECK(log.events().empty());
    CHECK(descendants_of(k.slot(kUt)).size() == kDepth); // kDepth - 1 Zombies and the endpoint
    // Until the Untyped is revoked, the Zombies' memory cannot be retyped.
    REQUIRE(k.retype(kUt, ObjectType::Endpoint, 0, 10) == success());
    CHECK(k.cap(10).address() >= addresses.back());
    REQUIRE(k.remove(10) == success());

    Reply revoked;
    on_small_stack([&] { revoked = k.revoke(kUt); });
    REQUIRE(revoked == success());
    CHECK(log.count(CapType::Endpoint, endpoint) == 1);
    CHECK(log.events().size() == 2); // and the endpoint retyped into slot 10
    require_everything_gone(k);
}

TEST_CASE("a TCB's slots are emptied when its last capability goes") {
    Kernel k(16);
    FinaliserLog log;
    REQUIRE(k.retype(kUt, ObjectType::Tcb, 0, 20) == success());
    REQUIRE(k.retype(kUt, ObjectType::CNode, 2, 21) == success());
    REQUIRE(k.retype(kUt, ObjectType::Endpoint, 0, 22) == success());
    REQUIRE(k.retype(kUt, ObjectType::Reply, 0, 23) == success());
    u64 tcb = k.cap(20).address();
    u64 endpoint = k.cap(22).address();
    u64 reply = k.cap(23).address();
    Slot* t = slots_of(k.cap(20));
    for (u64 i = 0; i < kTcbSlotCount; ++i) REQUIRE(t[i].is_empty()); // zeroed by Retype
    // No invocation fills TCB slots yet: do what TCB.Configure will do, with the tree's
    // own operations (a copy of the CSpace root, a copy of an endpoint, the reply moved).
    insert_child(k.cap(21), k.slot(21), t[0], false);
    insert_child(k.cap(22), k.slot(22), t[1], false);
    move_capability(k.cap(23), k.slot(23), t[4]);
    REQUIRE(k.remove(22) == success()); // the TCB now holds the endpoint's last capability
    CHECK(log.events().empty());

    REQUIRE(k.remove(20) == success());
    CHECK(log.count(CapType::Tcb, tcb) == 1);
    CHECK(log.count(CapType::Endpoint, endpoint) == 1);
    CHECK(log.count(CapType::Reply, reply) == 1);
    CHECK(log.events().size() == 3);
    for (u64 i = 0; i < kTcbSlotCount; ++i) CHECK(t[i].is_empty());
    CHECK(k.cap(21).type() == CapType::CNode); // the CNode had another capability
    require_linked_consistently(k.root_storage(), k.root_slots());
}

TEST_CASE("a TCB inside a dying CNode becomes a cyclic Zombie until its Untyped is revoked") {
    Kernel k(16);
    FinaliserLog log;
    REQUIRE(k.retype(kUt, ObjectType::CNode, 2, 20) == success());
    REQUIRE(k.retype(kUt, ObjectType::Tcb, 0, 21) == success());
    REQUIRE(k.retype(kUt, ObjectType::Endpoint, 0, 22) == success());
    u64 tcb = k.cap(21).address();
    u64 endpoint = k.cap(22).address();
    Slot* t = slots_of(k.cap(21));
    insert_child(k.cap(22), k.slot(22), t[1], false);
    REQUIRE(k.remove(22) == success());
    REQUIRE(k.invoke(20, InvocationLabel::CNodeMove, {0, 2, 21, 64}, {kRoot}) == success());
    REQUIRE(k.remove(20) == success());
    // The TCB was finalised (its hook ran) and waits as a Zombie in its own first slot.
    CHECK(log.count(CapType::Tcb, tcb) == 1);
    REQUIRE(t[0].cap.type() == CapType::Zombie);
    CHECK(t[0].cap.zombie_kind() == CapType::Tcb);
    CHECK(t[0].cap.zombie_remaining() == kTcbSlotCount);
    CHECK(t[1].cap.type() == CapType::Endpoint);
    CHECK(log.count(CapType::Endpoint) == 0);
    REQUIRE(k.revoke(kUt) == success());
    CHECK(log.count(CapType::Tcb, tcb) == 1);
    CHECK(log.count(CapType::Endpoint, endpoint) == 1);
    for (u64 i = 0; i < kTcbSlotCount; ++i) CHECK(t[i].is_empty());
    require_everything_gone(k);
}

TEST_CASE("two CNodes holding each other's last capability are emptied when their Untyped is revoked") {
    // W[0] holds the only capability to X and X's last slot the only one to W. Revoke
    // deletes W[0] first: X becomes a Zombie there, and emptying X's last slot finalises W,
    // whose Zombie moves into W[0], the very slot being deleted (seL4's "expected new
    // Zombie to be self-referential" case).
    unsigned radix = GENERATE(1u, 3u);
    INFO("radix " << radix);
    Kernel k(16);
    FinaliserLog log;
    // Made in this order, the list runs U, W[0] (X), X[last] (W), W[last] (an endpoint),
    // X[0] (another endpoint).
    REQUIRE(k.retype(kUt, ObjectType::Endpoint, 0, 30, 2) == success());
    REQUIRE(k.retype(kUt, ObjectType::CNode, radix, 21) == success()); // W
    REQUIRE(k.retype(kUt, ObjectType::CNode, radix, 20) == success()); // X
    u64 last = (u64{1} << radix) - 1;
    REQUIRE(k.invoke(21, InvocationLabel::CNodeCopy, {0, radix, 20, 64, 15}, {kRoot}) == success());
    REQUIRE(k.invoke(20, InvocationLabel::CNodeCopy, {last, radix, 21, 64, 15}, {kRoot}) == success());
    REQUIRE(k.invoke(20, InvocationLabel::CNodeMove, {0, radix, 30, 64}, {kRoot}) == success());
    REQUIRE(k.invoke(21, InvocationLabel::CNodeMove, {last, radix, 31, 64}, {kRoot}) == success());
    Slot* x = slots_of(k.cap(20));
    Slot* w = slots_of(k.cap(21));
    REQUIRE(k.remove(20) == success());
    REQUIRE(k.remove(21) == success());
    std::vector<Slot*> order = descendants_of(k.slot(kUt));
    REQUIRE(order.size() == 4);
    REQUIRE(order[0] == &w[0]);
    REQUIRE(order[1] == &x[last]);
    CHECK(log.events().empty());
    REQUIRE(k.revoke(kUt) == success());
    CHECK(log.count(CapType::Endpoint) == 2);
    for (u64 i = 0; i <= last; ++i) CHECK((x[i].is_empty() && w[i].is_empty()));
    require_everything_gone(k);
}
