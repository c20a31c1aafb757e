// The Call register convention and error decoding, without a kernel.
#include <catch2/catch.hpp>

#include <userlib/message.hpp>

#include "../test_support.hpp"

using namespace tessera;
using namespace tessera::user;

TEST_CASE("userlib: words 0..3 travel in a2..a5, the rest and extra caps in the IPC buffer") {
    IpcBuffer buffer{};
    Request request(InvocationLabel::CNodeRotate);
    for (u64 i = 0; i < 8; ++i) request.word(100 + i);
    request.cap(CPtr{7}).cap(CPtr{9});
    CallRegisters registers = marshal_call(CPtr{42}, request, &buffer).value();
    CHECK(registers.a[0] == 42);
    MessageInfo info = MessageInfo::from_word(registers.a[1]);
    CHECK(info.label == static_cast<u64>(InvocationLabel::CNodeRotate));
    CHECK(info.length == 8);
    CHECK(info.extra_caps == 2);
    for (u64 i = 0; i < 4; ++i) CHECK(registers.a[2 + i] == 100 + i);
    for (u64 i = 4; i < 8; ++i) CHECK(buffer.message[i] == 100 + i);
    CHECK(buffer.caps_or_badges[0] == 7);
    CHECK(buffer.caps_or_badges[1] == 9);
    CHECK(buffer.tag == registers.a[1]);
}

TEST_CASE("userlib: a short request needs no IPC buffer; a long one fails without one") {
    Request short_request(InvocationLabel::CNodeDelete);
    short_request.word(5).word(64);
    CHECK(marshal_call(CPtr{2}, short_request, nullptr).ok());
    Request long_request(InvocationLabel::CNodeMint);
    for (int i = 0; i < 6; ++i) long_request.word(1);
    auto failed = marshal_call(CPtr{2}, long_request, nullptr);
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().library == LibraryError::NoIpcBuffer);
    Request with_cap(InvocationLabel::AsidPoolAssign);
    with_cap.cap(CPtr{3});
    CHECK_FALSE(marshal_call(CPtr{6}, with_cap, nullptr).ok());
}

TEST_CASE("userlib: a success reply gives its words from registers and the IPC buffer") {
    IpcBuffer buffer{};
    CallRegisters after;
    after.a[1] = MessageInfo{0, 6, 0, 0}.to_word();
    for (u64 i = 0; i < 4; ++i) after.a[2 + i] = 10 + i;
    buffer.message[4] = 14;
    buffer.message[5] = 15;
    Reply reply;
    REQUIRE(unmarshal_reply(after, &buffer, reply).ok());
    REQUIRE(reply.length == 6);
    for (u64 i = 0; i < 6; ++i) CHECK(reply.words[i] == 10 + i);
}

TEST_CASE("userlib: error replies decode into their details") {
    auto decode = [](ErrorCode code, std::vector<u64> words) {
        return decode_error(MessageInfo{static_cast<u64>(code), words.size(), 0, 0},
                            kstd::Span<const u64>(words.data(), words.size()));
    };
    CHECK(decode(ErrorCode::InvalidArgument, {3}).argument == 3);
    CHECK(decode(ErrorCode::InvalidCapability, {1}).argument == 1);
    Error range = decode(ErrorCode::RangeError, {1, 256});
    CHECK(range.range_min == 1);
    CHECK(range.range_max == 256);
    CHECK(decode(ErrorCode::NotEnoughMemory, {4096}).memory_available == 4096);
    Error guard = decode(ErrorCode::FailedLookup, {1, 4, 12, 3, 4});
    CHECK(guard.lookup_was_source);
    CHECK(guard.lookup.type == LookupFailureType::GuardMismatch);
    CHECK(guard.lookup.bits_left == 12);
    CHECK(guard.lookup.guard_found == 3);
    CHECK(guard.lookup.guard_bits == 4);
    Error depth = decode(ErrorCode::FailedLookup, {0, 3, 8, 4});
    CHECK_FALSE(depth.lookup_was_source);
    CHECK(depth.lookup.bits_found == 4);
    // Missing detail words read as zero instead of garbage.
    CHECK(decode(ErrorCode::RangeError, {}).range_max == 0);

    tessera_test::StringSink sink;
    kstd::format_to(sink, "{}", guard);
    CHECK(sink.text == "FailedLookup (source: GuardMismatch, 12 bits left, guard 0x3 of 4 bits)");
    sink.text.clear();
    kstd::format_to(sink, "{}", range);
    CHECK(sink.text == "RangeError (1..256)");
    sink.text.clear();
    kstd::format_to(sink, "{}", Error::of(LibraryError::OutOfSlots));
    CHECK(sink.text == "userlib: OutOfSlots");
}
