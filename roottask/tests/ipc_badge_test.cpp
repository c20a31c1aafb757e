// The receiver learns the badge of the capability each sender used (0 for an unbadged
// one, all 64 bits otherwise; never its own capability's), and queued senders are served
// in the order they came.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

constexpr u64 kSenders = 3;
constexpr u64 kBadges[kSenders] = {0x11, 0xfedc'ba98'7654'3210, 0};

user::CPtr g_caps[kSenders];
ThreadResults g_results[kSenders];
EventLog g_log;

void send_once(u64 index) {
    g_results[index].add(user::Endpoint(g_caps[index]).send(pattern_message(0x40 + index, 2, index)));
    g_log.add(static_cast<char>('a' + index));
}

} // namespace

ROOTTASK_TEST(IPC0004, "Recv returns each sender's capability badge, senders served first come first served") {
    user::Endpoint endpoint = REQUIRE_OK(t, new_endpoint(t));
    g_log.clear();
    const char* names[kSenders] = {"ipc-badge-a", "ipc-badge-b", "ipc-badge-c"};
    for (u64 i = 0; i < kSenders; ++i) {
        g_results[i].clear();
        g_caps[i] = kBadges[i] == 0 ? endpoint.cap() : REQUIRE_OK(t, mint(t, endpoint.cap(), kWriteGrant, kBadges[i]));
        user::Tcb sender = REQUIRE_OK(t, make_stopped_thread(t, names[i], send_once, i, kRoot + 1)).tcb;
        REQUIRE_OK(t, sender.resume());
        t.expect(g_results[i].count == 0, "sender {} returned from Send with nobody receiving", i);
    }
    // The receiver's own capability is badged too: what it gets is the sender's badge.
    user::Endpoint receiving(REQUIRE_OK(t, mint(t, endpoint.cap(), kReadOnly, 0x99)));
    for (u64 i = 0; i < kSenders; ++i) {
        user::IpcMessage got = receiving.recv();
        g_log.add('R');
        expect_message(t, "received", got, as_received(pattern_message(0x40 + i, 2, i), kBadges[i]));
        expect_status(t, "the sender's Send", g_results[i].at(0), IpcStatus::Ok);
    }
    // Each woken sender is above the root task: it runs before the root task's Recv returns.
    t.expect(g_log.equals("aRbRcR"), "events {} (expected aRbRcR)", g_log.view());
}
