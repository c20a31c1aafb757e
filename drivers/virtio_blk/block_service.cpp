#include "block_service.hpp"

namespace tessera::virtio_blk {

using user::BlockRequest;
using user::IpcMessage;
using user::MessageWords;
using user::ServiceStatus;
using user::service_answer;

namespace {

static_assert(user::kSectorBytes == kBlockSectorBytes);
constexpr u64 kWriteLength = 1 + user::kSectorWords;
constexpr u64 kReadAnswerLength = 1 + user::kSectorWords;

// InvalidArgument names the first request word that is wrong: the first one missing, or
// the first one too many.
IpcMessage wrong_length(u64 length, u64 expected) {
    return service_answer(ServiceStatus::InvalidArgument, 1, length < expected ? length : expected);
}

} // namespace

BlockService::Outcome BlockService::handle_request(const IpcMessage& request, IpcBuffer& buffer) {
    u64 label = request.label();
    if (label != static_cast<u64>(BlockRequest::GetInfo) && label != static_cast<u64>(BlockRequest::Read) &&
        label != static_cast<u64>(BlockRequest::Write))
        return Outcome{false, service_answer(ServiceStatus::UnknownRequest)};
    if (device_ == nullptr) return Outcome{false, service_answer(ServiceStatus::NotPresent)};

    switch (static_cast<BlockRequest>(label)) {
    case BlockRequest::GetInfo: {
        if (request.length() != 0) return Outcome{false, wrong_length(request.length(), 0)};
        const BlockDeviceInfo& info = device_->info();
        IpcMessage answer = service_answer(ServiceStatus::Ok, 3, info.sectors);
        answer.words[1] = kBlockSectorBytes;
        answer.words[2] = info.read_only ? 1 : 0;
        return Outcome{false, answer};
    }
    case BlockRequest::Read: return read(request);
    case BlockRequest::Write: return write(request, buffer);
    }
    return Outcome{false, service_answer(ServiceStatus::UnknownRequest)};
}

BlockService::Outcome BlockService::read(const IpcMessage& request) {
    if (request.length() != 1) return Outcome{false, wrong_length(request.length(), 1)};
    u64 sector = request.words[0];
    if (sector >= device_->info().sectors)
        return Outcome{false, service_answer(ServiceStatus::OutOfRange, 1, device_->info().sectors)};
    kstd::Optional<u32> slot = device_->submit_read(sector);
    if (!slot) return Outcome{false, service_answer(ServiceStatus::Busy)};
    return hold(*slot);
}

BlockService::Outcome BlockService::write(const IpcMessage& request, IpcBuffer& buffer) {
    if (request.length() != kWriteLength) return Outcome{false, wrong_length(request.length(), kWriteLength)};
    u64 sector = request.words[0];
    if (sector >= device_->info().sectors)
        return Outcome{false, service_answer(ServiceStatus::OutOfRange, 1, device_->info().sectors)};
    // Refused here rather than sent: the device would fail it anyway, and "unsupported" is
    // the status virtio-blk itself gives an operation the device does not do.
    if (device_->info().read_only)
        return Outcome{false, service_answer(ServiceStatus::DeviceError, 1, kBlockStatusUnsupported)};
    if (!device_->has_free_slot()) return Outcome{false, service_answer(ServiceStatus::Busy)};
    IpcMessage words_of_request = request;
    u8 data[kBlockSectorBytes];
    MessageWords(words_of_request, buffer).get_bytes(1, kstd::Span<u8>(data));
    kstd::Optional<u32> slot = device_->submit_write(sector, kstd::Bytes(data, kBlockSectorBytes));
    if (!slot) return Outcome{false, service_answer(ServiceStatus::Busy)};
    return hold(*slot);
}

BlockService::Outcome BlockService::hold(u32 slot) {
    // At most kMaxRequests (<= kMaxHeld) are in the device, so one object stays free.
    held_reply_[slot] = replies_.hold();
    return Outcome{true, {}};
}

IpcMessage BlockService::answer_for(const BlockCompletion& completion, IpcBuffer& buffer) const {
    if (completion.status != kBlockStatusOk) return service_answer(ServiceStatus::DeviceError, 1, completion.status);
    if (completion.operation == BlockOperation::Write) return service_answer(ServiceStatus::Ok);
    IpcMessage answer = service_answer(ServiceStatus::Ok, kReadAnswerLength, completion.sector);
    MessageWords(answer, buffer).put_bytes(1, completion.data);
    return answer;
}

} // namespace tessera::virtio_blk
