// Capability-pointer resolution: one- and multi-level CSpaces with guards, every failure
// with its details, the CNode-operation lookup (depth range, depth used up exactly), and
// the capability faults handle_invocation raises for pointers that do not resolve.
#include <utility>

#include "cap_fixture.hpp"

using namespace captest;

namespace {

constexpr u64 kRoot = Kernel::kRootCNodeSlot;
constexpr u64 kUt = Kernel::kUntypedSlot;

// Concatenates (value, bits) fields, most significant first.
u64 path(std::initializer_list<std::pair<u64, unsigned>> fields) {
    u64 pointer = 0;
    for (auto [value, bits] : fields) pointer = (pointer << bits) | value;
    return pointer;
}

LookupFailure failure(LookupFailureType type, u64 left = 0, u64 found = 0, u64 guard = 0, u64 guard_bits = 0) {
    LookupFailure f{type};
    f.bits_left = left;
    f.bits_found = found;
    f.guard_found = guard;
    f.guard_bits = guard_bits;
    return f;
}

// A three-level CSpace: A' (guard 101, radix 4) -> slot 7: B' (guard 10, radix 3) ->
// slot 5: C (no guard, radix 2) -> slot 3: an endpoint. 14 bits in all.
struct ThreeLevels {
    explicit ThreeLevels(Kernel& k) : k(k) {
        REQUIRE(k.retype(kUt, ObjectType::CNode, 4, 10) == success());
        REQUIRE(k.retype(kUt, ObjectType::CNode, 3, 11) == success());
        REQUIRE(k.retype(kUt, ObjectType::CNode, 2, 12) == success());
        REQUIRE(k.retype(kUt, ObjectType::Endpoint, 0, 13) == success());
        REQUIRE(k.mint(20, 10, 0, cnode_data(0b101, 3)) == success());
        REQUIRE(k.mint(21, 11, 0, cnode_data(0b10, 2)) == success());
        REQUIRE(k.invoke(10, InvocationLabel::CNodeCopy, {7, 4, 21, 64, 15}, {kRoot}) == success());
        REQUIRE(k.invoke(11, InvocationLabel::CNodeCopy, {5, 3, 12, 64, 15}, {kRoot}) == success());
        REQUIRE(k.invoke(12, InvocationLabel::CNodeCopy, {3, 2, 13, 64, 15}, {kRoot}) == success());
    }
    const Capability& top() { return k.cap(20); }
    Slot* a(u64 i) { return cnode_slots(k.cap(10)) + i; }
    Slot* b(u64 i) { return cnode_slots(k.cap(11)) + i; }
    Slot* c(u64 i) { return cnode_slots(k.cap(12)) + i; }
    Kernel& k;
};

} // namespace

TEST_CASE("a one-level CSpace resolves pointers to slot numbers") {
    Kernel k(16, 8);
    const Capability& root = k.cspace_root().cap;
    CHECK(root.cnode_guard_bits() == 56);
    for (u64 i = 0; i < 256; ++i) {
        auto resolved = resolve_address_bits(root, i, 64);
        REQUIRE(resolved.ok());
        CHECK(resolved.value().slot == &k.slot(i));
        CHECK(resolved.value().bits_remaining == 0);
        auto looked_up = lookup_slot(root, i);
        REQUIRE(looked_up.ok());
        CHECK(looked_up.value() == &k.slot(i));
    }
    // Any set bit in the 56 guard bits is a guard mismatch.
    for (unsigned bit = 8; bit < 64; ++bit) {
        auto resolved = resolve_address_bits(root, (u64{1} << bit) | 3, 64);
        REQUIRE_FALSE(resolved.ok());
        CHECK(resolved.error() == failure(LookupFailureType::GuardMismatch, 64, 0, 0, 56));
    }
}

TEST_CASE("a multi-level CSpace resolves through guards and stops at non-CNodes") {
    Kernel k(16);
    ThreeLevels cs(k);
    u64 full = path({{0b101, 3}, {7, 4}, {0b10, 2}, {5, 3}, {3, 2}});
    auto resolved = resolve_address_bits(cs.top(), full, 14);
    REQUIRE(resolved.ok());
    CHECK(resolved.value().slot == cs.c(3));
    CHECK(resolved.value().bits_remaining == 0);
    CHECK(cs.c(3)->cap.type() == CapType::Endpoint);
    // Bits above the depth are not looked at.
    resolved = resolve_address_bits(cs.top(), full | (u64{0xabc} << 14), 14);
    REQUIRE(resolved.ok());
    CHECK(resolved.value().slot == cs.c(3));
    // Depth 12 ends at B'[5], the slot holding C.
    resolved = resolve_address_bits(cs.top(), full >> 2, 12);
    REQUIRE(resolved.ok());
    CHECK(resolved.value().slot == cs.b(5));
    // Depth 7 ends at A'[7]; an empty slot or an endpoint on the way stops the walk early.
    resolved = resolve_address_bits(cs.top(), path({{0b101, 3}, {7, 4}}), 7);
    REQUIRE(resolved.ok());
    CHECK(resolved.value().slot == cs.a(7));
    resolved = resolve_address_bits(cs.top(), path({{0b101, 3}, {6, 4}, {0, 7}}), 14);
    REQUIRE(resolved.ok());
    CHECK(resolved.value().slot == cs.a(6));
    CHECK(resolved.value().bits_remaining == 7);
    resolved = resolve_address_bits(cs.top(), path({{0b101, 3}, {7, 4}, {0b10, 2}, {5, 3}, {3, 2}, {9, 5}}), 19);
    REQUIRE(resolved.ok());
    CHECK(resolved.value().slot == cs.c(3));
    CHECK(resolved.value().bits_remaining == 5);
}

