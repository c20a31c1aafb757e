#pragma once
// What the IPC and notification tests (ipc_*, ntf_*_test.cpp) share: the IPC objects of a
// test, badged and rights-reduced copies, a record of what test threads' system calls
// returned, and exact comparison of messages. Threads come from sch_support.hpp: made
// stopped, so the test decides when each runs; the root task runs at kRoot, a thread at
// kRoot + 1 runs (and blocks) as soon as it is resumed or woken.
#include <userlib/ipc.hpp>

#include "sch_support.hpp"

namespace tessera::roottask::ipc_tests {

using roottask::TestContext;
using sched_tests::EventLog;
using sched_tests::failed_with;
using sched_tests::kernel_error;
using sched_tests::kYieldLimit;
using sched_tests::make_stopped_thread;
using sched_tests::outcome;
using sched_tests::root_tcb;

inline constexpr u64 kRoot = roottask::kRootRunPriority;

// A thread as make_stopped_thread makes it, then resumed: above the root task it runs at
// once, until it blocks or ends.
user::Result<user::Tcb> start_resumed(TestContext& t, kstd::StringView name, user::ThreadEntry entry, u64 argument,
                                      u64 priority);

// Whether the kernel was booted with `fastpath=off` (/chosen/bootargs).
bool fastpath_turned_off(TestContext& t);

// ---- Objects and capabilities ----

user::Result<user::Endpoint> new_endpoint(TestContext& t);
user::Result<user::Notification> new_notification(TestContext& t);
user::Result<user::ReplyObject> new_reply_object(TestContext& t);
// A copy of `original` in a new slot of the test, with `rights` and `badge` (CNode.Mint).
user::Result<user::CPtr> mint(TestContext& t, user::CPtr original, user::CapRights rights, u64 badge = 0);
// A new empty slot of the test (for capabilities that arrive in messages).
user::Result<user::CPtr> empty_slot(TestContext& t);
// Deletes the capability at `cap` in the root task's CNode.
user::Result<void> delete_cap(TestContext& t, user::CPtr cap);
// Whether the slot at `cap` holds a Notification capability that can signal and poll
// (Signal then Poll through it: Ok twice, and the word its badge).
bool holds_working_notification(user::CPtr cap, u64 badge);
// Whether the slot at `cap` is empty: CNode.Copy from it fails as a missing capability
// (whatever type a capability there had, the copy would tell).
bool slot_is_empty(TestContext& t, user::CPtr cap);

inline constexpr user::CapRights kReadOnly{user::CapRights::kRead};
inline constexpr user::CapRights kWriteOnly{user::CapRights::kWrite};
inline constexpr user::CapRights kReadWrite{user::CapRights::kRead | user::CapRights::kWrite};
inline constexpr user::CapRights kWriteGrantReply{user::CapRights::kWrite | user::CapRights::kGrantReply};
inline constexpr user::CapRights kWriteGrant{user::CapRights::kWrite | user::CapRights::kGrant};

// Names a slot of the root task's CNode as where a capability that arrives in the root
// task's messages goes, for as long as it lives (then none again, so no later test
// receives into a slot it did not name).
class RootReceiveSlot {
public:
    RootReceiveSlot(TestContext& t, user::CPtr slot) {
        user::set_receive_slot(*user::current_ipc_buffer(), t.own_cnode(), user::SlotPath::at(slot));
    }
    ~RootReceiveSlot() { user::set_receive_slot(*user::current_ipc_buffer(), user::CNode(), user::SlotPath{0, 0}); }
    RootReceiveSlot(const RootReceiveSlot&) = delete;
    RootReceiveSlot& operator=(const RootReceiveSlot&) = delete;
};

// ---- Messages ----

// A recognisable word: message `seed`, word `index`.
constexpr u64 pattern_word(u64 seed, u64 index) { return (seed << 32) | (index + 1); }

// A message of `label` and `length` words, words 0..3 from pattern_word(seed, i).
// What a Recv ended by the bound notification delivers: the word, status Signalled.
inline user::IpcMessage signalled(u64 word) {
    user::IpcMessage result;
    result.badge = word;
    result.status = IpcStatus::Signalled;
    return result;
}

constexpr user::IpcMessage pattern_message(u64 label, u64 length, u64 seed) {
    user::IpcMessage message(MessageInfo{label, length, 0, 0});
    for (u64 i = 0; i < kMessageRegisterCount; ++i) message.words[i] = i < length ? pattern_word(seed, i) : 0;
    return message;
}

// What a receiver gets for `sent` with `badge`: the same label, length and words.
constexpr user::IpcMessage as_received(const user::IpcMessage& sent, u64 badge) {
    user::IpcMessage received = sent;
    received.badge = badge;
    received.status = IpcStatus::Ok;
    return received;
}

// The result of a call that returns only a status (Reply, Signal).
constexpr user::IpcMessage status_result(IpcStatus status) {
    user::IpcMessage result;
    result.status = status;
    return result;
}

// Whether `got` is exactly `expected`: status, badge, info word, and the words the info
// says arrived (at most four). Notes the difference under `what`.
bool expect_message(TestContext& t, kstd::StringView what, const user::IpcMessage& got,
                    const user::IpcMessage& expected);
// Whether `got` ended with `status` and a0 `badge` (for results that carry no message).
bool expect_status(TestContext& t, kstd::StringView what, const user::IpcMessage& got, IpcStatus status,
                   u64 badge = 0);

// Fills words 4..length-1 of `buffer` with pattern_word(seed, i).
void fill_buffer_words(IpcBuffer& buffer, u64 length, u64 seed);
// How many of words 4..length-1 of `buffer` differ from pattern_word(seed, i).
u64 buffer_word_mismatches(const IpcBuffer& buffer, u64 length, u64 seed);

// ---- What test threads saw ----

// The results of one thread's IPC system calls, in order, for the root task to check.
struct ThreadResults {
    static constexpr u64 kCapacity = 8;
    user::IpcMessage results[kCapacity];
    volatile u64 count;

    void clear() {
        count = 0;
        for (auto& result : results) result = user::IpcMessage();
    }
    void add(const user::IpcMessage& result) {
        u64 at = count;
        if (at >= kCapacity) return;
        results[at] = result;
        count = at + 1;
    }
    // The i-th result, or an empty one with status 0xff when there is none yet.
    user::IpcMessage at(u64 index) const {
        if (index >= count) {
            user::IpcMessage missing;
            missing.status = static_cast<IpcStatus>(0xff);
            return missing;
        }
        return results[index];
    }
};

} // namespace tessera::roottask::ipc_tests
