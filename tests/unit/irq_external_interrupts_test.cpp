// The external-interrupt router over a PLIC on fake registers: claim, dispatch to the
// line's kernel handler, mask what nobody handles, complete at once, and the counts.
#include <catch2/catch.hpp>

#include <vector>

#include <irq/external_interrupts.hpp>
#include <irq/plic.hpp>

#include "fake_plic.hpp"

using tessera::CpuHardwareId;
using tessera::ExternalInterruptRouter;
using tessera::HandlerFlags;
using tessera::IrqDispatcher;
using tessera::IrqHandled;
using tessera::Plic;
using tessera::PlicConfiguration;
using tessera::PlicCpuContext;
using tessera::VirtualIrq;
using tessera_test::FakePlicRegisters;
using tessera_test::RegisterAccess;
using tessera_test::write_of;

namespace {

using Writes = std::vector<RegisterAccess>;

constexpr CpuHardwareId kHart0{0};
const PlicCpuContext kContexts[] = {{kHart0, 1}};
constexpr u64 kEnable1 = 0x2080, kClaim1 = 0x201004;

struct Fixture {
    FakePlicRegisters registers;
    Plic plic;
    IrqDispatcher dispatcher;
    ExternalInterruptRouter router{plic, dispatcher};

    Fixture() {
        REQUIRE(plic.initialise(PlicConfiguration{registers.window(), 96, kstd::Span<const PlicCpuContext>(kContexts)})
                    .ok());
        REQUIRE(plic.initialise_cpu(kHart0).ok());
        for (u32 line : {10u, 11u}) {
            REQUIRE(plic.set_priority(line, 1).ok());
            REQUIRE(plic.bind(line, kHart0).ok());
        }
        registers.forget();
    }
};

struct LineHandler {
    std::vector<VirtualIrq> seen;
    IrqHandled answer = IrqHandled::Yes;
    Plic* mask_on = nullptr; // set: masks the line first, as an IrqHandler will
};

IrqHandled record_line(VirtualIrq irq, void* context) {
    auto* handler = static_cast<LineHandler*>(context);
    handler->seen.push_back(irq);
    if (handler->mask_on != nullptr) REQUIRE(handler->mask_on->mask(irq.value - VirtualIrq::kWiredLineBase).ok());
    return handler->answer;
}

} // namespace

TEST_CASE("Router hands a claimed line to its handler as a wired-line VirtualIrq and completes it") {
    Fixture fixture;
    LineHandler handler;
    REQUIRE(
        fixture.dispatcher.register_handler(VirtualIrq::wired_line(10), record_line, &handler, 1, HandlerFlags::None)
            .ok());
    fixture.registers.queue_claims(1, {10});
    fixture.router.route_pending(kHart0);

    CHECK(handler.seen == std::vector<VirtualIrq>{VirtualIrq::wired_line(10)});
    CHECK(fixture.registers.writes() == Writes{write_of(kClaim1, 10)});
    CHECK(fixture.router.counts().lines_claimed == 1);
    CHECK(fixture.router.counts().lines_unhandled == 0);
    CHECK_FALSE(fixture.plic.line_status(10).value().masked);
}

TEST_CASE("Router masks a line nobody handles, completes it anyway, and counts it as spurious") {
    Fixture fixture;
    LineHandler declines;
    declines.answer = IrqHandled::No;
    REQUIRE(
        fixture.dispatcher.register_handler(VirtualIrq::wired_line(11), record_line, &declines, 1, HandlerFlags::None)
            .ok());
    fixture.registers.queue_claims(1, {11});
    fixture.router.route_pending(kHart0);

    CHECK(declines.seen.size() == 1);
    u32 both = (1u << 10) | (1u << 11);
    CHECK(fixture.registers.writes() == Writes{write_of(kEnable1, 1u << 10),                    // masked
                                               write_of(kEnable1, both), write_of(kClaim1, 11), // completed
                                               write_of(kEnable1, 1u << 10)});                  // still masked
    CHECK(fixture.plic.line_status(11).value().masked);
    CHECK(fixture.router.counts().lines_unhandled == 1);
    CHECK(fixture.router.counts().controller_errors == 0);
}

TEST_CASE("Router completes at once a line its handler masked for a driver") {
    Fixture fixture;
    LineHandler driver;
    driver.mask_on = &fixture.plic;
    REQUIRE(fixture.dispatcher.register_handler(VirtualIrq::wired_line(10), record_line, &driver, 1, HandlerFlags::None)
                .ok());
    fixture.registers.queue_claims(1, {10});
    fixture.router.route_pending(kHart0);

    CHECK(fixture.registers.writes() == Writes{write_of(kEnable1, 1u << 11),
                                               write_of(kEnable1, (1u << 10) | (1u << 11)), write_of(kClaim1, 10),
                                               write_of(kEnable1, 1u << 11)});
    CHECK(fixture.router.counts().lines_unhandled == 0);
    // The driver's Ack.
    fixture.registers.forget();
    REQUIRE(fixture.plic.unmask(10).ok());
    CHECK(fixture.registers.writes() == Writes{write_of(kEnable1, (1u << 10) | (1u << 11)), write_of(0x201000, 0)});
}

TEST_CASE("Router claims until nothing is pending, at most a bounded number per entry") {
    Fixture fixture;
    LineHandler handler;
    REQUIRE(
        fixture.dispatcher.register_handler(VirtualIrq::wired_line(10), record_line, &handler, 1, HandlerFlags::None)
            .ok());

    SECTION("two lines in one entry") {
        fixture.registers.queue_claims(1, {10, 11});
        fixture.router.route_pending(kHart0);
        CHECK(fixture.router.counts().lines_claimed == 2);
        CHECK(fixture.router.counts().lines_unhandled == 1);
        CHECK(fixture.router.counts().empty_claims == 0);
    }
    SECTION("a line that keeps coming back") {
        for (u32 i = 0; i < ExternalInterruptRouter::kMaxClaimsPerEntry + 5; ++i)
            fixture.registers.queue_claims(1, {10});
        fixture.router.route_pending(kHart0);
        CHECK(handler.seen.size() == ExternalInterruptRouter::kMaxClaimsPerEntry);
    }
    SECTION("nothing at all") {
        fixture.router.route_pending(kHart0);
        CHECK(fixture.router.counts().empty_claims == 1);
        CHECK(fixture.router.counts().lines_claimed == 0);
        CHECK(fixture.registers.writes().empty());
    }
}

TEST_CASE("Router counts a CPU the controller does not know as a controller error") {
    Fixture fixture;
    fixture.router.route_pending(CpuHardwareId{9});
    CHECK(fixture.router.counts().controller_errors == 1);
    CHECK(fixture.registers.journal().empty());
}
