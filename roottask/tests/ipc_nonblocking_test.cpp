// Send waits until a receiver takes the message; NBSend delivers only to a receiver already
// waiting and otherwise drops the message (NothingPending); NBRecv takes a waiting sender's
// message or returns NothingPending with a0 0.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

user::Endpoint g_endpoint;
ThreadResults g_sender;
ThreadResults g_receiver;

void send_once(u64) { g_sender.add(g_endpoint.send(pattern_message(0x51, 3, 0x51))); }
void receive_once(u64) { g_receiver.add(g_endpoint.recv()); }

} // namespace

ROOTTASK_TEST(IPC0005, "Send blocks until received; NBSend drops without a receiver; NBRecv never blocks") {
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    g_sender.clear();
    g_receiver.clear();

    // Nothing waits: NBRecv finds nothing, NBSend drops its message.
    expect_status(t, "NBRecv on an idle endpoint", g_endpoint.nb_recv(), IpcStatus::NothingPending);
    expect_status(t, "NBSend with nobody receiving", g_endpoint.nb_send(pattern_message(0x50, 2, 0x50)),
                  IpcStatus::NothingPending);
    expect_status(t, "NBRecv after the dropped NBSend", g_endpoint.nb_recv(), IpcStatus::NothingPending);

    // Send waits, however long the receiver takes.
    user::Tcb sender = REQUIRE_OK(t, make_stopped_thread(t, "ipc-sender", send_once, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, sender.resume());
    for (int i = 0; i < 10; ++i) user::yield();
    t.expect(g_sender.count == 0, "Send returned with nobody receiving: {}", g_sender.at(0));
    user::IpcMessage got = g_endpoint.nb_recv();
    expect_message(t, "NBRecv with a sender waiting", got, as_received(pattern_message(0x51, 3, 0x51), 0));
    expect_status(t, "the blocked Send, once received", g_sender.at(0), IpcStatus::Ok);
    expect_status(t, "NBRecv after that", g_endpoint.nb_recv(), IpcStatus::NothingPending);

    // NBSend to a waiting receiver delivers.
    user::Tcb receiver = REQUIRE_OK(t, make_stopped_thread(t, "ipc-receiver", receive_once, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, receiver.resume());
    t.expect(g_receiver.count == 0, "Recv returned with nobody sending: {}", g_receiver.at(0));
    expect_status(t, "NBSend to a waiting receiver", g_endpoint.nb_send(pattern_message(0x52, 4, 0x52)),
                  IpcStatus::Ok);
    expect_message(t, "the receiver got", g_receiver.at(0), as_received(pattern_message(0x52, 4, 0x52), 0));
}
