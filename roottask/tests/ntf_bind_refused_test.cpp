// TCB.BindNotification and UnbindNotification refusals with their exact errors: a thread
// or notification already bound, a notification with waiters (IllegalOperation), a
// capability without read or of another type (InvalidCapability 1), unbinding an unbound
// thread (IllegalOperation). After an unbind both sides may bind again.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

user::Notification g_waited;

void wait_forever(u64) {
    for (;;) (void)g_waited.wait();
}

void idle(u64) {}

user::Error invalid_capability(u64 which) {
    user::Error e = user::Error::of(ErrorCode::InvalidCapability);
    e.argument = which;
    return e;
}

} // namespace

ROOTTASK_TEST(NTF0005, "BindNotification / UnbindNotification refusals: already bound, waiters, rights, type, unbound") {
    user::Notification first = REQUIRE_OK(t, new_notification(t));
    user::Notification second = REQUIRE_OK(t, new_notification(t));
    g_waited = REQUIRE_OK(t, new_notification(t));
    user::Notification write_only(REQUIRE_OK(t, mint(t, second.cap(), kWriteOnly)));
    user::Endpoint endpoint = REQUIRE_OK(t, new_endpoint(t));
    user::Tcb one = REQUIRE_OK(t, make_stopped_thread(t, "ntf-bind-one", idle, 0, kRoot + 1)).tcb;
    user::Tcb two = REQUIRE_OK(t, make_stopped_thread(t, "ntf-bind-two", idle, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, start_resumed(t, "ntf-waiter", wait_forever, 0, kRoot + 1));
    const user::Error illegal = kernel_error(ErrorCode::IllegalOperation);

    REQUIRE_OK(t, one.bind_notification(first));
    auto thread_bound = one.bind_notification(second);
    t.expect(failed_with(thread_bound, illegal), "binding a bound thread: {}", outcome(thread_bound));
    auto notification_bound = two.bind_notification(first);
    t.expect(failed_with(notification_bound, illegal), "binding a bound notification: {}", outcome(notification_bound));
    auto with_waiters = two.bind_notification(g_waited);
    t.expect(failed_with(with_waiters, illegal), "binding a notification with a waiter: {}", outcome(with_waiters));
    auto no_read = two.bind_notification(write_only);
    t.expect(failed_with(no_read, invalid_capability(1)), "binding without read: {}", outcome(no_read));
    auto not_a_notification = two.bind_notification(user::Notification(endpoint.cap()));
    t.expect(failed_with(not_a_notification, invalid_capability(1)), "binding an endpoint: {}",
             outcome(not_a_notification));
    auto unbound = two.unbind_notification();
    t.expect(failed_with(unbound, illegal), "unbinding an unbound thread: {}", outcome(unbound));

    // The refusals changed nothing: two is still free, one still bound to first.
    REQUIRE_OK(t, two.bind_notification(second));
    REQUIRE_OK(t, one.unbind_notification());
    REQUIRE_OK(t, two.unbind_notification());
    REQUIRE_OK(t, two.bind_notification(first));
    REQUIRE_OK(t, one.bind_notification(second));
}
