// CNode.CancelBadgedSends on a badged endpoint capability with every right: every sender
// queued with that badge (Send or Call's send phase) returns Cancelled; the others keep
// their place and order; a Call already delivered still gets its answer. Unbadged, or
// without every right: IllegalOperation.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

constexpr u64 kSenders = 4;
// Senders 0 and 2 use badge 1, sender 1 badge 2, sender 3 is unbadged; 2 calls.
constexpr u64 kBadges[kSenders] = {1, 2, 1, 0};

user::CPtr g_caps[kSenders];
ThreadResults g_results[kSenders];
EventLog g_log;

void send_once(u64 index) {
    user::IpcMessage message = pattern_message(0x160 + index, 1, index);
    user::Endpoint endpoint(g_caps[index]);
    g_results[index].add(index == 2 ? endpoint.call(message) : endpoint.send(message));
    g_log.add(static_cast<char>('a' + index));
}

} // namespace

ROOTTASK_TEST(IPC0020, "CancelBadgedSends cancels the queued senders of one badge only; needs a badge and every right") {
    user::Endpoint endpoint = REQUIRE_OK(t, new_endpoint(t));
    user::CPtr badge_one = REQUIRE_OK(t, mint(t, endpoint.cap(), user::CapRights::all(), 1));
    user::CPtr badge_one_fewer_rights = REQUIRE_OK(t, mint(t, endpoint.cap(), kReadWrite, 1));
    g_log.clear();
    const char* names[kSenders] = {"ipc-cancel-a", "ipc-cancel-b", "ipc-cancel-c", "ipc-cancel-d"};
    for (u64 i = 0; i < kSenders; ++i) {
        g_results[i].clear();
        g_caps[i] = kBadges[i] == 0 ? endpoint.cap() : REQUIRE_OK(t, mint(t, endpoint.cap(), user::CapRights::all(), kBadges[i]));
        REQUIRE_OK(t, start_resumed(t, names[i], send_once, i, kRoot + 1));
    }

    auto unbadged = t.own_cnode().cancel_badged_sends(user::SlotPath::at(endpoint.cap()));
    t.expect(failed_with(unbadged, kernel_error(ErrorCode::IllegalOperation)), "on the unbadged capability: {}",
             outcome(unbadged));
    auto fewer = t.own_cnode().cancel_badged_sends(user::SlotPath::at(badge_one_fewer_rights));
    t.expect(failed_with(fewer, kernel_error(ErrorCode::IllegalOperation)), "without every right: {}", outcome(fewer));
    t.expect(g_log.length == 0, "a refusal woke senders: {}", g_log.view());

    g_log.add('1');
    REQUIRE_OK(t, t.own_cnode().cancel_badged_sends(user::SlotPath::at(badge_one)));
    g_log.add('2');
    t.expect(g_log.equals("1ac2"), "events {} (expected 1ac2)", g_log.view());
    expect_status(t, "the cancelled Send", g_results[0].at(0), IpcStatus::Cancelled);
    user::IpcMessage cancelled_call = pattern_message(0x162, 1, 2);
    cancelled_call.status = IpcStatus::Cancelled;
    expect_message(t, "the cancelled Call", g_results[2].at(0), cancelled_call);

    // The others are still queued, in order.
    expect_message(t, "first still queued", endpoint.nb_recv(), as_received(pattern_message(0x161, 1, 1), 2));
    expect_message(t, "second still queued", endpoint.nb_recv(), as_received(pattern_message(0x163, 1, 3), 0));
    expect_status(t, "then nothing", endpoint.nb_recv(), IpcStatus::NothingPending);
    expect_status(t, "sender b", g_results[1].at(0), IpcStatus::Ok);
    expect_status(t, "sender d", g_results[3].at(0), IpcStatus::Ok);

    // A Call with the badge that was already delivered waits for its answer regardless.
    g_results[2].clear();
    g_log.clear();
    REQUIRE_OK(t, start_resumed(t, "ipc-cancel-e", send_once, 2, kRoot + 1));
    user::ReplyObject reply = REQUIRE_OK(t, new_reply_object(t));
    expect_message(t, "the Call", endpoint.recv(reply), as_received(pattern_message(0x162, 1, 2), 1));
    REQUIRE_OK(t, t.own_cnode().cancel_badged_sends(user::SlotPath::at(badge_one)));
    t.expect(g_results[2].count == 0, "CancelBadgedSends ended a delivered Call: {}", g_results[2].at(0));
    (void)reply.reply(pattern_message(0x164, 1, 4));
    expect_message(t, "the delivered Call's answer", g_results[2].at(0), as_received(pattern_message(0x164, 1, 4), 0));
}
