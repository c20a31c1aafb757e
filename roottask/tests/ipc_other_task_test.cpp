// IPC between address spaces and CSpaces: the root task calls the boot image's ipc-echo
// task (its own CNode and VSpace, roottask/tasks/ipc_echo/). Short Calls (the fastpath,
// with the address-space switch), 20 words through both IPC buffers, and a notification
// capability that moves into the task's CSpace, where the task signals it.
#include <bootimage/cpio.hpp>
#include <userlib/task_loader.hpp>

#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

constexpr u64 kClientBadge = 0x3c;
constexpr u64 kGiftBadge = 0x400;
constexpr u64 kLongLength = 20;

// What ipc-echo answers: the caller's badge as label, every word plus one.
user::IpcMessage echo_of(const user::IpcMessage& request) {
    user::IpcMessage answer(MessageInfo{kClientBadge, request.length(), 0, 0});
    for (u64 i = 0; i < kMessageRegisterCount; ++i) answer.words[i] = i < request.length() ? request.words[i] + 1 : 0;
    return answer;
}

} // namespace

ROOTTASK_TEST(IPC0023, "IPC with a task in its own address space: short and long Calls, a capability into its CSpace") {
    auto file = cpio_find(t.root().boot_info.boot_image(), "ipc-echo");
    t.expect(file.ok(), "the boot image has no ipc-echo");
    if (!file.ok()) return;
    user::Endpoint endpoint = REQUIRE_OK(t, new_endpoint(t));
    user::Endpoint client(REQUIRE_OK(t, mint(t, endpoint.cap(), kWriteGrant, kClientBadge)));
    user::ReplyObject reply = REQUIRE_OK(t, new_reply_object(t));
    user::Notification notification = REQUIRE_OK(t, new_notification(t));
    user::CPtr gift = REQUIRE_OK(t, mint(t, notification.cap(), user::CapRights::all(), kGiftBadge));

    // Below the root task, so it does not run before its Reply object is in place.
    user::GivenCap given[] = {{endpoint.cap(), user::CapRights::all()}};
    user::StarterResources starter = t.starter();
    user::TaskSpec spec{.name = "ipc-echo", .elf = file.value().data, .priority = kRoot - 1, .caps = given};
    user::StartedTask task = REQUIRE_OK(t, user::start_task(starter, spec));
    const u64 first_empty = user::slot_of(user::TaskSlot::FirstGiven) + 1;
    REQUIRE_OK(t, task.cnode.move(user::SlotPath{first_empty, user::kTaskCNodeRadix}, t.own_cnode(),
                                  user::SlotPath::at(reply.cap())));
    REQUIRE_OK(t, task.tcb.set_priority(kRoot + 1, root_tcb()));

    const u64 fastpath_before = user::debug_fastpath_count();
    for (u64 i = 0; i < 3; ++i) {
        user::IpcMessage request = pattern_message(0x1b0 + i, i + 2, i);
        expect_message(t, "a short Call", client.call(request), as_received(echo_of(request), 0));
    }
    const u64 fastpath_runs = user::debug_fastpath_count() - fastpath_before;
    // Each Call and each of the task's ReplyRecvs, as between threads of one space.
    const u64 expected_runs = fastpath_turned_off(t) ? 0 : 6;
    t.expect(fastpath_runs == expected_runs, "the fastpath ran {} times for 3 Calls (expected {})", fastpath_runs,
             expected_runs);

    IpcBuffer& buffer = *user::current_ipc_buffer();
    fill_buffer_words(buffer, kLongLength, 7);
    user::IpcMessage request = pattern_message(0x1b8, kLongLength, 7);
    expect_message(t, "a 20-word Call", client.call(request), as_received(echo_of(request), 0));
    u64 mismatches = 0;
    for (u64 i = kMessageRegisterCount; i < kLongLength; ++i)
        if (buffer.message[i] != pattern_word(7, i) + 1) ++mismatches;
    t.expect(mismatches == 0, "{} of the answer's words 4..19 are not the request's plus one", mismatches);

    buffer.caps_or_badges[0] = gift.value;
    request = pattern_message(0x1b9, 1, 9);
    request.info_word = MessageInfo{0x1b9, 1, 1, 0}.to_word();
    expect_message(t, "a Call with a capability", client.call(request), as_received(echo_of(request), 0));
    user::IpcMessage polled = notification.poll();
    t.expect(polled.status == IpcStatus::Ok && polled.badge == kGiftBadge,
             "the task's Signal through the capability it received: Poll {} word {}", polled.status,
             kstd::Hex{polled.badge});
}
