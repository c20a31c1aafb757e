// Preemption of Delete and Revoke: with an interrupt pending every N-th preemption point,
// the invocation returns Preempted (handle_invocation: Restart); re-issuing it until it
// completes makes progress on every call and ends in exactly the state of an
// uninterrupted run, with every finaliser having run exactly as often. The last two tests
// show where a restarted Revoke ends otherwise (consistently, but not identically).
#include <functional>

#include "cap_fixture.hpp"

using namespace captest;

namespace {

constexpr u64 kRoot = Kernel::kRootCNodeSlot;
constexpr u64 kUt = Kernel::kUntypedSlot;

using Build = std::function<void(Kernel&)>;

struct Operation {
    u64 invoked;
    InvocationLabel label;
    std::vector<u64> words;
};

// A cheap fingerprint of everything in the lists from the root CNode's slots.
u64 fingerprint(Kernel& k) {
    u64 hash = 1469598103934665603ull;
    auto mix = [&](u64 value) { hash = (hash ^ value) * 1099511628211ull; };
    for (u64 i = 0; i < k.root_slots(); ++i) {
        Slot& slot = k.slot(i);
        mix(slot.cap.address() ^ slot.cap.word1() ^ static_cast<u64>(slot.cap.type()));
        if (slot.is_empty() || slot.prev() != nullptr) continue;
        for (Slot* node = slot.next(); node != nullptr; node = node->next()) {
            mix(reinterpret_cast<u64>(node));
            mix(node->cap.word1() + (node->cap.address() << 5) + static_cast<u64>(node->cap.type()));
        }
    }
    return hash;
}

u64 capabilities(Kernel& k) {
    u64 count = 0;
    for (u64 i = 0; i < k.root_slots(); ++i) {
        Slot& slot = k.slot(i);
        if (slot.is_empty() || slot.prev() != nullptr) continue;
        for (Slot* node = &slot; node != nullptr; node = node->next()) ++count;
    }
    return count;
}

struct Outcome {
    std::vector<std::string> picture;
    std::vector<std::string> events;
    u64 restarts = 0;
};

// Builds the scenario in a fresh kernel and runs the operation, interrupted every
// `period`-th preemption point (0: never). `shrinks`: every call must remove a capability.
Outcome run(const Build& build, const Operation& op, u64 period, bool shrinks) {
    Kernel k(20);
    FinaliserLog log;
    build(k);
    log.clear();
    PeriodicInterrupt interrupt(period);
    Outcome outcome;
    for (;;) {
        u64 before = fingerprint(k);
        u64 count = capabilities(k);
        u64 points = interrupt.point.points_passed();
        Reply reply = k.invoke(op.invoked, op.label, op.words, {}, &interrupt.point);
        if (reply.outcome != InvocationOutcome::Restart) {
            REQUIRE(reply == success());
            break;
        }
        ++outcome.restarts;
        REQUIRE(outcome.restarts < 1'000'000);
        CHECK(fingerprint(k) != before);                       // progress
        if (shrinks) CHECK(capabilities(k) < count);           // and a capability fewer
        CHECK(interrupt.point.points_passed() - points <= period); // stopped at the first pending point
    }
    require_linked_consistently(k.root_storage(), k.root_slots());
    outcome.picture = picture(k);
    for (const FinaliserEvent& event : log.events())
        outcome.events.push_back(std::string(cap_type_name(event.type)) + normalised(k, event.value));
    return outcome;
}

void compare_with_uninterrupted(const Build& build, const Operation& op, bool shrinks) {
    Outcome reference = run(build, op, 0, shrinks);
    CHECK(reference.restarts == 0);
    for (u64 period : {1u, 2u, 3u, 17u, 250u}) {
        INFO("interrupt every " << period << " preemption points");
        Outcome preempted = run(build, op, period, shrinks);
        CHECK(preempted.restarts > 0);
        CHECK(preempted.picture == reference.picture);
        CHECK(preempted.events == reference.events);
    }
}

// An endpoint (in `endpoint`) with 2000 derived capabilities in badge groups of 100.
void many_copies(Kernel& k, u64 endpoint = 10) {
    REQUIRE(k.retype(kUt, ObjectType::Endpoint, 0, endpoint) == success());
    for (u64 group = 0; group < 20; ++group) {
        u64 head = 100 + group * 100;
        REQUIRE(k.mint(head, endpoint, Rights::kMask, group + 1) == success());
        for (u64 i = 1; i < 100; ++i) REQUIRE(k.copy(head + i, head + (i - 1) / 2) == success());
    }
}

// A radix-10 CNode full of endpoints, notifications and copies, and a copy of another CNode.
void big_cnode(Kernel& k) {
    REQUIRE(k.retype(kUt, ObjectType::CNode, 10, 10) == success());
    REQUIRE(k.retype(kUt, ObjectType::CNode, 2, 11) == success());
    for (u64 i = 0; i < 768; i += 256) REQUIRE(k.retype(kUt, 2 + (i / 256) % 2, 0, 10, 0, 0, i, 256) == success());
    for (u64 i = 768; i < 1023; ++i)
        REQUIRE(k.invoke(10, InvocationLabel::CNodeCopy, {i, 10, i - 768, 10, Rights::kRead}, {10}) == success());
    REQUIRE(k.invoke(10, InvocationLabel::CNodeCopy, {1023, 10, 11, 64, 0}, {kRoot}) == success());
}

// 300 nested CNodes, each holding four endpoints besides the next level.
void nested(Kernel& k) {
    for (u64 i = 0; i < 300; i += 100) REQUIRE(k.retype(kUt, ObjectType::CNode, 3, 100 + i, 100) == success());
    for (u64 i = 0; i < 300; ++i) {
        REQUIRE(k.retype(kUt, 2, 0, 100 + i, 0, 0, 4, 4) == success());
        if (i + 1 < 300)
            REQUIRE(k.invoke(100 + i, InvocationLabel::CNodeCopy, {0, 3, 101 + i, 64, 0}, {kRoot}) == success());
    }
    for (u64 i = 1; i < 300; ++i) REQUIRE(k.remove(100 + i) == success());
}

} // namespace

