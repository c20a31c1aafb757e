#include <userlib/device_tree.hpp>

#include "ipc_support.hpp"

namespace tessera::roottask::ipc_tests {

user::Result<user::Tcb> start_resumed(TestContext& t, kstd::StringView name, user::ThreadEntry entry, u64 argument,
                                      u64 priority) {
    user::Tcb thread = TRY(make_stopped_thread(t, name, entry, argument, priority)).tcb;
    TRY(thread.resume());
    return thread;
}

bool fastpath_turned_off(TestContext& t) {
    auto tree = user::DeviceTree::from(t.root().boot_info.device_tree());
    return tree.ok() && user::has_boot_option(tree.value().bootargs(), "fastpath=off");
}

user::Result<user::Endpoint> new_endpoint(TestContext& t) {
    return user::Endpoint(TRY(t.objects().allocate(ObjectType::Endpoint)));
}

user::Result<user::Notification> new_notification(TestContext& t) {
    return user::Notification(TRY(t.objects().allocate(ObjectType::Notification)));
}

user::Result<user::ReplyObject> new_reply_object(TestContext& t) {
    return user::ReplyObject(TRY(t.objects().allocate(ObjectType::Reply)));
}

user::Result<user::CPtr> mint(TestContext& t, user::CPtr original, user::CapRights rights, u64 badge) {
    user::CPtr copy = TRY(t.objects().slots().allocate());
    TRY(t.own_cnode().mint(user::SlotPath::at(copy), t.own_cnode(), user::SlotPath::at(original), rights, badge));
    return copy;
}

user::Result<user::CPtr> empty_slot(TestContext& t) { return t.objects().slots().allocate(); }

user::Result<void> delete_cap(TestContext& t, user::CPtr cap) { return t.own_cnode().delete_(user::SlotPath::at(cap)); }

bool holds_working_notification(user::CPtr cap, u64 badge) {
    user::Notification notification(cap);
    if (notification.signal() != IpcStatus::Ok) return false;
    user::IpcMessage polled = notification.poll();
    return polled.status == IpcStatus::Ok && polled.badge == badge;
}

bool slot_is_empty(TestContext& t, user::CPtr cap) {
    auto scratch = t.objects().slots().allocate();
    if (!scratch) return false;
    auto copied = t.own_cnode().copy(user::SlotPath::at(scratch.value()), t.own_cnode(), user::SlotPath::at(cap),
                                     user::CapRights::all());
    if (copied.ok()) (void)t.own_cnode().delete_(user::SlotPath::at(scratch.value()));
    t.objects().slots().free(scratch.value());
    return !copied.ok() && copied.error().code == ErrorCode::FailedLookup && copied.error().lookup_was_source &&
           copied.error().lookup.type == LookupFailureType::MissingCapability;
}

bool expect_message(TestContext& t, kstd::StringView what, const user::IpcMessage& got,
                    const user::IpcMessage& expected) {
    bool same = got.status == expected.status && got.badge == expected.badge && got.info_word == expected.info_word;
    u64 words = kstd::min<u64>(expected.length(), kMessageRegisterCount);
    for (u64 i = 0; i < words; ++i) same = same && got.words[i] == expected.words[i];
    if (!same) {
        t.note("{}: got      {}", what, got);
        t.note("{}: expected {}", what, expected);
        t.expect(false, "{}: the message differs", what);
    }
    return same;
}

bool expect_status(TestContext& t, kstd::StringView what, const user::IpcMessage& got, IpcStatus status, u64 badge) {
    bool same = got.status == status && got.badge == badge;
    t.expect(same, "{}: status {} a0 {} (expected {} a0 {})", what, got.status, kstd::Hex{got.badge}, status,
             kstd::Hex{badge});
    return same;
}

void fill_buffer_words(IpcBuffer& buffer, u64 length, u64 seed) {
    for (u64 i = kMessageRegisterCount; i < length && i < MessageInfo::kMaxMessageLength; ++i)
        buffer.message[i] = pattern_word(seed, i);
}

u64 buffer_word_mismatches(const IpcBuffer& buffer, u64 length, u64 seed) {
    u64 mismatches = 0;
    for (u64 i = kMessageRegisterCount; i < length && i < MessageInfo::kMaxMessageLength; ++i)
        if (buffer.message[i] != pattern_word(seed, i)) ++mismatches;
    return mismatches;
}

} // namespace tessera::roottask::ipc_tests
