// What a refused or empty IPC system call leaves in a1..a5: a refusal (InvalidCapability)
// or an NBSend that found nobody leaves them as they were; an NBRecv or Poll that found
// nothing delivers an empty message (a0 0, a1 0: no label, no words) and leaves a2..a5.
// The receive calls' register stubs do not pass a1..a5 in, so each call here goes through
// an ecall with every register a0..a7 set, and all of them are read back.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

struct Registers {
    u64 a[8];
};

Registers raw_ecall(const Registers& in) {
    register u64 a0 asm("a0") = in.a[0];
    register u64 a1 asm("a1") = in.a[1];
    register u64 a2 asm("a2") = in.a[2];
    register u64 a3 asm("a3") = in.a[3];
    register u64 a4 asm("a4") = in.a[4];
    register u64 a5 asm("a5") = in.a[5];
    register u64 a6 asm("a6") = in.a[6];
    register u64 a7 asm("a7") = in.a[7];
    asm volatile("ecall"
                 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5), "+r"(a6), "+r"(a7)
                 :
                 : "memory");
    return Registers{{a0, a1, a2, a3, a4, a5, a6, a7}};
}

constexpr u64 kSentinel = 0x5e57'0000;

enum class Info : bool { Kept, Emptied };

// Makes `call` with a0 `cap`, a6 `reply` and sentinels in a1..a5, and checks the status,
// a0, a1 (kept, or 0 for an empty message) and that a2..a5 kept their sentinels.
void expect_untouched(TestContext& t, kstd::StringView what, Syscall call, user::CPtr cap, user::CPtr reply,
                      IpcStatus status, u64 which, Info info = Info::Kept) {
    Registers in{{cap.value, kSentinel + 1, kSentinel + 2, kSentinel + 3, kSentinel + 4, kSentinel + 5, reply.value,
                  static_cast<u64>(call)}};
    Registers out = raw_ecall(in);
    t.expect(static_cast<IpcStatus>(out.a[6]) == status && out.a[0] == which, "{}: status {} a0 {} (expected {} a0 {})",
             what, static_cast<IpcStatus>(out.a[6]), out.a[0], status, which);
    u64 a1 = info == Info::Kept ? kSentinel + 1 : 0;
    t.expect(out.a[1] == a1, "{}: a1 is {} (expected {})", what, kstd::Hex{out.a[1]}, kstd::Hex{a1});
    for (unsigned i = 2; i <= 5; ++i)
        t.expect(out.a[i] == kSentinel + i, "{}: a{} is {} (it was {})", what, i, kstd::Hex{out.a[i]},
                 kstd::Hex{kSentinel + i});
}

} // namespace

ROOTTASK_TEST(IPC0028, "refusals leave a1..a5 as they were; NBRecv and Poll with nothing deliver an empty message") {
    user::Endpoint endpoint = REQUIRE_OK(t, new_endpoint(t));
    user::ReplyObject reply = REQUIRE_OK(t, new_reply_object(t));
    user::Notification notification = REQUIRE_OK(t, new_notification(t));
    user::CPtr write_only = REQUIRE_OK(t, mint(t, endpoint.cap(), kWriteOnly));
    const user::CPtr none{0};
    const auto invalid = IpcStatus::InvalidCapability;

    expect_untouched(t, "NBSend, nobody waiting", Syscall::NBSend, endpoint.cap(), none, IpcStatus::NothingPending, 0);
    expect_untouched(t, "NBRecv, nothing waiting", Syscall::NBRecv, endpoint.cap(), reply.cap(),
                     IpcStatus::NothingPending, 0, Info::Emptied);
    expect_untouched(t, "Poll, nothing pending", Syscall::Poll, notification.cap(), none, IpcStatus::NothingPending, 0,
                     Info::Emptied);
    expect_untouched(t, "Recv without read", Syscall::Recv, write_only, reply.cap(), invalid, 0);
    expect_untouched(t, "Recv with an Endpoint as Reply object", Syscall::Recv, endpoint.cap(), endpoint.cap(),
                     invalid, 1);
    expect_untouched(t, "ReplyRecv without a Reply object", Syscall::ReplyRecv, endpoint.cap(), none, invalid, 1);
    expect_untouched(t, "Wait on an Endpoint", Syscall::Wait, endpoint.cap(), none, invalid, 0);
    expect_untouched(t, "Signal on an Endpoint", Syscall::Signal, endpoint.cap(), none, invalid, 0);
    expect_untouched(t, "Reply through an Endpoint", Syscall::Reply, endpoint.cap(), none, invalid, 0);
}
