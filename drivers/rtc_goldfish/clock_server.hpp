#pragma once
// The clock service's logic (userlib/services/clock.hpp), free of system calls so the host
// tests drive it against a fake device: which requests are valid, which callers are held
// and in what order, what the alarm is set to, and which Reply object each caller waits
// on. main.cpp only moves messages between this and the kernel.
//
// Reply objects are named by index (0..kReplyObjects-1). A held caller keeps the Reply
// object it was received with until its answer; the server always receives with one that
// no caller holds, because receiving with a held one would drop that caller (docs/ipc.md).
#include <kstd/bounded_vector.hpp>
#include <kstd/optional.hpp>
#include <userlib/services/clock.hpp>
#include <userlib/services/held_replies.hpp>
#include <userlib/services/layout.hpp>

#include "goldfish_rtc.hpp"

namespace tessera::rtc_goldfish {

inline constexpr u32 kReplyObjects = user::HeldReplies::kCount;
inline constexpr usize kMaxSleepers = user::kClockMaxSleepers;
static_assert(kMaxSleepers <= user::HeldReplies::kMaxHeld, "one Reply object must stay free to receive with");

struct Sleeper {
    u64 deadline = 0;
    u32 reply = 0; // the Reply object its caller waits on
};

// Held callers, earliest deadline first; equal deadlines keep their order of arrival.
class SleeperQueue {
public:
    bool empty() const { return sleepers_.empty(); }
    bool full() const { return sleepers_.full(); }
    usize size() const { return sleepers_.size(); }
    // False when full.
    [[nodiscard]] bool insert(Sleeper sleeper);
    const Sleeper& earliest() const { return sleepers_[0]; }
    Sleeper take_earliest();
    bool holds_reply(u32 reply) const;
    const Sleeper& operator[](usize index) const { return sleepers_[index]; }

private:
    kstd::BoundedVector<Sleeper, kMaxSleepers> sleepers_;
};

// How the server answers a caller it held: through the Reply object of that index.
class AnswerSink {
public:
    virtual void answer(u32 reply, const user::IpcMessage& answer) = 0;

protected:
    ~AnswerSink() = default;
};

class ClockServer {
public:
    ClockServer(GoldfishRtc& rtc, AnswerSink& replies) : rtc_(rtc), replies_(replies) {}

    // The Reply object to receive the next request with.
    u32 receiving_reply() const { return held_.receiving(); }

    // A request received with receiving_reply(). Returns the answer to give it now, or
    // none when the caller is held (receiving_reply() then names another object).
    kstd::Optional<user::IpcMessage> handle_request(const user::IpcMessage& request);

    // The alarm's interrupt: lowers it at the device, answers every caller whose deadline
    // passed and sets the alarm for the next. The caller acks the IrqHandler after this,
    // so the line opens only once the device no longer asserts it.
    void handle_alarm_interrupt();

    const SleeperQueue& sleepers() const { return sleepers_; }

private:
    kstd::Optional<user::IpcMessage> sleep_until(u64 deadline);
    // Answers the callers that are due, then sets the alarm for the earliest one left (or
    // disarms it). Loops while a deadline passes during the arming, so no caller waits
    // for an alarm the device may never raise.
    void answer_due_and_set_alarm();

    GoldfishRtc& rtc_;
    AnswerSink& replies_;
    SleeperQueue sleepers_;
    user::HeldReplies held_; // the sleepers' Reply objects
};

// Prints a time as "2026-11-21 21:40:05 UTC".
struct UtcTime {
    user::CivilTime civil;
};

template <kstd::CharSink S> constexpr void format_value(S& sink, UtcTime time) {
    const user::CivilTime& c = time.civil;
    kstd::format_to(sink, "{}-", c.year);
    kstd::format_unsigned(sink, c.month, 10, 2);
    sink.put('-');
    kstd::format_unsigned(sink, c.day, 10, 2);
    sink.put(' ');
    kstd::format_unsigned(sink, c.hour, 10, 2);
    sink.put(':');
    kstd::format_unsigned(sink, c.minute, 10, 2);
    sink.put(':');
    kstd::format_unsigned(sink, c.second, 10, 2);
    kstd::format_to(sink, " UTC");
}

} // namespace tessera::rtc_goldfish
