// The block service's client: one sector per call, the data packed into message words
// (words 4.. through the IPC buffer, so the calling thread needs one).
#include <userlib/ipc.hpp>
#include <userlib/services/block.hpp>
#include <userlib/syscalls.hpp>

namespace tessera::user {

namespace {

constexpr u64 kSectorMessageLength = 1 + kSectorWords; // the sector, then its bytes

// Argument numbers, as Error::argument names them for InvalidArgument.
constexpr u64 kDataArgument = 1;

Result<IpcMessage> call_service(const Endpoint& endpoint, const IpcMessage& request) {
    IpcMessage answer = endpoint.call(request);
    if (answer.status != IpcStatus::Ok || answer.label() != static_cast<u64>(ServiceStatus::Ok))
        return kstd::fail(service_error(answer));
    return answer;
}

Error wrong_buffer_size() {
    Error error = Error::of(ErrorCode::InvalidArgument);
    error.argument = kDataArgument;
    return error;
}

} // namespace

Result<BlockInfo> BlockClient::info() const {
    IpcMessage answer = TRY(call_service(endpoint_, service_request(static_cast<u64>(BlockRequest::GetInfo))));
    if (answer.length() < 3) return kstd::fail(Error::of(LibraryError::UnexpectedReply, answer.length()));
    return BlockInfo{answer.words[0], answer.words[1], answer.words[2] != 0};
}

Result<void> BlockClient::read(u64 sector, kstd::Span<u8> out) const {
    if (out.size() != kSectorBytes) return kstd::fail(wrong_buffer_size());
    IpcBuffer* buffer = current_ipc_buffer();
    if (buffer == nullptr) return kstd::fail(Error::of(LibraryError::NoIpcBuffer));
    IpcMessage answer = TRY(call_service(endpoint_, service_request(static_cast<u64>(BlockRequest::Read), 1, sector)));
    if (answer.length() < kSectorMessageLength)
        return kstd::fail(Error::of(LibraryError::UnexpectedReply, answer.length()));
    MessageWords(answer, *buffer).get_bytes(1, out);
    return {};
}

Result<void> BlockClient::write(u64 sector, kstd::Bytes data) const {
    if (data.size() != kSectorBytes) return kstd::fail(wrong_buffer_size());
    IpcBuffer* buffer = current_ipc_buffer();
    if (buffer == nullptr) return kstd::fail(Error::of(LibraryError::NoIpcBuffer));
    IpcMessage request = service_request(static_cast<u64>(BlockRequest::Write), kSectorMessageLength, sector);
    MessageWords(request, *buffer).put_bytes(1, data);
    TRY(call_service(endpoint_, request));
    return {};
}

} // namespace tessera::user
