// CNode.Describe and TCB.GetStatus: the words each reports for every kind of capability
// and thread state, and their refusals (an empty reply room, a bad slot path).
#include "tcb_fixture.hpp"

#include <abi/introspection.hpp>

using namespace captest;

namespace {

using L = InvocationLabel;

constexpr u64 kThread = 10, kEndpoint = 11, kBadged = 12, kNotification = 13, kCNode = 14, kUntyped = 15,
              kEmpty = 16, kReply = 17;

struct World {
    ThreadKernel k;
    World() {
        k.make_tcb(kThread, 42, 99);
        k.make(ObjectType::Endpoint, kEndpoint);
        k.make(ObjectType::Notification, kNotification);
        k.make(ObjectType::CNode, kCNode, 3);
        k.make(ObjectType::Untyped, kUntyped, 12);
        k.make(ObjectType::Reply, kReply);
        REQUIRE(k.mint(kBadged, kEndpoint, Rights::kWrite | Rights::kGrantReply, 0x77).ok());
    }
    std::vector<u64> describe(u64 slot, u64 depth = 64) {
        std::vector<u64> words;
        CallOptions options;
        options.reply_words = &words;
        Reply reply = k.call(Kernel::kRootCNodeSlot, L::CNodeDescribe, {slot, depth}, {}, options);
        REQUIRE(reply.ok());
        return words;
    }
    u64 address_of(u64 slot) { return k.cap(slot).address(); }
};

u64 word(const std::vector<u64>& words, CapabilityDescription which) { return words.at(static_cast<u64>(which)); }

} // namespace

TEST_CASE("CNode.Describe reports a badged endpoint's kind, rights, badge and object") {
    World w;
    std::vector<u64> words = w.describe(kBadged);
    REQUIRE(words.size() == static_cast<u64>(CapabilityDescription::Count));
    CHECK(word(words, CapabilityDescription::Kind) == static_cast<u64>(CapabilityKind::Endpoint));
    CHECK(word(words, CapabilityDescription::Rights) == (Rights::kWrite | Rights::kGrantReply));
    CHECK(word(words, CapabilityDescription::Data) == 0x77);
    CHECK(word(words, CapabilityDescription::Object) == w.address_of(kEndpoint));
    CHECK(word(words, CapabilityDescription::SizeBits) == kEndpointSizeBits);
}

TEST_CASE("CNode.Describe gives each object kind its size and data") {
    World w;
    struct Expected {
        u64 slot;
        CapabilityKind kind;
        u64 size_bits;
    };
    for (Expected e : {Expected{kThread, CapabilityKind::Tcb, kTcbSizeBits},
                       Expected{kNotification, CapabilityKind::Notification, kNotificationSizeBits},
                       Expected{kCNode, CapabilityKind::CNode, 3 + kCNodeSlotSizeBits},
                       Expected{kUntyped, CapabilityKind::Untyped, 12},
                       Expected{kReply, CapabilityKind::Reply, kReplySizeBits}}) {
        INFO("slot " << e.slot);
        std::vector<u64> words = w.describe(e.slot);
        CHECK(word(words, CapabilityDescription::Kind) == static_cast<u64>(e.kind));
        CHECK(word(words, CapabilityDescription::SizeBits) == e.size_bits);
        CHECK(word(words, CapabilityDescription::Object) == w.address_of(e.slot));
    }
    // An Untyped reports its watermark: carving an endpoint out of it moves it.
    CHECK(word(w.describe(kUntyped), CapabilityDescription::Data) == 0);
    REQUIRE(w.k.retype(kUntyped, ObjectType::Endpoint, 0, 20).ok());
    CHECK(word(w.describe(kUntyped), CapabilityDescription::Data) == u64{1} << kEndpointSizeBits);
}

TEST_CASE("CNode.Describe of an empty slot is a Null capability with no object") {
    World w;
    std::vector<u64> words = w.describe(kEmpty);
    CHECK(words == std::vector<u64>{static_cast<u64>(CapabilityKind::Null), 0, 0, 0, 0});
}

TEST_CASE("CNode.Describe refuses a slot path that does not resolve and a reply with no room") {
    World w;
    Reply bad_depth = w.k.call(Kernel::kRootCNodeSlot, L::CNodeDescribe, {kBadged, 65});
    CHECK(bad_depth.label == static_cast<u64>(ErrorCode::RangeError));
    Reply truncated = w.k.call(Kernel::kRootCNodeSlot, L::CNodeDescribe, {kBadged});
    CHECK(truncated.label == static_cast<u64>(ErrorCode::TruncatedMessage));
    CallOptions no_room;
    no_room.no_reply = true;
    Reply nowhere = w.k.call(Kernel::kRootCNodeSlot, L::CNodeDescribe, {kBadged, 64}, {}, no_room);
    CHECK(nowhere.label == static_cast<u64>(ErrorCode::TruncatedMessage));
    // Nothing changed: the capability is still there, as minted.
    CHECK(w.k.cap(kBadged).badge() == 0x77);
}

TEST_CASE("TCB.GetStatus reports state, priority, MCP and name") {
    World w;
    Tcb& thread = w.k.tcb(kThread);
    REQUIRE(w.k.call(kThread, L::TcbSetName, {0x6f6c6c6568, 0}).ok()); // "hello"
    std::vector<u64> words;
    CallOptions options;
    options.reply_words = &words;
    REQUIRE(w.k.call(kThread, L::TcbGetStatus, {}, {}, options).ok());
    REQUIRE(words.size() == static_cast<u64>(ThreadStatusWord::Count));
    CHECK(words[static_cast<u64>(ThreadStatusWord::State)] == static_cast<u64>(thread.state));
    CHECK(words[static_cast<u64>(ThreadStatusWord::Priority)] == 42);
    CHECK(words[static_cast<u64>(ThreadStatusWord::MaxControlledPriority)] == 99);
    CHECK(words[static_cast<u64>(ThreadStatusWord::NameLow)] == 0x6f6c6c6568);
    CHECK(words[static_cast<u64>(ThreadStatusWord::NameHigh)] == 0);

    thread.state = ThreadState::BlockedOnReply;
    words.clear();
    REQUIRE(w.k.call(kThread, L::TcbGetStatus, {}, {}, options).ok());
    CHECK(words[0] == static_cast<u64>(ThreadStatus::BlockedOnReply));
    thread.state = ThreadState::Inactive;
}

TEST_CASE("TCB.GetStatus with nowhere to put the answer is refused") {
    World w;
    CallOptions no_room;
    no_room.no_reply = true;
    Reply reply = w.k.call(kThread, L::TcbGetStatus, {}, {}, no_room);
    CHECK(reply.label == static_cast<u64>(ErrorCode::TruncatedMessage));
}
