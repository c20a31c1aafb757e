// The CNode error table of docs/invocations.md, row by row, for every operation it names.
// Every error leaves everything unchanged.
#include "cap_fixture.hpp"

using namespace captest;

namespace {

constexpr u64 kRoot = Kernel::kRootCNodeSlot;
constexpr u64 kUt = Kernel::kUntypedSlot;
constexpr u64 kEp = 10, kCNode = 11, kFull = 12, kZombie = 13, kFrame = 14;

using L = InvocationLabel;

const L kAll[] = {L::CNodeRevoke, L::CNodeDelete, L::CNodeCopy, L::CNodeMint,
                  L::CNodeMove,   L::CNodeMutate, L::CNodeRotate};
const L kTwoSlot[] = {L::CNodeCopy, L::CNodeMint, L::CNodeMove, L::CNodeMutate};

// A valid argument list for `label` with destination (dest, dest_depth) and source src
// (pivot 15 for Rotate); the source's data words are 0 (valid for CNodes and frames).
std::vector<u64> words_for(L label, u64 dest, u64 dest_depth, u64 src, u64 src_depth = 64) {
    switch (label) {
    case L::CNodeRevoke:
    case L::CNodeDelete: return {dest, dest_depth};
    case L::CNodeCopy: return {dest, dest_depth, src, src_depth, Rights::kMask};
    case L::CNodeMint: return {dest, dest_depth, src, src_depth, Rights::kMask, 0};
    case L::CNodeMove: return {dest, dest_depth, src, src_depth};
    case L::CNodeMutate: return {dest, dest_depth, src, src_depth, 0};
    case L::CNodeRotate: return {dest, dest_depth, 0, 15, 64, 0, src, src_depth};
    default: break;
    }
    return {};
}

std::vector<u64> extra_for(L label) {
    if (label == L::CNodeRotate) return {kRoot, kRoot};
    if (label == L::CNodeRevoke || label == L::CNodeDelete) return {};
    return {kRoot};
}

// Slots: an endpoint (10), an empty CNode (11), a CNode holding 16 capabilities (12), a
// Zombie left by a preempted Delete (13), a frame (14) and a pivot CNode (15).
struct Setup {
    explicit Setup(Kernel& k) {
        REQUIRE(k.retype(kUt, ObjectType::Endpoint, 0, kEp) == success());
        REQUIRE(k.retype(kUt, ObjectType::CNode, 4, kCNode) == success());
        REQUIRE(k.retype(kUt, ObjectType::CNode, 4, kZombie) == success());
        REQUIRE(k.retype(kUt, ObjectType::Frame4K, 0, kFrame) == success());
        REQUIRE(k.retype(kUt, ObjectType::CNode, 2, 15) == success());
        REQUIRE(k.retype(kUt, 2, 0, kZombie, 0, 0, 0, 16) == success());
        PeriodicInterrupt interrupt(1);
        REQUIRE(k.remove(kZombie, &interrupt.point).outcome == InvocationOutcome::Restart);
        REQUIRE(k.cap(kZombie).type() == CapType::Zombie);
        REQUIRE(k.retype(kUt, ObjectType::CNode, 4, kFull) == success());
        REQUIRE(k.retype(kUt, 3, 0, kFull, 0, 0, 0, 16) == success());
    }
};

} // namespace

TEST_CASE("CNode errors that every operation shares") {
    Kernel k(16);
    Setup setup(k);
    Unchanged unchanged(k);
    for (L label : kAll) {
        INFO("label " << static_cast<u64>(label));
        u64 src = label == L::CNodeRotate ? kCNode : kFrame;
        REQUIRE(words_for(label, 30, 64, src).size() >= 2);
        // TruncatedMessage: fewer than 2 words.
        CHECK(k.invoke(kRoot, label, {}, extra_for(label)) == error(ErrorCode::TruncatedMessage));
        CHECK(k.invoke(kRoot, label, {30}, extra_for(label)) == error(ErrorCode::TruncatedMessage));
        // RangeError (1, 64): the destination depth.
        for (u64 depth : {u64{0}, u64{65}, ~u64{0}})
            CHECK(k.invoke(kRoot, label, words_for(label, 30, depth, src), extra_for(label)) ==
                  error(ErrorCode::RangeError, {1, 64}));
        // FailedLookup (destination): not resolving to exactly the depth.
        CHECK(k.invoke(kRoot, label, words_for(label, 30, 60, src), extra_for(label)) ==
              lookup_error(false, LookupFailureType::DepthMismatch, {60, 64}));
        CHECK(k.invoke(kRoot, label, words_for(label, u64{1} << 60, 64, src), extra_for(label)) ==
              lookup_error(false, LookupFailureType::GuardMismatch, {64, 0, 52}));
        // Through the radix-4 CNode: slot 1 is empty, 4 bits are left over.
        CHECK(k.invoke(kCNode, label, words_for(label, 0x15, 8, src), extra_for(label)) ==
              lookup_error(false, LookupFailureType::DepthMismatch, {4, 0}));
    }
    // IllegalOperation: labels that are not CNode operations.
    for (u64 label : {0ull, 1ull, 9ull, 100ull}) {
        INFO("label " << label);
        CHECK(k.invoke(kRoot, label, {30, 64, kFrame, 64, 15, 0, 0, 0}, {kRoot, kRoot}) ==
              error(ErrorCode::IllegalOperation));
    }
    // Other object types answer IllegalOperation to everything.
    CHECK(k.invoke(kEp, L::CNodeCopy, words_for(L::CNodeCopy, 30, 64, kFrame), {kRoot}) ==
          error(ErrorCode::IllegalOperation));
    CHECK(k.invoke(kFrame, 1, {2, 0, 0, 0, 30, 1}, {kRoot}) == error(ErrorCode::IllegalOperation));
}