TEST_CASE("every lookup failure carries its details") {
    Kernel k(16);
    ThreeLevels cs(k);
    auto fails = [&](const Capability& root, u64 pointer, u64 depth, const LookupFailure& expected) {
        auto resolved = resolve_address_bits(root, pointer, depth);
        REQUIRE_FALSE(resolved.ok());
        CHECK(resolved.error() == expected);
    };
    // InvalidRoot: the root is not a CNode.
    fails(k.cap(13), 0, 64, failure(LookupFailureType::InvalidRoot));
    fails(Capability::null(), 0, 64, failure(LookupFailureType::InvalidRoot));
    fails(Capability::zombie(k.cap(10).address(), CapType::CNode, 16), 0, 4, failure(LookupFailureType::InvalidRoot));
    // GuardMismatch at the first and the second level, and a guard longer than the bits left.
    fails(cs.top(), path({{0b100, 3}, {7, 4}, {0b10, 2}, {5, 3}, {3, 2}}), 14,
          failure(LookupFailureType::GuardMismatch, 14, 0, 0b101, 3));
    fails(cs.top(), path({{0b101, 3}, {7, 4}, {0b01, 2}, {5, 3}, {3, 2}}), 14,
          failure(LookupFailureType::GuardMismatch, 7, 0, 0b10, 2));
    fails(cs.top(), 0b10, 2, failure(LookupFailureType::GuardMismatch, 2, 0, 0b101, 3));
    fails(cs.top(), path({{0b101, 3}, {7, 4}, {0b1, 1}}), 8, failure(LookupFailureType::GuardMismatch, 1, 0, 0b10, 2));
    // DepthMismatch: the guard matched but the level needs more bits than are left.
    fails(cs.top(), path({{0b101, 3}, {3, 2}}), 5, failure(LookupFailureType::DepthMismatch, 5, 7));
    fails(cs.top(), path({{0b101, 3}, {7, 4}, {0b10, 2}, {1, 1}}), 10, failure(LookupFailureType::DepthMismatch, 3, 5));
    fails(cs.top(), path({{0b101, 3}, {7, 4}, {0b10, 2}, {5, 3}, {1, 1}}), 13,
          failure(LookupFailureType::DepthMismatch, 1, 2));
    // A zero depth is a depth mismatch at the first level that consumes bits.
    fails(k.cap(10), 0, 0, failure(LookupFailureType::DepthMismatch, 0, 4));
}

TEST_CASE("the CNode-operation lookup checks the depth and wants it used up exactly") {
    Kernel k(16);
    ThreeLevels cs(k);
    u64 full = path({{0b101, 3}, {7, 4}, {0b10, 2}, {5, 3}, {3, 2}});
    for (bool source : {false, true}) {
        INFO("source " << source);
        auto ok = lookup_slot_for_cnode_op(source, cs.top(), full, 14);
        REQUIRE(ok.ok());
        CHECK(ok.value() == cs.c(3));
        for (u64 depth : {u64{0}, u64{65}, u64{1000}}) {
            auto bad = lookup_slot_for_cnode_op(source, cs.top(), full, depth);
            REQUIRE_FALSE(bad.ok());
            CHECK(describe(bad.error()) == describe(error(ErrorCode::RangeError, {1, 64})));
        }
        // InvalidRoot comes before the depth check.
        auto root = lookup_slot_for_cnode_op(source, k.cap(13), 0, 0);
        REQUIRE_FALSE(root.ok());
        CHECK(describe(root.error()) == describe(lookup_error(source, LookupFailureType::InvalidRoot)));
        // Bits left where the walk met the endpoint: DepthMismatch with 0 bits found.
        auto early = lookup_slot_for_cnode_op(source, cs.top(), (full << 2) | 1, 16);
        REQUIRE_FALSE(early.ok());
        CHECK(describe(early.error()) == describe(lookup_error(source, LookupFailureType::DepthMismatch, {2, 0})));
        auto guard = lookup_slot_for_cnode_op(source, cs.top(), 0, 14);
        REQUIRE_FALSE(guard.ok());
        CHECK(describe(guard.error()) == describe(lookup_error(source, LookupFailureType::GuardMismatch, {14, 5, 3})));
    }
    // lookup_slot (invocation targets) accepts an early stop at a non-CNode.
    const Capability& root = k.cspace_root().cap;
    auto target = lookup_slot(root, 13);
    REQUIRE(target.ok());
    CHECK(target.value() == &k.slot(13));
}

