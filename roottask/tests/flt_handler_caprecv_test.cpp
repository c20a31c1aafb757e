// A Recv whose Reply-object pointer (a6) does not resolve, with a fault handler: a
// capability fault in the receive phase. The thread's CSpace is the root CNode with a
// guard of its own (0x5), so every lookup-failure word is the thread's CSpace's: the
// guard it holds and the guard's size. The handler answers with a valid, guarded pointer
// in a6; the Recv is made again, and a message sent afterwards arrives.
#include "fault_support.hpp"

using namespace tessera;
using namespace tessera::roottask::fault_tests;

extern "C" {
extern const char flt_h_caprecv_ecall[];
}

namespace {

constexpr u64 kBadge = 0xf111;
constexpr u64 kGuard = 0x5;
constexpr user::IpcMessage kMessage = pattern_message(0x111, 2, 0x111);

struct RecvOutcome {
    u64 endpoint;      // the endpoint's pointer in the thread's CSpace
    u64 reply_pointer; // what it names as its Reply object
    user::IpcMessage received;
    volatile bool done;
};
RecvOutcome g_recv;

[[gnu::noinline]] void receive(u64) {
    register u64 a0 asm("a0") = g_recv.endpoint;
    register u64 a1 asm("a1");
    register u64 a2 asm("a2");
    register u64 a3 asm("a3");
    register u64 a4 asm("a4");
    register u64 a5 asm("a5");
    register u64 a6 asm("a6") = g_recv.reply_pointer;
    register u64 a7 asm("a7") = static_cast<u64>(Syscall::Recv);
    asm volatile(".option push\n"
                 ".option norvc\n"
                 ".globl flt_h_caprecv_ecall\n"
                 "flt_h_caprecv_ecall:\n"
                 "  ecall\n"
                 ".option pop\n"
                 : "+r"(a0), "=r"(a1), "=r"(a2), "=r"(a3), "=r"(a4), "=r"(a5), "+r"(a6), "+r"(a7)
                 :
                 : "memory");
    g_recv.received = user::ipc_detail::message_from(a0, a1, a2, a3, a4, a5, a6);
    g_recv.done = true;
}

} // namespace

ROOTTASK_TEST(FLT0111, "a Recv with an unresolvable Reply pointer arrives as a receive-phase capability fault; a6 fixed, it receives") {
    g_recv = RecvOutcome{};
    const u64 radix = t.root().boot_info.raw().root_cnode_radix;
    const unsigned guard_bits = static_cast<unsigned>(64 - radix);
    auto guarded = [&](user::CPtr cap) { return (kGuard << radix) | cap.value; };

    FaultChannel channel = REQUIRE_OK(t, make_fault_channel(t, kBadge));
    user::Endpoint endpoint = REQUIRE_OK(t, new_endpoint(t));
    user::ReplyObject reply = REQUIRE_OK(t, new_reply_object(t));
    g_recv.endpoint = guarded(endpoint.cap());
    g_recv.reply_pointer = kUnresolvablePointer;
    user::Tcb receiver = REQUIRE_OK(t, make_stopped_thread(t, "fault-h-caprecv", receive, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, set_fault_handler(t, receiver, channel.handler_cap, user::cnode_guard_data(kGuard, guard_bits)));
    REQUIRE_OK(t, receiver.resume());
    t.expect(!g_recv.done, "the Recv with an unresolvable Reply pointer returned");

    const u64 ecall = reinterpret_cast<u64>(flt_h_caprecv_ecall);
    LookupFailure failure{LookupFailureType::GuardMismatch, 64, 0, kGuard, guard_bits};
    expect_fault(t, "the fault", take_fault(channel),
                 capability_fault(kBadge, ecall, kUnresolvablePointer, true, failure));

    IpcStatus answered = answer(channel, user::FaultAnswer().set_argument(6, guarded(reply.cap())));
    t.expect(answered == IpcStatus::Ok, "the handler's Reply: {}", answered);
    t.expect(!g_recv.done, "the retried Recv returned with nothing sent");
    expect_state(t, "receiving again", receiver, ThreadStatus::BlockedOnReceive);
    expect_status(t, "the root task's NBSend", endpoint.nb_send(kMessage), IpcStatus::Ok);
    t.expect(g_recv.done, "the retried Recv did not return");
    expect_message(t, "what the retried Recv received", g_recv.received, as_received(kMessage, 0));
    t.expect(take_fault(channel).status == IpcStatus::NothingPending, "a second fault arrived");
    stop(t, receiver);
}
