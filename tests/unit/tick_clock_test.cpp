// TickClock: the scheduler tick. Deadlines must stay on the grid start + k * period however
// late interrupts arrive (no drift), and missed ticks are counted, not replayed.
#include <catch2/catch.hpp>

#include <time/tick_clock.hpp>

#include "test_support.hpp"

using tessera::TickClock;

TEST_CASE("TickClock period is timebase / tick rate, rounded to nearest") {
    TickClock clock;
    clock.start(10'000'000, 100, 0);
    CHECK(clock.period() == 100'000);
    clock.start(1000, 3, 0); // 333.33 -> 333
    CHECK(clock.period() == 333);
    clock.start(1001, 2, 0); // 500.5 -> 501
    CHECK(clock.period() == 501);
    clock.start(5, 3, 0); // 1.67 -> 2
    CHECK(clock.period() == 2);
    clock.start(1, 3, 0); // 0.33 would round to 0: never a zero period
    CHECK(clock.period() == 1);
}

TEST_CASE("TickClock treats a tick rate of 0 as 1 Hz instead of dividing by zero") {
    TickClock clock;
    clock.start(1000, 0, 0);
    CHECK(clock.period() == 1000);
    CHECK(clock.next_deadline() == 1000);
}

TEST_CASE("TickClock start sets the first deadline one period ahead and resets counters") {
    TickClock clock;
    clock.start(1000, 10, 5000);
    CHECK(clock.next_deadline() == 5100);
    CHECK(clock.on_timer_interrupt(5100) == 5200);
    CHECK(clock.ticks() == 1);
    clock.start(1000, 10, 7);
    CHECK(clock.next_deadline() == 107);
    CHECK(clock.ticks() == 0);
    CHECK(clock.missed() == 0);
}

TEST_CASE("TickClock on time: one tick per interrupt, deadline advances by one period") {
    TickClock clock;
    clock.start(1000, 10, 0); // period 100
    CHECK(clock.on_timer_interrupt(100) == 200);
    CHECK(clock.on_timer_interrupt(200) == 300);
    CHECK(clock.ticks() == 2);
    CHECK(clock.missed() == 0);
}

TEST_CASE("TickClock late interrupt counts missed ticks and keeps the grid") {
    TickClock clock;
    clock.start(1000, 10, 0); // period 100, deadline 100
    // Slightly late: no tick missed, but the next deadline is 200, not 130 + 100.
    CHECK(clock.on_timer_interrupt(130) == 200);
    CHECK(clock.missed() == 0);
    // 2.5 periods late: the deadlines 200, 300 and 400 have passed; 200 is this tick.
    CHECK(clock.on_timer_interrupt(450) == 500);
    CHECK(clock.ticks() == 2);
    CHECK(clock.missed() == 2);
    // Exactly on a later grid point: 500 is this tick, 600 and 700 were missed.
    CHECK(clock.on_timer_interrupt(700) == 800);
    CHECK(clock.missed() == 4);
}

TEST_CASE("TickClock early or spurious interrupt keeps the deadline and counts nothing") {
    TickClock clock;
    clock.start(1000, 10, 0);
    CHECK(clock.on_timer_interrupt(50) == 100);
    CHECK(clock.on_timer_interrupt(99) == 100);
    CHECK(clock.ticks() == 0);
    CHECK(clock.missed() == 0);
    CHECK(clock.next_deadline() == 100);
}

TEST_CASE("TickClock never drifts under random interrupt lateness") {
    auto rng = tessera_test::make_rng(5);
    INFO("TESSERA_TEST_SEED=" << tessera_test::test_seed());
    TickClock clock;
    const u64 start = 123456;
    clock.start(10'000'000, 100, start);
    const u64 period = clock.period();
    u64 now = start;
    u64 interrupts = 0;
    for (int i = 0; i < 10000; ++i) {
        u64 deadline = clock.next_deadline();
        // Usually a little late, sometimes many periods late, sometimes early.
        switch (rng() % 4) {
        case 0: now += rng() % (deadline - now); break; // early, but time never runs backwards
        case 1: now = deadline + rng() % (10 * period); break;
        default: now = deadline + rng() % (period / 10); break;
        }
        if (now >= deadline) ++interrupts;
        u64 next = clock.on_timer_interrupt(now);
        CAPTURE(i, now, deadline, next);
        REQUIRE(next == clock.next_deadline());
        REQUIRE(next > now);
        REQUIRE((next - start) % period == 0); // on the grid: no drift
        REQUIRE(next - now <= period);        // the next grid point, not a later one
        // Every grid point passed is either a tick or a missed tick.
        REQUIRE(clock.ticks() + clock.missed() == (next - start) / period - 1);
        REQUIRE(clock.ticks() == interrupts);
    }
}