TEST_CASE("CNode errors of the operations with a source") {
    Kernel k(16);
    Setup setup(k);
    Unchanged unchanged(k);
    for (L label : kTwoSlot) {
        INFO("label " << static_cast<u64>(label));
        // TruncatedMessage: fewer than 4 words or no extra[0].
        CHECK(k.invoke(kRoot, label, {30, 64, kFrame}, {kRoot}) == error(ErrorCode::TruncatedMessage));
        CHECK(k.invoke(kRoot, label, words_for(label, 30, 64, kFrame), {}) == error(ErrorCode::TruncatedMessage));
        // DeleteFirst: the destination is occupied (even by the source itself).
        CHECK(k.invoke(kRoot, label, words_for(label, kEp, 64, kFrame), {kRoot}) == error(ErrorCode::DeleteFirst));
        CHECK(k.invoke(kRoot, label, words_for(label, kFrame, 64, kFrame), {kRoot}) ==
              error(ErrorCode::DeleteFirst));
        // FailedLookup (source): does not resolve, or its slot is empty.
        CHECK(k.invoke(kRoot, label, words_for(label, 30, 64, kFrame, 10), {kRoot}) ==
              lookup_error(true, LookupFailureType::GuardMismatch, {10, 0, 52}));
        CHECK(k.invoke(kRoot, label, words_for(label, 30, 64, kFrame, 0), {kRoot}) ==
              error(ErrorCode::RangeError, {1, 64}));
        CHECK(k.invoke(kRoot, label, words_for(label, 30, 64, 31), {kRoot}) ==
              lookup_error(true, LookupFailureType::MissingCapability, {0}));
        CHECK(k.invoke(kRoot, label, words_for(label, 30, 64, kFrame), {kEp}) ==
              lookup_error(true, LookupFailureType::InvalidRoot));
        CHECK(k.invoke(kRoot, label, words_for(label, 30, 64, 0x15, 8), {kCNode}) ==
              lookup_error(true, LookupFailureType::DepthMismatch, {4, 0}));
        // IllegalOperation: the source is a Zombie.
        CHECK(k.invoke(kRoot, label, words_for(label, 30, 64, kZombie), {kRoot}) ==
              error(ErrorCode::IllegalOperation));
    }
    // The operation-specific lengths: Copy 5, Mint 6, Mutate 5 words.
    CHECK(k.invoke(kRoot, L::CNodeCopy, {30, 64, kFrame, 64}, {kRoot}) == error(ErrorCode::TruncatedMessage));
    CHECK(k.invoke(kRoot, L::CNodeMint, {30, 64, kFrame, 64, 15}, {kRoot}) == error(ErrorCode::TruncatedMessage));
    CHECK(k.invoke(kRoot, L::CNodeMutate, {30, 64, kFrame, 64}, {kRoot}) == error(ErrorCode::TruncatedMessage));
}

TEST_CASE("Rotate's own errors and operations on a Zombie") {
    Kernel k(16);
    Setup setup(k);
    Unchanged unchanged(k);
    // TruncatedMessage: fewer than 8 words or fewer than 2 extra capabilities.
    std::vector<u64> words = words_for(L::CNodeRotate, 30, 64, kCNode);
    CHECK(k.invoke(kRoot, L::CNodeRotate, std::vector<u64>(words.begin(), words.end() - 1), {kRoot, kRoot}) ==
          error(ErrorCode::TruncatedMessage));
    CHECK(k.invoke(kRoot, L::CNodeRotate, words, {kRoot}) == error(ErrorCode::TruncatedMessage));
    // A Zombie as source or pivot.
    CHECK(k.rotate(30, 0, kZombie, 0, kCNode) == error(ErrorCode::IllegalOperation));
    CHECK(k.rotate(30, 0, kCNode, 0, kZombie) == error(ErrorCode::IllegalOperation));
    CHECK(k.rotate(kZombie, 0, kCNode, 0, kZombie) == error(ErrorCode::IllegalOperation));
    // A Zombie is not a capability one can invoke; as a root it is no CNode.
    CHECK(k.invoke(kZombie, L::CNodeDelete, {0, 4}) == error(ErrorCode::InvalidCapability, {0}));
    CHECK(k.invoke(kRoot, L::CNodeCopy, {30, 64, 0, 4, 15}, {kZombie}) ==
          lookup_error(true, LookupFailureType::InvalidRoot));
    // Nor can Revoke do anything with it: it has no children.
    CHECK(k.revoke(kZombie) == success());
}

TEST_CASE("a preempted Delete leaves a Zombie that the next Delete finishes") {
    Kernel k(16);
    FinaliserLog log;
    Setup setup(k);
    CHECK(log.count(CapType::Endpoint) == 1); // the one deleted before the interrupt
    Capability zombie = k.cap(kZombie);
    CHECK(zombie.zombie_kind() == CapType::CNode);
    CHECK(zombie.zombie_remaining() < 16);
    CHECK(zombie.zombie_remaining() > 0);
    REQUIRE(k.remove(kZombie) == success());
    CHECK(k.slot(kZombie).is_empty());
    CHECK(log.count(CapType::Endpoint) == 16);
    // Its memory is free again for retyping once every child of the Untyped is gone.
    for (u64 slot : {kEp, kCNode, kFull, kFrame, u64{15}}) REQUIRE(k.remove(slot) == success());
    REQUIRE(k.retype(kUt, ObjectType::Endpoint, 0, 40) == success());
    CHECK(k.cap(40).address() == k.arena().base());
}