TEST_CASE("a preempted Revoke of 2000 derived capabilities continues where it stopped") {
    Build build = [](Kernel& k) { many_copies(k); };
    compare_with_uninterrupted(build, {kRoot, InvocationLabel::CNodeRevoke, {10, 64}}, true);
}

TEST_CASE("a preempted Delete of a full CNode continues where it stopped") {
    compare_with_uninterrupted(big_cnode, {kRoot, InvocationLabel::CNodeDelete, {10, 64}}, true);
}

TEST_CASE("a preempted Delete of nested CNodes ends as the uninterrupted one does") {
    compare_with_uninterrupted(nested, {kRoot, InvocationLabel::CNodeDelete, {100, 64}}, false);
}

TEST_CASE("a preempted Revoke of an Untyped full of Zombies ends as the uninterrupted one does") {
    Build build = [](Kernel& k) {
        nested(k);
        REQUIRE(k.remove(100) == success()); // leaves 299 cyclic Zombies
        big_cnode(k);
        many_copies(k, 12);
    };
    compare_with_uninterrupted(build, {kRoot, InvocationLabel::CNodeRevoke, {kUt, 64}}, false);
}

TEST_CASE("invoke_capability reports Preempted and stops at the first pending point") {
    Kernel k(20);
    many_copies(k);
    PeriodicInterrupt interrupt(1);
    const u64 words[] = {10, 64};
    MessageInfo info;
    info.label = static_cast<u64>(InvocationLabel::CNodeRevoke);
    info.length = 2;
    Invocation invocation{info, kstd::Span<const u64>(words, 2), &k.slot(kRoot), kstd::Span<Slot* const>(), {}};
    u64 count = capabilities(k);
    u64 calls = 0;
    for (;;) {
        auto result = invoke_capability(invocation, interrupt.point);
        ++calls;
        if (result.ok()) break;
        REQUIRE(result.error().code == ErrorCode::Preempted);
        CHECK(interrupt.point.points_passed() == calls);
        CHECK(capabilities(k) == count - calls); // exactly one capability per step
    }
    CHECK(calls == 2001); // 2000 steps, then one call that finds nothing left
    CHECK(capabilities(k) == count - 2000);
    // An interrupt pending at every point never stops an operation with nothing to do.
    Reply reply = k.invoke(kRoot, InvocationLabel::CNodeDelete, {3000, 64}, {}, &interrupt.point);
    CHECK(reply == success());
}

