// A thread without an IPC buffer sends and receives only the four register words: the
// length is cut to 4 both ways, the other side's buffer words stay as they were, and no
// capability moves (the extra capabilities' pointers live in the buffer).
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

constexpr u64 kLength = 10;
constexpr u64 kSentinelSeed = 0x77;

user::Endpoint g_endpoint;
user::CPtr g_grant_endpoint;
user::CPtr g_gift;
ThreadResults g_thread;

// Runs without an IPC buffer: sends 10 words, receives 10, then sends a capability.
void unbuffered(u64) {
    g_thread.add(g_endpoint.send(pattern_message(0x31, kLength, 0x31)));
    g_thread.add(g_endpoint.recv());
    user::IpcMessage with_cap = pattern_message(0x33, 1, 0x33);
    with_cap.info_word = MessageInfo{0x33, 1, 1, 0}.to_word();
    g_thread.add(user::Endpoint(g_grant_endpoint).send(with_cap));
}

} // namespace

ROOTTASK_TEST(IPC0003, "without an IPC buffer only the 4 register words travel, both ways, and no capability") {
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    g_grant_endpoint = REQUIRE_OK(t, mint(t, g_endpoint.cap(), user::CapRights::all()));
    user::Notification gift = REQUIRE_OK(t, new_notification(t));
    g_gift = gift.cap();
    user::CPtr receive_slot = REQUIRE_OK(t, empty_slot(t));
    g_thread.clear();
    user::Thread thread = REQUIRE_OK(t, make_stopped_thread(t, "ipc-no-buffer", unbuffered, 0, kRoot + 1));
    REQUIRE_OK(t, thread.tcb.set_ipc_buffer(0, user::Frame()));
    // Its old buffer page stays mapped: whatever the thread leaves there must not travel.
    IpcBuffer& stale = *reinterpret_cast<IpcBuffer*>(thread.ipc_buffer);
    fill_buffer_words(stale, kLength, 0x31);
    stale.caps_or_badges[0] = g_gift.value;
    REQUIRE_OK(t, thread.tcb.resume());

    IpcBuffer& buffer = *user::current_ipc_buffer();
    fill_buffer_words(buffer, MessageInfo::kMaxMessageLength, kSentinelSeed);
    user::IpcMessage got = g_endpoint.recv();
    expect_message(t, "from the thread without a buffer", got, as_received(pattern_message(0x31, 4, 0x31), 0));
    u64 changed = buffer_word_mismatches(buffer, MessageInfo::kMaxMessageLength, kSentinelSeed);
    t.expect(changed == 0, "{} of the root task's buffer words changed", changed);
    expect_status(t, "the thread's Send", g_thread.at(0), IpcStatus::Ok);

    // The other way: the root task sends 10 words (it has a buffer), the thread gets 4.
    fill_buffer_words(buffer, kLength, 0x32);
    user::IpcMessage sent = g_endpoint.send(pattern_message(0x32, kLength, 0x32));
    expect_status(t, "the root task's Send", sent, IpcStatus::Ok);
    expect_message(t, "the thread without a buffer received", g_thread.at(1),
                   as_received(pattern_message(0x32, 4, 0x32), 0));

    // A capability offered without a buffer (grant right, extra_caps 1) does not move.
    RootReceiveSlot receiving(t, receive_slot);
    got = g_endpoint.recv();
    expect_message(t, "the capability message", got, as_received(pattern_message(0x33, 1, 0x33), 0));
    t.expect(slot_is_empty(t, receive_slot), "a capability arrived from a thread without an IPC buffer");
    expect_status(t, "the thread's capability Send", g_thread.at(2), IpcStatus::Ok);
}
