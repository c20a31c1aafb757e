// The Call register convention, without the ecall: what goes in a0..a5 and the IPC
// buffer, and how a reply comes back out.
#include <kstd/assert.hpp>
#include <userlib/message.hpp>

namespace tessera::user {

Request& Request::word(u64 value) {
    KASSERT(length < kMaxRequestWords);
    words[length++] = value;
    return *this;
}

Request& Request::cap(CPtr pointer) {
    KASSERT(extra_count < MessageInfo::kMaxExtraCaps);
    extra[extra_count++] = pointer;
    return *this;
}

Result<CallRegisters> marshal_call(CPtr target, const Request& request, IpcBuffer* buffer) {
    if (request.length > MessageInfo::kMaxMessageLength || request.extra_count > MessageInfo::kMaxExtraCaps)
        return kstd::fail(Error::of(LibraryError::MessageTooLong));
    bool needs_buffer = request.length > kMessageRegisterCount || request.extra_count > 0;
    if (needs_buffer && buffer == nullptr) return kstd::fail(Error::of(LibraryError::NoIpcBuffer));
    CallRegisters registers;
    registers.a[0] = target.value;
    registers.a[1] = request.info().to_word();
    for (usize i = 0; i < request.length; ++i) {
        if (i < kMessageRegisterCount) registers.a[2 + i] = request.words[i];
        else buffer->message[i] = request.words[i];
    }
    for (usize i = 0; i < request.extra_count; ++i) buffer->caps_or_badges[i] = request.extra[i].value;
    if (buffer != nullptr) buffer->tag = registers.a[1];
    return registers;
}

Result<void> unmarshal_reply(const CallRegisters& after, const IpcBuffer* buffer, Reply& reply) {
    reply.info = MessageInfo::from_word(after.a[1]);
    usize available = buffer == nullptr ? kMessageRegisterCount : MessageInfo::kMaxMessageLength;
    reply.length = kstd::min<usize>(kstd::min<usize>(reply.info.length, available), kMaxReplyWords);
    for (usize i = 0; i < reply.length; ++i)
        reply.words[i] = i < kMessageRegisterCount ? after.a[2 + i] : buffer->message[i];
    if (reply.info.label != 0)
        return kstd::fail(decode_error(reply.info, kstd::Span<const u64>(reply.words, reply.length)));
    return {};
}

Result<void> invoke(CPtr target, const Request& request) {
    Reply reply;
    return invoke(target, request, reply);
}

} // namespace tessera::user
