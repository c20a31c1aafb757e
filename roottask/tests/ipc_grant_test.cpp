// A capability travels in a message only when the sender's endpoint capability has the
// grant right (grant-reply is not enough): it lands in the receiver's receive slot as a
// child of the sender's, so revoking the original takes it away. Without grant the
// message still arrives, with extra_caps 0 and the slot empty.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

constexpr u64 kGiftBadge = 0x9;

user::CPtr g_send_caps[3];
user::CPtr g_gift;
ThreadResults g_sender;

// Sends the gift once through each of its endpoint capabilities.
void send_gift(u64) {
    IpcBuffer& buffer = *user::current_ipc_buffer();
    for (u64 i = 0; i < 3; ++i) {
        buffer.caps_or_badges[0] = g_gift.value;
        user::IpcMessage message = pattern_message(0x90 + i, 2, i);
        message.info_word = MessageInfo{0x90 + i, 2, 1, 0}.to_word();
        g_sender.add(user::Endpoint(g_send_caps[i]).send(message));
    }
}

} // namespace

ROOTTASK_TEST(IPC0009, "a capability moves only with the grant right, as a child of the sender's") {
    user::Endpoint endpoint = REQUIRE_OK(t, new_endpoint(t));
    user::Notification notification = REQUIRE_OK(t, new_notification(t));
    g_gift = REQUIRE_OK(t, mint(t, notification.cap(), user::CapRights::all(), kGiftBadge));
    g_send_caps[0] = REQUIRE_OK(t, mint(t, endpoint.cap(), kWriteOnly));
    g_send_caps[1] = REQUIRE_OK(t, mint(t, endpoint.cap(), kWriteGrantReply));
    g_send_caps[2] = REQUIRE_OK(t, mint(t, endpoint.cap(), kWriteGrant));
    user::CPtr slot = REQUIRE_OK(t, empty_slot(t));
    RootReceiveSlot receiving(t, slot);
    g_sender.clear();
    user::Tcb sender = REQUIRE_OK(t, make_stopped_thread(t, "ipc-grant", send_gift, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, sender.resume());

    const char* kinds[3] = {"write only", "write and grant-reply", "write and grant"};
    for (u64 i = 0; i < 3; ++i) {
        user::IpcMessage got = endpoint.recv();
        user::IpcMessage expected = as_received(pattern_message(0x90 + i, 2, i), 0);
        bool granted = i == 2;
        expected.info_word = MessageInfo{0x90 + i, 2, granted ? 1u : 0u, 0}.to_word();
        expect_message(t, kinds[i], got, expected);
        expect_status(t, "the Send", g_sender.at(i), IpcStatus::Ok);
        if (!granted) t.expect(slot_is_empty(t, slot), "{}: a capability arrived", kinds[i]);
    }
    t.expect(holds_working_notification(slot, kGiftBadge), "the granted capability is not the badged notification");

    // A child of the sender's capability: revoking that takes it away.
    REQUIRE_OK(t, t.own_cnode().revoke(user::SlotPath::at(g_gift)));
    t.expect(slot_is_empty(t, slot), "the received capability survived the revocation of the sender's");
    t.expect(holds_working_notification(g_gift, kGiftBadge), "the sender's capability no longer works");
}
