#pragma once
// What every user-level service (docs/services.md) shares: the request's label names the
// operation, the answer's label is a ServiceStatus, and byte payloads travel packed into
// message words (little-endian, eight to a word), words 0..3 in registers and the rest
// in the IPC buffer. Portable: the drivers' host tests use it too.
#include <abi/ipc_buffer.hpp>
#include <kstd/format.hpp>
#include <kstd/span.hpp>
#include <userlib/ipc_message.hpp>

namespace tessera::user {

enum class ServiceStatus : u64 {
    Ok = 0,
    UnknownRequest = 1,  // the label names no operation of this service
    InvalidArgument = 2, // detail word 0: which request word was wrong
    Busy = 3,            // every slot for a held request is taken; ask again later
    DeviceError = 4,     // the device reported a failure (word 0: the device's status)
    OutOfRange = 5,      // an index past the end (a sector, a list position)
    NotPresent = 6,      // the service has no such device or object
    Cancelled = 7,       // a held request ended without result (the server is stopping)
};

const char* service_status_name(ServiceStatus status);

template <kstd::CharSink S> constexpr void format_value(S& sink, ServiceStatus status) {
    kstd::format_to(sink, "{}", service_status_name(status));
}

// The words of one message: index 0..3 in IpcMessage::words, the rest in the IPC buffer's
// message[] at the same index (as the kernel copies them).
class MessageWords {
public:
    MessageWords(IpcMessage& message, IpcBuffer& buffer) : message_(message), buffer_(buffer) {}

    void set(u64 index, u64 value) {
        if (index < kMessageRegisterCount) message_.words[index] = value;
        else if (index < MessageInfo::kMaxMessageLength) buffer_.message[index] = value;
    }
    u64 get(u64 index) const {
        if (index < kMessageRegisterCount) return message_.words[index];
        return index < MessageInfo::kMaxMessageLength ? buffer_.message[index] : 0;
    }
    // Packs `bytes` from word `first`; returns the index after the last word written.
    u64 put_bytes(u64 first, kstd::Bytes bytes);
    // Unpacks out.size() bytes from word `first`.
    void get_bytes(u64 first, kstd::Span<u8> out) const;

private:
    IpcMessage& message_;
    IpcBuffer& buffer_;
};

constexpr u64 words_for_bytes(u64 bytes) { return (bytes + 7) / 8; }

// The answer to a request: `status` as the label, `length` words (set through MessageWords).
constexpr IpcMessage service_answer(ServiceStatus status, u64 length = 0, u64 word0 = 0) {
    IpcMessage answer(MessageInfo{static_cast<u64>(status), length, 0, 0});
    answer.words[0] = word0;
    return answer;
}

// A request with `label` and `length` words.
constexpr IpcMessage service_request(u64 label, u64 length = 0, u64 word0 = 0, u64 word1 = 0) {
    return IpcMessage(MessageInfo{label, length, 0, 0}, word0, word1);
}

// The error userlib reports for a service's refusal or a failed IPC.
Error service_error(const IpcMessage& answer);

} // namespace tessera::user
