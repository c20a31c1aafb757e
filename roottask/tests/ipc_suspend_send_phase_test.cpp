// A caller suspended while still queued to send leaves the queue with its registers as
// they were at the ecall; resumed, it makes the whole Call again, which then completes
// normally and returns once.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

constexpr u64 kBadge = 0x17;
constexpr user::IpcMessage kRequest = pattern_message(0x120, 4, 0x12);

user::CPtr g_client_cap;
ThreadResults g_caller;

void call_once(u64) { g_caller.add(user::Endpoint(g_client_cap).call(kRequest)); }

constexpr unsigned kA0 = 10;
constexpr unsigned kA1 = 11;
constexpr unsigned kA2 = 12;
constexpr unsigned kA5 = 15;
constexpr unsigned kA7 = 17;

} // namespace

ROOTTASK_TEST(IPC0017, "a caller suspended in the send phase leaves the queue and redoes the whole Call on Resume") {
    user::Endpoint endpoint = REQUIRE_OK(t, new_endpoint(t));
    user::ReplyObject reply = REQUIRE_OK(t, new_reply_object(t));
    g_client_cap = REQUIRE_OK(t, mint(t, endpoint.cap(), user::CapRights::all(), kBadge));
    g_caller.clear();
    user::Tcb caller = REQUIRE_OK(t, make_stopped_thread(t, "ipc-susp-send", call_once, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, caller.resume());
    REQUIRE_OK(t, caller.suspend());

    // Out of the queue, its Call's registers intact for the retry.
    expect_status(t, "NBRecv after the Suspend", endpoint.nb_recv(reply), IpcStatus::NothingPending);
    arch::UserContext registers = REQUIRE_OK(t, caller.read_registers());
    bool intact = registers.reg(kA0) == g_client_cap.value && registers.reg(kA1) == kRequest.info_word &&
                  registers.reg(kA7) == static_cast<u64>(Syscall::Call);
    for (unsigned i = kA2; i <= kA5; ++i) intact = intact && registers.reg(i) == kRequest.words[i - kA2];
    t.expect(intact, "the suspended caller's registers: a0 {} a1 {} a2 {} a7 {}", kstd::Hex{registers.reg(kA0)},
             kstd::Hex{registers.reg(kA1)}, kstd::Hex{registers.reg(kA2)}, registers.reg(kA7));
    t.expect(g_caller.count == 0, "the suspended Call returned: {}", g_caller.at(0));

    // Resumed, it calls again (and waits in the queue: nobody receives yet).
    REQUIRE_OK(t, caller.resume());
    t.expect(g_caller.count == 0, "the resumed Call returned with nobody receiving: {}", g_caller.at(0));
    expect_message(t, "the Call, made again", endpoint.recv(reply), as_received(kRequest, kBadge));
    expect_status(t, "the Reply", status_result(reply.reply(pattern_message(0x121, 2, 0x12))), IpcStatus::Ok);
    expect_message(t, "the caller's answer", g_caller.at(0), as_received(pattern_message(0x121, 2, 0x12), 0));
    t.expect(g_caller.count == 1, "the Call returned {} times", g_caller.count);
    expect_status(t, "NBRecv at the end", endpoint.nb_recv(reply), IpcStatus::NothingPending);
}
