// Up to three extra capabilities, one receive slot: in order, a capability to the very
// endpoint the message travels through is unwrapped (its badge in caps_or_badges[i], bit i
// of caps_unwrapped), any other is transferred into the receive slot if that is still
// empty; the first that can be neither ends the list. A pointer that does not resolve
// stops every capability, not the message.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

constexpr u64 kSenderBadge = 0x5;
constexpr u64 kUntouched = 0xdead'beef;
constexpr u64 kUnresolvable = u64{1} << 63;

user::Endpoint g_endpoint;
user::CPtr g_slot;
ThreadResults g_received;
u64 g_badges[ThreadResults::kCapacity][MessageInfo::kMaxExtraCaps];

void receive_forever(u64) {
    IpcBuffer& buffer = *user::current_ipc_buffer();
    user::set_receive_slot(buffer, roottask::RootEnvironment::own_caps().cnode, user::SlotPath::at(g_slot));
    for (;;) {
        for (u64& badge : buffer.caps_or_badges) badge = kUntouched;
        user::IpcMessage got = g_endpoint.recv();
        u64 index = g_received.count;
        if (index < ThreadResults::kCapacity)
            for (u64 i = 0; i < MessageInfo::kMaxExtraCaps; ++i) g_badges[index][i] = buffer.caps_or_badges[i];
        g_received.add(got);
    }
}

struct Case {
    const char* what;
    user::CPtr caps[MessageInfo::kMaxExtraCaps];
    u64 count;
    u64 handled;        // extra_caps as received
    u64 unwrapped;      // caps_unwrapped as received
    u64 badges[MessageInfo::kMaxExtraCaps]; // the receiver's caps_or_badges afterwards
};

// Sends `c` through `through` and checks what the receiver got.
void run_case(TestContext& t, user::Endpoint through, const Case& c, u64 seed) {
    IpcBuffer& buffer = *user::current_ipc_buffer();
    user::set_extra_caps(buffer, kstd::Span<const user::CPtr>(c.caps, c.count));
    user::IpcMessage message = pattern_message(0xa0 + seed, 1, seed);
    message.info_word = MessageInfo{0xa0 + seed, 1, c.count, 0}.to_word();
    u64 index = g_received.count;
    expect_status(t, c.what, through.send(message), IpcStatus::Ok);
    user::IpcMessage expected = as_received(pattern_message(0xa0 + seed, 1, seed), kSenderBadge);
    expected.info_word = MessageInfo{0xa0 + seed, 1, c.handled, c.unwrapped}.to_word();
    expect_message(t, c.what, g_received.at(index), expected);
    if (index >= ThreadResults::kCapacity) return;
    for (u64 i = 0; i < MessageInfo::kMaxExtraCaps; ++i)
        t.expect(g_badges[index][i] == c.badges[i], "{}: caps_or_badges[{}] is {} (expected {})", c.what, i,
                 kstd::Hex{g_badges[index][i]}, kstd::Hex{c.badges[i]});
}

} // namespace

ROOTTASK_TEST(IPC0010, "three extra caps, one receive slot: unwrapping, one transfer, the list ends at the first misfit") {
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    g_slot = REQUIRE_OK(t, empty_slot(t));
    g_received.clear();
    user::Endpoint sender(REQUIRE_OK(t, mint(t, g_endpoint.cap(), user::CapRights::all(), kSenderBadge)));
    user::CPtr own[4];
    for (u64 i = 0; i < 4; ++i) own[i] = REQUIRE_OK(t, mint(t, g_endpoint.cap(), user::CapRights::all(), i == 3 ? 0 : 0x70 + i));
    user::Notification first = REQUIRE_OK(t, new_notification(t));
    user::Notification second = REQUIRE_OK(t, new_notification(t));
    user::CPtr first_badged = REQUIRE_OK(t, mint(t, first.cap(), user::CapRights::all(), 0x1f));
    user::Endpoint other = REQUIRE_OK(t, new_endpoint(t));
    user::ReplyObject reply = REQUIRE_OK(t, new_reply_object(t));
    user::Tcb receiver = REQUIRE_OK(t, make_stopped_thread(t, "ipc-transfer", receive_forever, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, receiver.resume());
    const u64 x = kUntouched;

    run_case(t, sender, Case{"own endpoint, notification, notification", {own[0], first_badged, second.cap()}, 3, 2,
                             0b001, {0x70, x, x}}, 1);
    t.expect(holds_working_notification(g_slot, 0x1f), "the transferred notification is not in the receive slot");
    REQUIRE_OK(t, delete_cap(t, g_slot));

    run_case(t, sender, Case{"notification, own endpoint, notification", {first_badged, own[1], second.cap()}, 3, 2,
                             0b010, {x, 0x71, x}}, 2);
    t.expect(holds_working_notification(g_slot, 0x1f), "the transferred notification is not in the receive slot");

    // The slot is still full: the notification cannot move and ends the list at once.
    run_case(t, sender, Case{"receive slot full", {second.cap(), own[0]}, 2, 0, 0, {x, x, x}}, 3);
    t.expect(holds_working_notification(g_slot, 0x1f), "the receive slot's capability changed");
    REQUIRE_OK(t, delete_cap(t, g_slot));

    run_case(t, sender, Case{"three own endpoints", {own[0], own[2], own[3]}, 3, 3, 0b111, {0x70, 0x72, 0}}, 4);
    t.expect(slot_is_empty(t, g_slot), "unwrapping filled the receive slot");

    // Another endpoint is transferred, not unwrapped; a Reply object cannot be copied.
    run_case(t, sender, Case{"another endpoint", {other.cap()}, 1, 1, 0, {x, x, x}}, 5);
    user::IpcMessage probe = user::Endpoint(g_slot).nb_recv();
    t.expect(probe.status == IpcStatus::NothingPending, "the transferred endpoint capability: NBRecv {}", probe.status);
    REQUIRE_OK(t, delete_cap(t, g_slot));
    run_case(t, sender, Case{"a Reply object", {reply.cap(), own[0]}, 2, 0, 0, {x, x, x}}, 6);
    t.expect(slot_is_empty(t, g_slot), "a Reply capability was transferred");

    // A pointer that does not resolve: nothing moves, the message does.
    run_case(t, sender, Case{"an unresolvable pointer", {own[0], user::CPtr{kUnresolvable}}, 2, 0, 0, {x, x, x}}, 7);
}
