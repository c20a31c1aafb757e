#include <userlib/services/service_message.hpp>

namespace tessera::user {

const char* service_status_name(ServiceStatus status) {
    switch (status) {
    case ServiceStatus::Ok: return "Ok";
    case ServiceStatus::UnknownRequest: return "UnknownRequest";
    case ServiceStatus::InvalidArgument: return "InvalidArgument";
    case ServiceStatus::Busy: return "Busy";
    case ServiceStatus::DeviceError: return "DeviceError";
    case ServiceStatus::OutOfRange: return "OutOfRange";
    case ServiceStatus::NotPresent: return "NotPresent";
    case ServiceStatus::Cancelled: return "Cancelled";
    }
    return "UnknownServiceStatus";
}

u64 MessageWords::put_bytes(u64 first, kstd::Bytes bytes) {
    u64 index = first;
    for (usize offset = 0; offset < bytes.size(); offset += 8, ++index) {
        u64 word = 0;
        for (usize i = 0; i < 8 && offset + i < bytes.size(); ++i) word |= u64{bytes[offset + i]} << (8 * i);
        set(index, word);
    }
    return index;
}

void MessageWords::get_bytes(u64 first, kstd::Span<u8> out) const {
    for (usize offset = 0; offset < out.size(); ++offset)
        out[offset] = static_cast<u8>(get(first + offset / 8) >> (8 * (offset % 8)));
}

Error service_error(const IpcMessage& answer) {
    if (answer.status != IpcStatus::Ok) return Error::of(LibraryError::IpcFailed, static_cast<u64>(answer.status));
    return Error::of(LibraryError::ServiceRefused, answer.label());
}

} // namespace tessera::user
