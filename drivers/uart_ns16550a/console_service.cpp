#include "console_service.hpp"

namespace tessera::drivers::uart {

using user::ConsoleRequest;
using user::IpcMessage;
using user::kConsoleMaxTransfer;
using user::MessageWords;
using user::service_answer;
using user::ServiceStatus;

namespace {

// The count in word 0 was wrong (the only word a console request has besides bytes).
IpcMessage invalid_count() { return service_answer(ServiceStatus::InvalidArgument, 1, 0); }

} // namespace

kstd::Optional<IpcMessage> ConsoleService::handle(const IpcMessage& request) {
    if (request.label() == static_cast<u64>(ConsoleRequest::Write)) return handle_write(request);
    if (request.label() == static_cast<u64>(ConsoleRequest::Read)) return handle_read(request);
    return service_answer(ServiceStatus::UnknownRequest);
}

kstd::Optional<IpcMessage> ConsoleService::handle_write(const IpcMessage& request) {
    u64 count = request.words[0];
    // The length check catches a sender without an IPC buffer too: the kernel then
    // delivers only the four register words and says so in the length.
    if (request.length() < 1 || count == 0 || count > kConsoleMaxTransfer ||
        request.length() < 1 + user::words_for_bytes(count))
        return invalid_count();

    // Out of the IPC buffer before anything else is answered through it.
    u8 bytes[kConsoleMaxTransfer];
    IpcMessage words = request;
    MessageWords(words, buffer_).get_bytes(1, kstd::Span<u8>(bytes, count));
    kstd::Bytes text(bytes, count);

    if (held_writes_ == 0 && uart_.queue_output(text)) {
        pump();
        return service_answer(ServiceStatus::Ok, 1, count);
    }
    if (!replies_.can_hold()) return service_answer(ServiceStatus::Busy);
    HeldWrite& held = writes_[(first_write_ + held_writes_) % kMaxHeldRequests];
    held.reply_object = replies_.hold();
    held.length = static_cast<u32>(count);
    for (usize i = 0; i < count; ++i) held.bytes[i] = bytes[i];
    ++held_writes_;
    pump();
    return kstd::none;
}

kstd::Optional<IpcMessage> ConsoleService::handle_read(const IpcMessage& request) {
    u64 wanted = request.words[0];
    if (request.length() < 1 || wanted == 0 || wanted > kConsoleMaxTransfer) return invalid_count();

    pump(); // bytes may have reached the FIFO since the last interrupt
    if (held_reads_ == 0 && uart_.input_available() > 0) {
        u8 bytes[kConsoleMaxTransfer];
        usize count = uart_.take_input(kstd::Span<u8>(bytes, wanted));
        // Resumes a receiver stopped for room (and may answer held writes through the IPC
        // buffer), so it comes before this answer's words go there.
        pump();
        return read_answer(kstd::Bytes(bytes, count));
    }
    if (held_reads_ == user::kConsoleMaxHeldReads || !replies_.can_hold()) return service_answer(ServiceStatus::Busy);
    reads_[held_reads_++] = HeldRead{replies_.hold(), static_cast<u32>(wanted)};
    return kstd::none;
}

void ConsoleService::pump() {
    // Ends: each further round answers at least one held request, and no new ones come.
    do {
        uart_.service();
    } while (complete_held());
}

bool ConsoleService::complete_held() {
    bool changed = false;
    while (held_writes_ > 0) {
        HeldWrite& held = writes_[first_write_];
        if (!uart_.queue_output(kstd::Bytes(held.bytes, held.length))) break;
        u32 reply_object = held.reply_object;
        u32 length = held.length;
        first_write_ = (first_write_ + 1) % kMaxHeldRequests;
        --held_writes_;
        replies_.release(reply_object);
        sink_.answer(reply_object, service_answer(ServiceStatus::Ok, 1, length));
        changed = true;
    }
    while (held_reads_ > 0 && uart_.input_available() > 0) {
        HeldRead read = reads_[0];
        for (u32 i = 1; i < held_reads_; ++i) reads_[i - 1] = reads_[i];
        --held_reads_;
        u8 bytes[kConsoleMaxTransfer];
        usize count = uart_.take_input(kstd::Span<u8>(bytes, read.wanted));
        replies_.release(read.reply_object);
        sink_.answer(read.reply_object, read_answer(kstd::Bytes(bytes, count)));
        changed = true;
    }
    return changed;
}

IpcMessage ConsoleService::read_answer(kstd::Bytes bytes) {
    IpcMessage answer = service_answer(ServiceStatus::Ok, 1 + user::words_for_bytes(bytes.size()), bytes.size());
    MessageWords(answer, buffer_).put_bytes(1, bytes);
    return answer;
}

} // namespace tessera::drivers::uart
