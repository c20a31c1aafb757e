// Whom a message wakes runs by priority: a higher receiver before the sender's Send
// returns, an equal one at the sender's Yield, a lower one only once the sender blocks
// (and a message it sends back to the higher sender runs that one at once again). A
// Call to a lower server runs it while the caller waits; its Reply runs the caller first.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

user::Endpoint g_endpoint;
user::Endpoint g_back;
user::ReplyObject g_reply;
EventLog g_log;

void receive_and_log(u64 letter) {
    (void)g_endpoint.recv();
    g_log.add(static_cast<char>(letter));
}

// Receives, then answers on the second endpoint and logs before and after.
void receive_and_answer(u64 letter) {
    (void)g_endpoint.recv();
    g_log.add(static_cast<char>(letter));
    (void)g_back.send(pattern_message(0xf1, 1, 1));
    g_log.add(static_cast<char>(letter + ('a' - 'A')));
}

// Receives a Call, logs, answers, and logs again.
void serve_once(u64 letter) {
    (void)g_endpoint.recv(g_reply);
    g_log.add(static_cast<char>(letter));
    (void)g_reply.reply(pattern_message(0xf2, 1, 2));
    g_log.add(static_cast<char>(letter + ('a' - 'A')));
}

} // namespace

ROOTTASK_TEST(IPC0014, "a woken receiver above the sender runs at once, an equal one at Yield, a lower one when it blocks") {
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    g_back = REQUIRE_OK(t, new_endpoint(t));
    g_reply = REQUIRE_OK(t, new_reply_object(t));
    g_log.clear();
    const user::IpcMessage message = pattern_message(0xf0, 1, 0);

    user::Tcb higher = REQUIRE_OK(t, make_stopped_thread(t, "ipc-prio-high", receive_and_log, 'H', kRoot + 1)).tcb;
    REQUIRE_OK(t, higher.resume());
    g_log.add('1');
    (void)g_endpoint.send(message);
    g_log.add('2');

    // The equal thread must first run to reach its Recv: it waits for the root task's Yield.
    user::Tcb equal = REQUIRE_OK(t, make_stopped_thread(t, "ipc-prio-equal", receive_and_log, 'E', kRoot)).tcb;
    REQUIRE_OK(t, equal.resume());
    user::yield();
    g_log.add('3');
    (void)g_endpoint.send(message);
    g_log.add('4');
    for (unsigned i = 0; i < kYieldLimit && g_log.length < 6; ++i) user::yield();
    g_log.add('5');

    // Blocked in Recv while above the root task, then lowered below it.
    user::Tcb lower = REQUIRE_OK(t, make_stopped_thread(t, "ipc-prio-low", receive_and_answer, 'L', kRoot + 1)).tcb;
    REQUIRE_OK(t, lower.resume());
    REQUIRE_OK(t, lower.set_priority(kRoot - 1, root_tcb()));
    g_log.add('6');
    (void)g_endpoint.send(message);
    g_log.add('7');
    user::IpcMessage back = g_back.recv();
    g_log.add('8');
    expect_message(t, "the lower thread's answer", back, as_received(pattern_message(0xf1, 1, 1), 0));
    // Raised again, the lower thread finishes at once.
    REQUIRE_OK(t, lower.set_priority(kRoot + 1, root_tcb()));
    t.expect(g_log.equals("1H234E567L8l"), "events {} (expected 1H234E567L8l)", g_log.view());

    // A Call to a lower server: it runs while the caller waits, and its Reply runs the
    // caller at once, before the server goes on.
    g_log.clear();
    user::Tcb server = REQUIRE_OK(t, make_stopped_thread(t, "ipc-prio-srv", serve_once, 'S', kRoot + 1)).tcb;
    REQUIRE_OK(t, server.resume());
    REQUIRE_OK(t, server.set_priority(kRoot - 1, root_tcb()));
    g_log.add('1');
    user::IpcMessage answer = g_endpoint.call(message);
    g_log.add('2');
    expect_message(t, "the lower server's answer", answer, as_received(pattern_message(0xf2, 1, 2), 0));
    t.expect(g_log.equals("1S2"), "events {} (expected 1S2: the server's rest waits)", g_log.view());
}
