// A Send on a pointer that does not resolve, with a fault handler: a capability fault with
// the ecall's pc, the pointer, the send phase, and the lookup failure whole (GuardMismatch,
// 64 bits left, the root CNode's guard and its size). The handler answers with a valid
// endpoint in a0; the thread makes the same Send again, and its message (label, words)
// arrives there as first written.
#include "fault_support.hpp"

using namespace tessera;
using namespace tessera::roottask::fault_tests;

extern "C" {
extern const char flt_h_capsend_ecall[];
}

namespace {

constexpr u64 kBadge = 0xf110;
constexpr user::IpcMessage kMessage = pattern_message(0x110, 2, 0x110);

struct SendOutcome {
    volatile u64 status;
    volatile bool done;
};
SendOutcome g_send;

[[gnu::noinline]] void send_on(u64 pointer) {
    register u64 a0 asm("a0") = pointer;
    register u64 a1 asm("a1") = kMessage.info_word;
    register u64 a2 asm("a2") = kMessage.words[0];
    register u64 a3 asm("a3") = kMessage.words[1];
    register u64 a6 asm("a6") = 0;
    register u64 a7 asm("a7") = static_cast<u64>(Syscall::Send);
    asm volatile(".option push\n"
                 ".option norvc\n"
                 ".globl flt_h_capsend_ecall\n"
                 "flt_h_capsend_ecall:\n"
                 "  ecall\n"
                 ".option pop\n"
                 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a6), "+r"(a7)
                 :
                 : "a4", "a5", "memory");
    g_send.status = a6;
    g_send.done = true;
}

} // namespace

ROOTTASK_TEST(FLT0110, "a Send on an unresolvable pointer arrives as a capability fault (pc, pointer, send phase, lookup failure); a0 fixed, it sends") {
    g_send.status = 0xff;
    g_send.done = false;
    FaultChannel channel = REQUIRE_OK(t, make_fault_channel(t, kBadge));
    user::Endpoint target = REQUIRE_OK(t, new_endpoint(t));
    user::Tcb sender = REQUIRE_OK(
        t, make_handled_thread(t, "fault-h-capsend", send_on, kUnresolvablePointer, kRoot + 1, channel.handler_cap));
    REQUIRE_OK(t, sender.resume());
    t.expect(!g_send.done, "the Send on an unresolvable pointer returned");

    // The root CNode resolves all 64 bits in one level: its guard is zero, 64 - radix bits.
    const u64 radix = t.root().boot_info.raw().root_cnode_radix;
    LookupFailure failure{LookupFailureType::GuardMismatch, 64, 0, 0, 64 - radix};
    const u64 ecall = reinterpret_cast<u64>(flt_h_capsend_ecall);
    expect_fault(t, "the fault", take_fault(channel),
                 capability_fault(kBadge, ecall, kUnresolvablePointer, false, failure));
    expect_pc(t, "with its fault received", sender, ecall);

    IpcStatus answered = answer(channel, user::FaultAnswer().set_argument(0, target.cap().value));
    t.expect(answered == IpcStatus::Ok, "the handler's Reply: {}", answered);
    // The Send was made again, on the endpoint now in a0: it waits for a receiver.
    t.expect(!g_send.done, "the retried Send returned with nobody receiving");
    expect_state(t, "sending again", sender, ThreadStatus::BlockedOnSend);
    expect_message(t, "what the retried Send delivered", target.nb_recv(),
                              as_received(kMessage, 0));
    t.expect(g_send.done && g_send.status == static_cast<u64>(IpcStatus::Ok),
             "the retried Send did not return Ok (returned: {}, status {})", g_send.done, g_send.status);
    t.expect(take_fault(channel).status == IpcStatus::NothingPending, "a second fault arrived");
    stop(t, sender);
}
