#include "clock_server.hpp"

namespace tessera::rtc_goldfish {

using user::ClockRequest;
using user::IpcMessage;
using user::ServiceStatus;
using user::service_answer;

namespace {

constexpr u64 kGetTimeWords = 0;
constexpr u64 kSleepUntilWords = 1;

// A request of the wrong length: word 0 of the answer is the first word that is missing
// or should not be there.
IpcMessage wrong_length(u64 length, u64 expected) {
    return service_answer(ServiceStatus::InvalidArgument, 1, kstd::min(length, expected));
}

IpcMessage time_answer(u64 time) { return service_answer(ServiceStatus::Ok, 1, time); }

} // namespace

bool SleeperQueue::insert(Sleeper sleeper) {
    usize position = 0;
    while (position < sleepers_.size() && sleepers_[position].deadline <= sleeper.deadline) ++position;
    return sleepers_.insert(position, sleeper);
}

Sleeper SleeperQueue::take_earliest() {
    Sleeper first = sleepers_[0];
    sleepers_.erase(0);
    return first;
}

bool SleeperQueue::holds_reply(u32 reply) const {
    for (const Sleeper& sleeper : sleepers_)
        if (sleeper.reply == reply) return true;
    return false;
}

kstd::Optional<IpcMessage> ClockServer::handle_request(const IpcMessage& request) {
    u64 length = request.length();
    switch (static_cast<ClockRequest>(request.label())) {
    case ClockRequest::GetTime:
        if (length != kGetTimeWords) return wrong_length(length, kGetTimeWords);
        return time_answer(rtc_.now());
    case ClockRequest::SleepUntil:
        if (length != kSleepUntilWords) return wrong_length(length, kSleepUntilWords);
        return sleep_until(request.words[0]);
    }
    return service_answer(ServiceStatus::UnknownRequest);
}

kstd::Optional<IpcMessage> ClockServer::sleep_until(u64 deadline) {
    u64 now = rtc_.now();
    if (deadline <= now) return time_answer(now);
    if (sleepers_.full()) return service_answer(ServiceStatus::Busy);

    u32 reply = held_.hold();
    bool inserted = sleepers_.insert(Sleeper{deadline, reply});
    KASSERT(inserted);
    // A later deadline than the earliest changes nothing at the device.
    if (sleepers_.earliest().reply == reply) answer_due_and_set_alarm();
    return kstd::none;
}

void ClockServer::handle_alarm_interrupt() {
    rtc_.clear_interrupt();
    answer_due_and_set_alarm();
}

void ClockServer::answer_due_and_set_alarm() {
    for (;;) {
        u64 now = rtc_.now();
        while (!sleepers_.empty() && sleepers_.earliest().deadline <= now) {
            u32 reply = sleepers_.take_earliest().reply;
            held_.release(reply);
            replies_.answer(reply, time_answer(now));
        }
        if (sleepers_.empty()) {
            rtc_.disarm_alarm();
            return;
        }
        u64 next = sleepers_.earliest().deadline;
        rtc_.arm_alarm(next);
        // The deadline may have passed between the read above and the arming, and a
        // device need not raise an alarm set in the past: then answer it here instead.
        if (rtc_.now() < next) return;
    }
}

} // namespace tessera::rtc_goldfish
