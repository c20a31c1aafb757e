#include <userlib/message.hpp>

#include "fake_kernel.hpp"

namespace userlib_test {

namespace {
HostKernel* g_current = nullptr;
}

HostKernel::HostKernel(unsigned arena_bits) : kernel_(arena_bits) {
    REQUIRE(g_current == nullptr);
    g_current = this;
}

HostKernel::~HostKernel() { g_current = nullptr; }

HostKernel& current_host_kernel() {
    REQUIRE(g_current != nullptr);
    return *g_current;
}

} // namespace userlib_test

namespace tessera::user {

// As kernel/sched/invocation_syscall.cpp does it, with registers in an array.
Result<void> invoke(CPtr target, const Request& request, Reply& reply) {
    userlib_test::HostKernel& host = userlib_test::current_host_kernel();
    host.count_call();
    IpcBuffer& buffer = host.ipc_buffer();
    CallRegisters in = TRY(marshal_call(target, request, &buffer));

    MessageInfo info = MessageInfo::from_word(in.a[1]);
    u64 words[MessageInfo::kMaxMessageLength] = {};
    for (u64 i = 0; i < info.length; ++i) words[i] = i < kMessageRegisterCount ? in.a[2 + i] : buffer.message[i];
    u64 extra[MessageInfo::kMaxExtraCaps] = {};
    for (u64 i = 0; i < info.extra_caps; ++i) extra[i] = buffer.caps_or_badges[i];

    u64 reply_room[MessageInfo::kMaxMessageLength] = {};
    ReplyWords reply_words{kstd::Span<u64>(reply_room, MessageInfo::kMaxMessageLength)};
    InvocationContext context{nullptr, nullptr, &reply_words};
    PreemptionPoint never(nullptr, nullptr);
    InvocationReply raw = handle_invocation(host.kernel().cspace_root().cap, in.a[0], info,
                                            kstd::Span<const u64>(words, info.length),
                                            kstd::Span<const u64>(extra, info.extra_caps), never, context);
    REQUIRE(raw.outcome != InvocationOutcome::CapabilityFault);
    REQUIRE(raw.outcome != InvocationOutcome::Restart);
    const u64* out = raw.outcome == InvocationOutcome::Error ? raw.words : reply_room;
    MessageInfo reply_info = raw.info;
    if (raw.outcome == InvocationOutcome::Success) reply_info.length = reply_words.length;

    CallRegisters after = in;
    after.a[1] = reply_info.to_word();
    for (u64 i = 0; i < reply_info.length; ++i) {
        if (i < kMessageRegisterCount) after.a[2 + i] = out[i];
        else buffer.message[i] = out[i];
    }
    buffer.tag = after.a[1];
    return unmarshal_reply(after, &buffer, reply);
}

} // namespace tessera::user