TEST_CASE("a restarted Revoke keeps Revoke's promise where Zombies cross Untypeds") {
    // N (from the child Untyped in slot 22) and F (from the boot Untyped, outside slot 22's
    // region) hold each other's only capability: N[1] = F, F[0] = N. Revoking slot 22
    // deletes F[0] (N's capability); emptying N finalises F, whose Zombie lands in F[0].
    // Uninterrupted, that deletion goes on to empty F as well. Interrupted right there,
    // the restarted Revoke goes on with slot 22's next descendant instead, and F stays
    // behind as a cyclic Zombie, a child of the boot Untyped (seL4 behaves the same way).
    // Either way nothing derived from slot 22 is left and the lists are consistent; the
    // final states differ only in that Zombie, which revoking the boot Untyped removes.
    u64 period = GENERATE(0u, 1u, 2u, 3u);
    INFO("interrupt every " << period << " preemption points");
    Kernel k(16);
    REQUIRE(k.retype(kUt, ObjectType::Untyped, 9, 22) == success());
    REQUIRE(k.retype(kUt, ObjectType::CNode, 1, 14) == success()); // F
    REQUIRE(k.retype(22, ObjectType::CNode, 1, 21) == success());  // N
    Slot* f = cnode_slots(k.cap(14));
    Slot* n = cnode_slots(k.cap(21));
    REQUIRE(k.invoke(21, InvocationLabel::CNodeCopy, {1, 1, 14, 64, 15}, {kRoot}) == success());
    REQUIRE(k.invoke(14, InvocationLabel::CNodeCopy, {0, 1, 21, 64, 15}, {kRoot}) == success());
    REQUIRE(k.remove(14) == success());
    REQUIRE(k.remove(21) == success());
    REQUIRE(descendants_of(k.slot(22)) == std::vector<Slot*>{&f[0]});

    PeriodicInterrupt interrupt(period);
    u64 restarts = 0;
    REQUIRE(k.invoke_until_done(kRoot, InvocationLabel::CNodeRevoke, {22, 64}, {}, interrupt.point, &restarts) ==
            success());
    CHECK((restarts > 0) == (period != 0));
    CHECK(descendants_of(k.slot(22)).empty());
    CHECK(n[0].is_empty());
    CHECK(n[1].is_empty());
    require_linked_consistently(k.root_storage(), k.root_slots());
    std::vector<Slot*> left = descendants_of(k.slot(kUt));
    if (period == 0) CHECK(left == std::vector<Slot*>{&k.slot(22)});
    for (Slot* slot : left) CHECK((slot == &k.slot(22) || slot->cap == Capability::zombie(reinterpret_cast<u64>(f),
                                                                                          CapType::CNode, 2)));
    // Slot 22's memory is free again; the boot Untyped's revoke takes everything else.
    REQUIRE(k.retype(22, ObjectType::Endpoint, 0, 30) == success());
    CHECK(k.cap(30).address() == k.arena().base());
    REQUIRE(k.revoke(kUt) == success());
    CHECK(f[0].is_empty());
    CHECK(descendants_of(k.slot(kUt)).empty());
}

TEST_CASE("a Revoke that destroys the CNode it was invoked through, interrupted") {
    // The Untyped in X[0] is revoked through X, and X's only capability (root slot 21) is
    // one of its descendants. Uninterrupted, the Revoke deletes X and succeeds. Interrupted
    // after X's capability became a Zombie, the restarted invocation finds a Zombie where X
    // was and answers InvalidCapability (the caller sees that error: reported, as it is
    // not "one call"); the Zombie is then finished by an ordinary Delete.
    u64 period = GENERATE(0u, 1u, 2u, 5u);
    INFO("interrupt every " << period << " preemption points");
    Kernel k(16);
    FinaliserLog log;
    REQUIRE(k.retype(kUt, ObjectType::Untyped, 12, 20) == success());
    REQUIRE(k.retype(20, ObjectType::CNode, 2, 21) == success()); // X
    REQUIRE(k.retype(20, ObjectType::Endpoint, 0, 21, 0, 0, 1, 3) == success());
    REQUIRE(k.invoke(21, InvocationLabel::CNodeMove, {0, 2, 20, 64}, {kRoot}) == success());
    PeriodicInterrupt interrupt(period);
    u64 restarts = 0;
    Reply reply = k.invoke_until_done(21, InvocationLabel::CNodeRevoke, {0, 2}, {}, interrupt.point, &restarts);
    if (period == 0 || restarts == 0) {
        CHECK(reply == success());
    } else {
        CHECK(reply == error(ErrorCode::InvalidCapability, {0}));
        REQUIRE(k.cap(21).type() == CapType::Zombie);
        REQUIRE(k.invoke_until_done(kRoot, InvocationLabel::CNodeDelete, {21, 64}, {}, interrupt.point) == success());
    }
    CHECK(k.slot(21).is_empty());
    CHECK(log.count(CapType::Endpoint) == 3);
    require_linked_consistently(k.root_storage(), k.root_slots());
    CHECK(descendants_of(k.slot(kUt)).empty());
}
