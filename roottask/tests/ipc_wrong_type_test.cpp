// A capability of the wrong type (or an empty slot) in a0 or a6 is refused with
// InvalidCapability, a0 saying which register named it (0: a0, 1: a6); a refused ReplyRecv
// answers nobody. A kernel-object Call reports its status in a6 as well: Ok, or
// InvalidCapability for an empty slot.
#include <userlib/syscalls.hpp>

#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

user::Endpoint g_endpoint;
ThreadResults g_caller;

void call_once(u64) { g_caller.add(g_endpoint.call(pattern_message(0x71, 1, 0x71))); }

user::CallRegisters frame_get_address(user::CPtr cap) {
    user::CallRegisters in;
    in.a[0] = cap.value;
    in.a[1] = MessageInfo{static_cast<u64>(InvocationLabel::FrameGetAddress), 0, 0, 0}.to_word();
    return user::syscall_call(in);
}

} // namespace

ROOTTASK_TEST(IPC0007, "wrong capability types and empty slots: InvalidCapability naming a0 (0) or a6 (1)") {
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    user::ReplyObject reply = REQUIRE_OK(t, new_reply_object(t));
    user::Notification notification = REQUIRE_OK(t, new_notification(t));
    user::CPtr empty = REQUIRE_OK(t, empty_slot(t));
    const user::IpcMessage message = pattern_message(0x70, 1, 0x70);
    const auto refused = IpcStatus::InvalidCapability;

    expect_status(t, "Send on a Notification", user::Endpoint(notification.cap()).send(message), refused, 0);
    expect_status(t, "NBSend on an empty slot", user::Endpoint(empty).nb_send(message), refused, 0);
    expect_status(t, "Recv on a Notification", user::Endpoint(notification.cap()).nb_recv(reply), refused, 0);
    expect_status(t, "Recv naming an Endpoint as Reply object", g_endpoint.recv(user::ReplyObject(g_endpoint.cap())),
                  refused, 1);
    expect_status(t, "NBRecv naming an empty slot as Reply object", g_endpoint.nb_recv(user::ReplyObject(empty)),
                  refused, 1);
    expect_status(t, "Reply through an Endpoint", status_result(user::ReplyObject(g_endpoint.cap()).reply(message)),
                  refused);
    expect_status(t, "Signal on an Endpoint", status_result(user::Notification(g_endpoint.cap()).signal()), refused);
    expect_status(t, "Wait on an Endpoint", user::Notification(g_endpoint.cap()).wait(), refused, 0);
    expect_status(t, "Poll on a Reply object", user::Notification(reply.cap()).poll(), refused, 0);

    // ReplyRecv: both capabilities are checked before the answer goes.
    g_caller.clear();
    user::Tcb caller = REQUIRE_OK(t, make_stopped_thread(t, "ipc-wrong-type", call_once, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, caller.resume());
    expect_message(t, "the Call", g_endpoint.recv(reply), as_received(pattern_message(0x71, 1, 0x71), 0));
    expect_status(t, "ReplyRecv without a Reply object", g_endpoint.reply_recv(user::ReplyObject(), message), refused, 1);
    expect_status(t, "ReplyRecv with a Notification as Reply object",
                  g_endpoint.reply_recv(user::ReplyObject(notification.cap()), message), refused, 1);
    expect_status(t, "ReplyRecv on a Notification", user::Endpoint(notification.cap()).reply_recv(reply, message),
                  refused, 0);
    t.expect(g_caller.count == 0, "a refused ReplyRecv answered the caller: {}", g_caller.at(0));
    expect_status(t, "the Reply after the refusals", status_result(reply.reply(message)), IpcStatus::Ok);
    expect_message(t, "the caller's answer", g_caller.at(0), as_received(message, 0));

    // Kernel-object Calls say Ok in a6, or InvalidCapability when a0 is an empty slot.
    user::Frame frame;
    REQUIRE_OK(t, t.new_mapped_page(&frame));
    user::CallRegisters answered = frame_get_address(frame.cap());
    t.expect(answered.status == IpcStatus::Ok && MessageInfo::from_word(answered.a[1]).label == 0,
             "Frame.GetAddress: status {}, label {}", answered.status, MessageInfo::from_word(answered.a[1]).label);
    user::CallRegisters nothing = frame_get_address(empty);
    t.expect(nothing.status == IpcStatus::InvalidCapability &&
                 MessageInfo::from_word(nothing.a[1]).label == static_cast<u64>(ErrorCode::InvalidCapability),
             "a Call on an empty slot: status {}, label {}", nothing.status, MessageInfo::from_word(nothing.a[1]).label);
}
