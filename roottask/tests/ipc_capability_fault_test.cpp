// An IPC capability pointer that does not resolve at all (a0 of a Send, a6 of a Recv) is a
// capability fault, not a status: the kernel logs it (the Recv's in its receive phase) and
// suspends the thread at its ecall, so that once its registers name real capabilities a
// Resume makes the same system call, which then works.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

constexpr u64 kUnresolvable = u64{1} << 63; // fails the root CNode's zero guard
constexpr unsigned kA0 = 10;
constexpr unsigned kA6 = 16;

user::Endpoint g_endpoint;
user::ReplyObject g_reply;
ThreadResults g_sender;
ThreadResults g_receiver;

void send_unresolvable(u64) {
    g_sender.add(user::Endpoint(user::CPtr{kUnresolvable}).send(pattern_message(0x180, 2, 1)));
}

// Once its a6 is fixed, answers through the Reply object it names now.
void receive_with_unresolvable_reply(u64) {
    g_receiver.add(g_endpoint.recv(user::ReplyObject(user::CPtr{kUnresolvable})));
    (void)g_reply.reply(pattern_message(0x183, 1, 3));
}

} // namespace

ROOTTASK_TEST(IPC0022, "an unresolvable pointer in a0 or a6 is a capability fault: suspended at the ecall, retried") {
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    g_reply = REQUIRE_OK(t, new_reply_object(t));
    g_sender.clear();
    g_receiver.clear();

    user::Tcb sender = REQUIRE_OK(t, make_stopped_thread(t, "fault-ipc-send", send_unresolvable, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, sender.resume());
    t.expect(g_sender.count == 0, "the faulting Send returned: {}", g_sender.at(0));
    arch::UserContext registers = REQUIRE_OK(t, sender.read_registers());
    t.expect(registers.reg(kA0) == kUnresolvable, "the faulted sender's a0 is {}", kstd::Hex{registers.reg(kA0)});
    registers.reg(kA0) = g_endpoint.cap().value;
    REQUIRE_OK(t, sender.write_registers(registers, true));
    t.expect(g_sender.count == 0, "the retried Send returned with nobody receiving: {}", g_sender.at(0));
    expect_message(t, "the retried Send", g_endpoint.nb_recv(), as_received(pattern_message(0x180, 2, 1), 0));
    expect_status(t, "the sender's Send", g_sender.at(0), IpcStatus::Ok);

    user::Tcb receiver =
        REQUIRE_OK(t, make_stopped_thread(t, "fault-ipc-recv", receive_with_unresolvable_reply, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, receiver.resume());
    t.expect(g_receiver.count == 0, "the faulting Recv returned: {}", g_receiver.at(0));
    expect_status(t, "NBSend while the receiver is suspended", g_endpoint.nb_send(pattern_message(0x181, 1, 1)),
                  IpcStatus::NothingPending);
    registers = REQUIRE_OK(t, receiver.read_registers());
    t.expect(registers.reg(kA6) == kUnresolvable, "the faulted receiver's a6 is {}", kstd::Hex{registers.reg(kA6)});
    registers.reg(kA6) = g_reply.cap().value;
    REQUIRE_OK(t, receiver.write_registers(registers, true));
    t.expect(g_receiver.count == 0, "the retried Recv returned with nobody sending: {}", g_receiver.at(0));
    user::IpcMessage answer = g_endpoint.call(pattern_message(0x182, 1, 2));
    expect_message(t, "the retried Recv got the Call", g_receiver.at(0), as_received(pattern_message(0x182, 1, 2), 0));
    expect_message(t, "its answer", answer, as_received(pattern_message(0x183, 1, 3), 0));
}
