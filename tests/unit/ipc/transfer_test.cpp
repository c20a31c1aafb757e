// Message transfer: truncation to what both sides can hold, and capability transfer with
// and without the grant right, its limits, and the unwrapping of capabilities to the
// receiving endpoint.
#include "ipc_fixture.hpp"

#include <numeric>

using namespace ipctest;

namespace {

constexpr u64 kEndpoint = 20;
constexpr u64 kNotification = 21;
constexpr u64 kOther = 22;  // another endpoint
constexpr u64 kReceived = 40; // the receiver's receive slot

std::vector<u64> count_from(u64 first, u64 n) {
    std::vector<u64> v(n);
    std::iota(v.begin(), v.end(), first);
    return v;
}

// Sender (with buffer) blocked on the endpoint; receiver (with buffer, receive slot set).
struct Pair {
    IpcKernel& k;
    Tcb& sender;
    Tcb& receiver;
    explicit Pair(IpcKernel& kernel) : k(kernel), sender(kernel.thread(100)), receiver(kernel.thread(101)) {
        k.make_endpoint(kEndpoint);
        k.make_notification(kNotification);
        k.make_endpoint(kOther);
        k.give_buffer(sender);
        k.give_buffer(receiver);
        k.set_receive_slot(receiver, kReceived);
    }
    ReceivedMessage transfer(u64 cap_slot, const std::vector<u64>& message, const std::vector<u64>& extra) {
        k.set_extra_caps(sender, extra);
        REQUIRE(k.send(sender, cap_slot, message, 3, extra.size()) == SendOutcome::Blocked);
        REQUIRE(k.receive(receiver, kEndpoint) == ReceiveOutcome::Received);
        return *k.last_received(receiver);
    }
};

} // namespace

TEST_CASE("Transfer: a full message goes through both IPC buffers") {
    IpcKernel k;
    Pair p(k);
    auto message = count_from(1000, MessageInfo::kMaxMessageLength);
    ReceivedMessage got = p.transfer(kEndpoint, message, {});
    CHECK(got.info.length == MessageInfo::kMaxMessageLength);
    CHECK(got.info.label == 3);
    CHECK(k.words(p.receiver, MessageInfo::kMaxMessageLength) == message);
}

TEST_CASE("Transfer: a message is truncated to what the receiver can take") {
    IpcKernel k;
    k.make_endpoint(kEndpoint);
    Tcb& sender = k.thread(100);
    Tcb& receiver = k.thread(101);
    k.give_buffer(sender);

    SECTION("a receiver without an IPC buffer gets the register words") {
        CHECK(k.send(sender, kEndpoint, count_from(1, 10)) == SendOutcome::Blocked);
        CHECK(k.receive(receiver, kEndpoint) == ReceiveOutcome::Received);
        CHECK(k.last_received(receiver)->info.length == kMessageRegisterCount);
        CHECK(k.words(receiver, 4) == count_from(1, 4));
    }
    SECTION("a sender without an IPC buffer sends only its register words") {
        k.buffers.erase(&sender);
        k.give_buffer(receiver).message[5] = 0xbeef;
        MessageInfo info;
        info.length = 10;
        sender.registers.set_result(2, 11);
        sender.registers.set_result(5, 14);
        REQUIRE(send_ipc(sender, k.cap(kEndpoint), info, Blocking::Yes).ok());
        CHECK(k.receive(receiver, kEndpoint) == ReceiveOutcome::Received);
        CHECK(k.last_received(receiver)->info.length == kMessageRegisterCount);
        CHECK(receiver.registers.argument(2) == 11);
        CHECK(receiver.registers.argument(5) == 14);
        CHECK(k.buffers.at(&receiver)->message[5] == 0xbeef); // untouched
    }
    SECTION("a length beyond the maximum is clamped when the info word is decoded") {
        k.give_buffer(receiver);
        MessageInfo info = MessageInfo::from_word(127);
        CHECK(info.length == MessageInfo::kMaxMessageLength);
        REQUIRE(send_ipc(sender, k.cap(kEndpoint), info, Blocking::Yes).ok());
        CHECK(k.receive(receiver, kEndpoint) == ReceiveOutcome::Received);
        CHECK(k.last_received(receiver)->info.length == MessageInfo::kMaxMessageLength);
    }
}

TEST_CASE("Transfer: with grant, an extra capability lands in the receive slot as a derived copy") {
    IpcKernel k;
    Pair p(k);
    REQUIRE(k.mint(50, kNotification, Rights::kMask, 0x9) == success());
    ReceivedMessage got = p.transfer(kEndpoint, {1}, {50});
    CHECK(got.info.extra_caps == 1);
    CHECK(got.info.caps_unwrapped == 0);
    CHECK(k.cap(kReceived) == k.cap(50));
    CHECK(is_child_of(k.slot(50), k.slot(kReceived)));
    CHECK(k.cap(50).type() == CapType::Notification); // the sender keeps its own
    // The copy is a normal capability: deleting the original's source leaves it usable,
    // revoking the notification's original removes it.
    REQUIRE(k.revoke(kNotification) == success());
    CHECK(k.slot(kReceived).is_empty());
}

