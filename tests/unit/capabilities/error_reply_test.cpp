// encode_error_reply: each error's message info and words exactly as docs/invocations.md
// lays them out ("Errors": label = the code, details in w0...).
#include "cap_fixture.hpp"

using namespace captest;

namespace {

constexpr u64 kUntouched = 0xdeadbeefcafef00dull;

struct Encoded {
    MessageInfo info;
    std::vector<u64> words;
};

Encoded encode(const InvocationError& error) {
    u64 words[6];
    for (u64& word : words) word = kUntouched;
    Encoded encoded;
    encoded.info = encode_error_reply(error, kstd::Span<u64>(words));
    REQUIRE(encoded.info.length <= 6);
    for (u64 i = encoded.info.length; i < 6; ++i) CHECK(words[i] == kUntouched); // nothing past the length
    encoded.words.assign(words, words + encoded.info.length);
    return encoded;
}

LookupFailure lookup(LookupFailureType type, u64 left, u64 found, u64 guard, u64 guard_bits) {
    LookupFailure failure{type};
    failure.bits_left = left;
    failure.bits_found = found;
    failure.guard_found = guard;
    failure.guard_bits = guard_bits;
    return failure;
}

void check(const InvocationError& error, u64 code, std::vector<u64> words) {
    Encoded encoded = encode(error);
    CHECK(encoded.info.label == code);
    CHECK(encoded.info.extra_caps == 0);
    CHECK(encoded.info.caps_unwrapped == 0);
    CHECK(encoded.words == words);
    CHECK(encoded.info.to_word() == ((code << 12) | words.size()));
}

} // namespace

TEST_CASE("error replies carry the code as label and the documented details") {
    check(InvocationError::invalid_argument(3), 1, {3});
    check(InvocationError::invalid_capability(2), 2, {2});
    check(InvocationError::of(ErrorCode::IllegalOperation), 3, {});
    check(InvocationError::range(4, 47), 4, {4, 47});
    check(InvocationError::range(1, ~u64{0}), 4, {1, ~u64{0}});
    check(InvocationError::of(ErrorCode::AlignmentError), 5, {});
    check(InvocationError::of(ErrorCode::TruncatedMessage), 7, {});
    check(InvocationError::of(ErrorCode::DeleteFirst), 8, {});
    check(InvocationError::of(ErrorCode::RevokeFirst), 9, {});
    check(InvocationError::not_enough_memory(0x12345), 10, {0x12345});
    check(InvocationError::not_enough_memory(0), 10, {0});
}

TEST_CASE("FailedLookup replies: source flag, failure type, then the failure's details") {
    for (bool source : {false, true}) {
        INFO("source " << source);
        u64 flag = source ? 1 : 0;
        // The details of other failure kinds are not sent even if set.
        check(InvocationError::failed_lookup(source, lookup(LookupFailureType::InvalidRoot, 9, 9, 9, 9)), 6,
              {flag, 1});
        check(InvocationError::failed_lookup(source, lookup(LookupFailureType::MissingCapability, 17, 9, 9, 9)), 6,
              {flag, 2, 17});
        check(InvocationError::failed_lookup(source, lookup(LookupFailureType::DepthMismatch, 5, 7, 9, 9)), 6,
              {flag, 3, 5, 7});
        check(InvocationError::failed_lookup(source, lookup(LookupFailureType::DepthMismatch, 2, 0, 9, 9)), 6,
              {flag, 3, 2, 0});
        check(InvocationError::failed_lookup(source, lookup(LookupFailureType::GuardMismatch, 14, 9, 5, 3)), 6,
              {flag, 4, 14, 5, 3});
        u64 big_guard = (u64{1} << 58) - 1;
        check(InvocationError::failed_lookup(source, lookup(LookupFailureType::GuardMismatch, 64, 0, big_guard, 58)), 6,
              {flag, 4, 64, big_guard, 58});
    }
}

TEST_CASE("handle_invocation sends exactly the encoded reply") {
    Kernel k(16);
    InvocationReply raw;
    MessageInfo info;
    info.label = static_cast<u64>(InvocationLabel::CNodeCopy);
    info.length = 5;
    info.extra_caps = 1;
    const u64 words[] = {30, 64, 31, 10, Rights::kMask};
    const u64 extra[] = {Kernel::kRootCNodeSlot};
    PreemptionPoint never(nullptr, nullptr);
    raw = handle_invocation(k.cspace_root().cap, Kernel::kRootCNodeSlot, info, kstd::Span<const u64>(words, 5),
                            kstd::Span<const u64>(extra, 1), never);
    CHECK(raw.outcome == InvocationOutcome::Error);
    CHECK(raw.info.to_word() == ((u64{6} << 12) | 5));
    CHECK(raw.words[0] == 1);  // the source
    CHECK(raw.words[1] == 4);  // GuardMismatch
    CHECK(raw.words[2] == 10); // bits left
    CHECK(raw.words[3] == 0);  // the guard found
    CHECK(raw.words[4] == 52); // its size
    // Success is label 0 with no words; the info's length is clipped to the words given.
    info.length = 100;
    const u64 copy[] = {30, 64, Kernel::kUntypedSlot + 1, 64, Rights::kMask};
    raw = handle_invocation(k.cspace_root().cap, Kernel::kRootCNodeSlot, info, kstd::Span<const u64>(copy, 5),
                            kstd::Span<const u64>(extra, 1), never);
    CHECK(raw.outcome == InvocationOutcome::Success);
    CHECK(raw.info.to_word() == 0);
    CHECK(k.cap(30) == k.cap(Kernel::kRootCNodeSlot));
}
