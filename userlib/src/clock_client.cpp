#include <userlib/ipc.hpp>
#include <userlib/services/clock.hpp>

namespace tessera::user {

namespace {

// Both answers carry a time in word 0; anything else is the service's or the IPC's error.
Result<u64> time_from(const IpcMessage& answer) {
    if (!answer.ok() || answer.label() != static_cast<u64>(ServiceStatus::Ok)) return kstd::fail(service_error(answer));
    if (answer.length() < 1) return kstd::fail(Error::of(LibraryError::UnexpectedReply));
    return answer.words[0];
}

constexpr u64 label_of(ClockRequest request) { return static_cast<u64>(request); }

} // namespace

Result<u64> ClockClient::now() const {
    return time_from(endpoint_.call(service_request(label_of(ClockRequest::GetTime))));
}

Result<u64> ClockClient::sleep_until(u64 deadline) const {
    return time_from(endpoint_.call(service_request(label_of(ClockRequest::SleepUntil), 1, deadline)));
}

} // namespace tessera::user
