// The system service's client: one Call per request, the answer's words unpacked as
// <userlib/services/system.hpp> lays them out.
#include <userlib/ipc.hpp>
#include <userlib/services/system.hpp>
#include <userlib/syscalls.hpp>

namespace tessera::user {

namespace {

// Word indices of the answers, named after the header's layouts.
constexpr u64 kThreadState = 1, kThreadPriority = 2, kThreadRestarts = 3, kThreadTaskName = 4,
              kThreadName = 8, kThreadAnswerWords = 10;
constexpr u64 kIrqLine = 0, kIrqDelivered = 1, kIrqMasked = 2, kIrqShared = 3, kIrqAwaitingAck = 4,
              kIrqBound = 5, kIrqOwnerName = 6, kIrqAnswerWords = 10;
constexpr u64 kCapSlot = 0, kCapKind = 1, kCapRights = 2, kCapData = 3, kCapObject = 4, kCapSizeBits = 5,
              kCapAnswerWords = 6;
constexpr u64 kCapRequestTaskName = 1, kCapRequestWords = kCapRequestTaskName + kServiceNameWords;

constexpr u64 label_of(SystemRequest request) { return static_cast<u64>(request); }

// Every answer is checked for its status and for as many words as its layout has, so a
// server that answers short never leaves stale IPC-buffer words posing as data.
Result<IpcMessage> ask(Endpoint endpoint, const IpcMessage& request, u64 answer_words) {
    IpcMessage answer = endpoint.call(request);
    if (!answer.ok() || answer.label() != static_cast<u64>(ServiceStatus::Ok))
        return kstd::fail(service_error(answer));
    if (answer.length() < answer_words)
        return kstd::fail(Error::of(LibraryError::UnexpectedReply, answer.length()));
    return answer;
}

// `words` NUL-padded name words from `first` into `out`, which has room for one more byte.
void copy_name(const MessageWords& message, u64 first, u64 words, char* out) {
    u64 bytes = words * 8;
    message.get_bytes(first, kstd::Span<u8>(reinterpret_cast<u8*>(out), bytes));
    out[bytes] = '\0';
}

} // namespace

Result<ThreadEntry> SystemClient::thread(u64 index) const {
    IpcMessage answer =
        TRY(ask(endpoint_, service_request(label_of(SystemRequest::ListThreads), 1, index), kThreadAnswerWords));
    MessageWords words(answer, *current_ipc_buffer());
    ThreadEntry entry;
    entry.state = words.get(kThreadState);
    entry.priority = words.get(kThreadPriority);
    entry.restarts = words.get(kThreadRestarts);
    copy_name(words, kThreadTaskName, kServiceNameWords, entry.task);
    copy_name(words, kThreadName, kThreadNameWords, entry.thread);
    return entry;
}

Result<IrqEntry> SystemClient::irq(u64 index) const {
    IpcMessage answer =
        TRY(ask(endpoint_, service_request(label_of(SystemRequest::ListIrqs), 1, index), kIrqAnswerWords));
    MessageWords words(answer, *current_ipc_buffer());
    IrqEntry entry;
    entry.line = words.get(kIrqLine);
    entry.delivered = words.get(kIrqDelivered);
    entry.masked = words.get(kIrqMasked) != 0;
    entry.shared = words.get(kIrqShared) != 0;
    entry.awaiting_ack = words.get(kIrqAwaitingAck) != 0;
    entry.bound = words.get(kIrqBound) != 0;
    copy_name(words, kIrqOwnerName, kServiceNameWords, entry.owner);
    return entry;
}

Result<CapEntry> SystemClient::capability(kstd::StringView task, u64 first_slot) const {
    if (task.size() > kServiceNameBytes) return kstd::fail(Error::of(LibraryError::MessageTooLong, task.size()));
    IpcMessage request = service_request(label_of(SystemRequest::ListCaps), kCapRequestWords, first_slot);
    IpcBuffer& buffer = *current_ipc_buffer();
    MessageWords words(request, buffer);
    // put_bytes writes only the words the name touches; the padding must be zeros too.
    for (u64 i = kCapRequestTaskName; i < kCapRequestWords; ++i) words.set(i, 0);
    words.put_bytes(kCapRequestTaskName, kstd::Bytes(reinterpret_cast<const u8*>(task.data()), task.size()));

    IpcMessage answer = TRY(ask(endpoint_, request, kCapAnswerWords));
    MessageWords answer_words(answer, buffer);
    CapEntry entry;
    entry.slot = answer_words.get(kCapSlot);
    entry.kind = answer_words.get(kCapKind);
    entry.rights = answer_words.get(kCapRights);
    entry.data = answer_words.get(kCapData);
    entry.object = answer_words.get(kCapObject);
    entry.size_bits = answer_words.get(kCapSizeBits);
    return entry;
}

Result<void> SystemClient::fault(kstd::StringView task) const {
    if (task.size() > kServiceNameBytes) return kstd::fail(Error::of(LibraryError::MessageTooLong, task.size()));
    IpcMessage request = service_request(label_of(SystemRequest::Fault), kServiceNameWords);
    MessageWords words(request, *current_ipc_buffer());
    for (u64 i = 0; i < kServiceNameWords; ++i) words.set(i, 0);
    words.put_bytes(0, kstd::Bytes(reinterpret_cast<const u8*>(task.data()), task.size()));
    TRY(ask(endpoint_, request, 0));
    return {};
}

Result<void> SystemClient::halt() const {
    IpcMessage answer = endpoint_.call(service_request(label_of(SystemRequest::Halt)));
    // A server that took the request without a Reply object still powers off.
    if (answer.status == IpcStatus::NoReply) return {};
    if (!answer.ok() || answer.label() != static_cast<u64>(ServiceStatus::Ok))
        return kstd::fail(service_error(answer));
    return {};
}

} // namespace tessera::user
