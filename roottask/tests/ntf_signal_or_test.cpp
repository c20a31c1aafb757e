// A notification collects signals: each Signal ORs its capability's badge into the word,
// Wait or Poll takes the whole word and leaves nothing pending. A badge-0 Signal still
// counts (Poll: Ok with 0, not NothingPending).
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

user::IpcMessage word(u64 value) {
    user::IpcMessage result;
    result.badge = value;
    return result;
}

} // namespace

ROOTTASK_TEST(NTF0001, "Signal ORs badges into the word; Wait and Poll take it all; a badge-0 Signal counts") {
    user::Notification notification = REQUIRE_OK(t, new_notification(t));
    user::Notification bits[4];
    const u64 badges[4] = {0x1, 0x4, 0x10, 0x6};
    for (u64 i = 0; i < 4; ++i)
        bits[i] = user::Notification(REQUIRE_OK(t, mint(t, notification.cap(), user::CapRights::all(), badges[i])));

    expect_status(t, "Poll on a fresh notification", notification.poll(), IpcStatus::NothingPending, 0);
    for (u64 i = 0; i < 3; ++i) expect_status(t, "Signal", status_result(bits[i].signal()), IpcStatus::Ok);
    expect_status(t, "Signal again", status_result(bits[1].signal()), IpcStatus::Ok);
    // Pending: Wait does not block.
    expect_message(t, "Wait after 0x1, 0x4, 0x10, 0x4", notification.wait(), word(0x15));
    expect_status(t, "Poll after the Wait", notification.poll(), IpcStatus::NothingPending, 0);

    expect_status(t, "Signal 0x4", status_result(bits[1].signal()), IpcStatus::Ok);
    expect_status(t, "Signal 0x6", status_result(bits[3].signal()), IpcStatus::Ok);
    expect_message(t, "Poll after 0x4, 0x6", notification.poll(), word(0x6));
    expect_status(t, "Poll again", notification.poll(), IpcStatus::NothingPending, 0);

    // The unbadged capability signals badge 0: pending all the same.
    expect_status(t, "Signal with badge 0", status_result(notification.signal()), IpcStatus::Ok);
    expect_message(t, "Poll after a badge-0 Signal", notification.poll(), word(0));
    expect_status(t, "Poll again", notification.poll(), IpcStatus::NothingPending, 0);
    expect_status(t, "Signal with badge 0", status_result(notification.signal()), IpcStatus::Ok);
    expect_status(t, "Signal 0x10", status_result(bits[2].signal()), IpcStatus::Ok);
    expect_message(t, "Wait after 0 and 0x10", notification.wait(), word(0x10));
}