TEST_CASE("Transfer: without grant no capability moves, and the message still goes") {
    IpcKernel k;
    Pair p(k);
    REQUIRE(k.copy(30, kEndpoint, Rights::kWrite) == success());
    ReceivedMessage got = p.transfer(30, {1, 2}, {kNotification, kEndpoint});
    CHECK(got.info.length == 2);
    CHECK(got.info.extra_caps == 0);
    CHECK(got.info.caps_unwrapped == 0);
    CHECK(k.slot(kReceived).is_empty());
    CHECK(k.words(p.receiver, 2) == std::vector<u64>{1, 2});
}

TEST_CASE("Transfer: one capability per message; the next one stops the list") {
    IpcKernel k;
    Pair p(k);
    ReceivedMessage got = p.transfer(kEndpoint, {}, {kNotification, kOther, kNotification});
    CHECK(got.info.extra_caps == 1);
    CHECK(k.cap(kReceived).type() == CapType::Notification);
}

TEST_CASE("Transfer: capabilities to the receiving endpoint are unwrapped into their badges") {
    IpcKernel k;
    Pair p(k);
    REQUIRE(k.mint(30, kEndpoint, Rights::kMask, 0x111) == success());
    REQUIRE(k.mint(31, kEndpoint, Rights::kRead, 0x222) == success());
    ReceivedMessage got = p.transfer(kEndpoint, {5}, {30, 31, kNotification});
    CHECK(got.info.extra_caps == 3);
    CHECK(got.info.caps_unwrapped == 0b011);
    CHECK(k.buffers.at(&p.receiver)->caps_or_badges[0] == 0x111);
    CHECK(k.buffers.at(&p.receiver)->caps_or_badges[1] == 0x222);
    CHECK(k.cap(kReceived).type() == CapType::Notification); // the third was transferred
    CHECK(MessageInfo::from_word(p.receiver.registers.argument(1)).caps_unwrapped == 0b011);

    SECTION("a capability to another endpoint is not unwrapped") {
        REQUIRE(k.remove(kReceived) == success());
        ReceivedMessage again = p.transfer(kEndpoint, {}, {kOther, 30});
        CHECK(again.info.extra_caps == 2);
        CHECK(again.info.caps_unwrapped == 0b10);
        CHECK(k.cap(kReceived).type() == CapType::Endpoint);
        CHECK(k.cap(kReceived).address() == k.cap(kOther).address());
    }
}

TEST_CASE("Transfer: without a usable receive slot only unwrapping happens") {
    IpcKernel k;
    Pair p(k);
    REQUIRE(k.mint(30, kEndpoint, Rights::kMask, 0x7) == success());
    SECTION("the receive slot is occupied") {
        REQUIRE(k.copy(kReceived, kOther) == success());
        ReceivedMessage got = p.transfer(kEndpoint, {}, {30, kNotification});
        CHECK(got.info.extra_caps == 1);
        CHECK(got.info.caps_unwrapped == 1);
        CHECK(k.cap(kReceived).address() == k.cap(kOther).address());
    }
    SECTION("the receive CNode pointer names no CNode") {
        k.buffers.at(&p.receiver)->receive_cnode = kOther;
        ReceivedMessage got = p.transfer(kEndpoint, {}, {kNotification});
        CHECK(got.info.extra_caps == 0);
        CHECK(k.slot(kReceived).is_empty());
    }
    SECTION("the receiver has no IPC buffer: nothing at all") {
        k.buffers.erase(&p.receiver);
        ReceivedMessage got = p.transfer(kEndpoint, {1}, {30});
        CHECK(got.info.extra_caps == 0);
        CHECK(got.info.caps_unwrapped == 0);
        CHECK(got.info.length == 1);
    }
}

TEST_CASE("Transfer: an extra capability pointer that does not resolve moves nothing") {
    IpcKernel k;
    Pair p(k);
    ReceivedMessage got = p.transfer(kEndpoint, {1}, {kNotification, u64{1} << 63 /* guard mismatch */});
    CHECK(got.info.extra_caps == 0);
    CHECK(k.slot(kReceived).is_empty());
    CHECK(got.info.length == 1);
}

TEST_CASE("Transfer: an empty slot among the extra capabilities ends the list") {
    IpcKernel k;
    Pair p(k);
    ReceivedMessage got = p.transfer(kEndpoint, {}, {3000 /* empty */, kNotification});
    CHECK(got.info.extra_caps == 0);
    CHECK(k.slot(kReceived).is_empty());
}

TEST_CASE("Transfer: a capability that cannot be copied stops the list") {
    IpcKernel k;
    Pair p(k);
    ReceivedMessage got = p.transfer(kEndpoint, {}, {Kernel::kUntypedSlot, kNotification});
    CHECK(got.info.extra_caps == 0);
    CHECK(k.slot(kReceived).is_empty());
}