TEST_CASE("handle_invocation raises a capability fault for a pointer that does not resolve") {
    Kernel k(16);
    REQUIRE(k.retype(kUt, ObjectType::Endpoint, 0, 13) == success());
    std::vector<std::string> before = snapshot(k, {&k.slot(kUt), &k.cspace_root()});
    u64 bad = u64{1} << 40;
    LookupFailure guard = failure(LookupFailureType::GuardMismatch, 64, 0, 0, 52);
    SECTION("the invoked pointer") {
        CHECK(k.invoke(bad, InvocationLabel::CNodeCopy, {14, 64, 13, 64, 15}, {kRoot}) == capability_fault(bad, guard));
        CHECK(k.invoke(bad | 5, 1, {}, {}) == capability_fault(bad | 5, guard));
    }
    SECTION("an extra capability pointer, but only those the message info counts") {
        CHECK(k.invoke(kRoot, InvocationLabel::CNodeCopy, {14, 64, 13, 64, 15}, {bad}) == capability_fault(bad, guard));
        CHECK(k.invoke(kRoot, InvocationLabel::CNodeRotate, {14, 64, 0, 13, 64, 0, 15, 64}, {kRoot, bad + 1}) ==
              capability_fault(bad + 1, guard));
        MessageInfo info;
        info.label = static_cast<u64>(InvocationLabel::CNodeCopy);
        info.length = 5;
        info.extra_caps = 0;
        const u64 words[] = {14, 64, 13, 64, 15};
        const u64 extra[] = {bad};
        PreemptionPoint never(nullptr, nullptr);
        InvocationReply raw = handle_invocation(k.cspace_root().cap, kRoot, info, kstd::Span<const u64>(words, 5),
                                                kstd::Span<const u64>(extra, 1), never);
        CHECK(from_invocation_reply(raw) == error(ErrorCode::TruncatedMessage));
    }
    SECTION("a CSpace root that is not a CNode") {
        MessageInfo info;
        info.label = 3;
        info.length = 2;
        const u64 words[] = {13, 64};
        PreemptionPoint never(nullptr, nullptr);
        InvocationReply raw = handle_invocation(k.cap(13), 2, info, kstd::Span<const u64>(words, 2),
                                                kstd::Span<const u64>(), never);
        CHECK(from_invocation_reply(raw) == capability_fault(2, failure(LookupFailureType::InvalidRoot)));
    }
    CHECK(snapshot(k, {&k.slot(kUt), &k.cspace_root()}) == before);
    CHECK(k.cap(13).type() == CapType::Endpoint);
    CHECK(k.slot(14).is_empty());
}

TEST_CASE("an invocation through a two-level CSpace may stop early at its target") {
    Kernel k(16);
    // The thread's CSpace: X (radix 4, guard 52 zero bits) whose slot 1 holds Y (radix 8).
    REQUIRE(k.retype(kUt, ObjectType::CNode, 4, 10) == success());
    REQUIRE(k.retype(kUt, ObjectType::CNode, 8, 11) == success());
    REQUIRE(k.retype(kUt, ObjectType::Untyped, 12, 12) == success());
    REQUIRE(k.mutate(20, 10, cnode_data(0, 52)) == success());
    REQUIRE(k.invoke(20, InvocationLabel::CNodeCopy, {1, 56, 11, 64, 15}, {kRoot}) == success());
    // Move the Untyped to X[2] and Y's own capability to Y[5].
    REQUIRE(k.invoke(20, InvocationLabel::CNodeMove, {2, 56, 12, 64}, {kRoot}) == success());
    REQUIRE(k.invoke(20, InvocationLabel::CNodeMove, {(1 << 8) | 5, 64, 11, 64}, {kRoot}) == success());
    Capability thread_root = k.cap(20);
    Slot* y = cnode_slots(cnode_slots(thread_root)[1].cap);
    REQUIRE(y[5].cap.type() == CapType::CNode);
    // Invoke the Untyped at X[2] with pointer 0x2ff: the walk stops at X[2] with 8 bits
    // left, which is fine for a target; extra[0] = Y through the full 64 bits.
    MessageInfo info;
    info.label = static_cast<u64>(InvocationLabel::UntypedRetype);
    info.length = 6;
    info.extra_caps = 1;
    const u64 words[] = {2, 0, 0, 0, 9, 2};
    const u64 extra[] = {(1 << 8) | 5};
    PreemptionPoint never(nullptr, nullptr);
    InvocationReply raw = handle_invocation(thread_root, 0x2ff, info, kstd::Span<const u64>(words, 6),
                                            kstd::Span<const u64>(extra, 1), never);
    REQUIRE(from_invocation_reply(raw) == success());
    CHECK(y[9].cap.type() == CapType::Endpoint);
    CHECK(y[10].cap.type() == CapType::Endpoint);
    // An empty slot on the way is a target too: invoking it is an invalid capability.
    raw = handle_invocation(thread_root, 0x3ff, info, kstd::Span<const u64>(words, 6), kstd::Span<const u64>(extra, 1),
                            never);
    CHECK(from_invocation_reply(raw) == error(ErrorCode::InvalidCapability, {0}));
}
