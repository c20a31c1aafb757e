#pragma once
// The periodic tick, computed in timebase units. Each deadline is the previous one plus
// the period, never "now plus the period", so ticks do not drift however late the
// interrupt is taken; ticks missed entirely are counted, not replayed.
#include <kstd/types.hpp>

namespace tessera {

class TickClock {
public:
    // period = timebase_hz / tick_hz, rounded, and at least one timebase unit.
    void start(u64 timebase_hz, u64 tick_hz, u64 now) {
        if (tick_hz == 0) tick_hz = 1;
        period_ = (timebase_hz + tick_hz / 2) / tick_hz;
        if (period_ == 0) period_ = 1;
        next_deadline_ = now + period_;
        ticks_ = 0;
        missed_ = 0;
    }

    // Called from the timer interrupt; returns the deadline to program next.
    u64 on_timer_interrupt(u64 now) {
        if (now < next_deadline_) return next_deadline_; // early or spurious: keep the deadline
        u64 elapsed_periods = (now - next_deadline_) / period_ + 1;
        ticks_ += 1;
        missed_ += elapsed_periods - 1;
        next_deadline_ += elapsed_periods * period_;
        return next_deadline_;
    }

    u64 period() const { return period_; }
    u64 ticks() const { return ticks_; }
    u64 missed() const { return missed_; }
    u64 next_deadline() const { return next_deadline_; }

private:
    u64 period_ = 0;
    u64 next_deadline_ = 0;
    u64 ticks_ = 0;
    u64 missed_ = 0;
};

} // namespace tessera
