// Signal needs the write right, Wait and Poll the read right: otherwise InvalidCapability
// (a0 0), and the notification is unchanged.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

ROOTTASK_TEST(NTF0003, "Signal needs write, Wait and Poll need read; refusals change nothing") {
    user::Notification notification = REQUIRE_OK(t, new_notification(t));
    user::Notification read_only(REQUIRE_OK(t, mint(t, notification.cap(), kReadOnly, 0x1)));
    user::Notification write_only(REQUIRE_OK(t, mint(t, notification.cap(), kWriteOnly, 0x2)));
    const auto refused = IpcStatus::InvalidCapability;

    expect_status(t, "Signal without write", status_result(read_only.signal()), refused);
    expect_status(t, "Poll after the refused Signal", notification.poll(), IpcStatus::NothingPending);
    expect_status(t, "Signal with write only", status_result(write_only.signal()), IpcStatus::Ok);
    expect_status(t, "Wait without read", write_only.wait(), refused, 0);
    expect_status(t, "Poll without read", write_only.poll(), refused, 0);
    user::IpcMessage polled = read_only.poll();
    t.expect(polled.status == IpcStatus::Ok && polled.badge == 0x2, "Poll with read only: {} word {}", polled.status,
             kstd::Hex{polled.badge});
}
