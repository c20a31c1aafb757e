// Capabilities in an answer move only when the endpoint capability the server received
// the Call with has the grant right (the caller's rights do not matter), and an answer
// unwraps nothing: a capability to the endpoint itself is transferred like any other.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

constexpr u64 kRounds = 3;
constexpr u64 kGiftBadge = 0x2b;

user::CPtr g_receive_caps[kRounds];
user::CPtr g_gifts[kRounds];
user::ReplyObject g_reply;
ThreadResults g_server;

// Round r: receives through g_receive_caps[r], answers with g_gifts[r] as extra capability.
void server(u64) {
    IpcBuffer& buffer = *user::current_ipc_buffer();
    for (u64 round = 0; round < kRounds; ++round) {
        g_server.add(user::Endpoint(g_receive_caps[round]).recv(g_reply));
        buffer.caps_or_badges[0] = g_gifts[round].value;
        user::IpcMessage answer = pattern_message(0xb0 + round, 2, round);
        answer.info_word = MessageInfo{0xb0 + round, 2, 1, 0}.to_word();
        (void)g_reply.reply(answer);
    }
}

} // namespace

ROOTTASK_TEST(IPC0011, "an answer carries capabilities only if the server received with grant; it unwraps nothing") {
    user::Endpoint endpoint = REQUIRE_OK(t, new_endpoint(t));
    g_reply = REQUIRE_OK(t, new_reply_object(t));
    user::Notification notification = REQUIRE_OK(t, new_notification(t));
    user::CPtr gift = REQUIRE_OK(t, mint(t, notification.cap(), user::CapRights::all(), kGiftBadge));
    user::CPtr with_grant = REQUIRE_OK(t, mint(t, endpoint.cap(), user::CapRights::all()));
    user::CPtr without_grant = REQUIRE_OK(t, mint(t, endpoint.cap(), user::CapRights::read_write()));
    g_receive_caps[0] = without_grant;
    g_receive_caps[1] = with_grant;
    g_receive_caps[2] = with_grant;
    g_gifts[0] = gift;
    g_gifts[1] = gift;
    g_gifts[2] = endpoint.cap();
    // The caller's capability has grant-reply only: its own rights do not decide.
    user::Endpoint caller(REQUIRE_OK(t, mint(t, endpoint.cap(), kWriteGrantReply)));
    user::CPtr slot = REQUIRE_OK(t, empty_slot(t));
    RootReceiveSlot receiving(t, slot);
    g_server.clear();
    user::Tcb server_tcb = REQUIRE_OK(t, make_stopped_thread(t, "ipc-reply-grant", server, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, server_tcb.resume());

    const char* rounds[kRounds] = {"received without grant", "received with grant", "the endpoint itself"};
    for (u64 round = 0; round < kRounds; ++round) {
        user::IpcMessage answer = caller.call(pattern_message(0xc0 + round, 1, round));
        expect_message(t, rounds[round], g_server.at(round), as_received(pattern_message(0xc0 + round, 1, round), 0));
        user::IpcMessage expected = as_received(pattern_message(0xb0 + round, 2, round), 0);
        expected.info_word = MessageInfo{0xb0 + round, 2, round == 0 ? 0u : 1u, 0}.to_word();
        expect_message(t, rounds[round], answer, expected);
        if (round == 0) t.expect(slot_is_empty(t, slot), "{}: a capability arrived", rounds[round]);
        if (round == 1) {
            t.expect(holds_working_notification(slot, kGiftBadge), "{}: the notification did not arrive", rounds[round]);
            REQUIRE_OK(t, delete_cap(t, slot));
        }
    }
    // The endpoint capability arrived as a capability (NBRecv through it: nothing pending).
    user::IpcMessage probe = user::Endpoint(slot).nb_recv();
    t.expect(probe.status == IpcStatus::NothingPending, "the endpoint capability in the answer: NBRecv {}", probe.status);
}
