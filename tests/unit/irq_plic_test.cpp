// The PLIC driver against a fake register window: the exact register writes of every
// operation (offsets spelled out from the specification's table, not from the driver's
// layout helpers), and the refusal of bad arguments without touching a register.
#include <catch2/catch.hpp>

#include <utility>
#include <vector>

#include <irq/plic.hpp>

#include "fake_plic.hpp"

using tessera::ControllerError;
using tessera::CpuHardwareId;
using tessera::Plic;
using tessera::PlicConfiguration;
using tessera::PlicCpuContext;
using tessera::PlicSetupError;
using tessera::TriggerMode;
using tessera_test::FakePlicRegisters;
using tessera_test::read_of;
using tessera_test::RegisterAccess;
using tessera_test::write_of;

namespace {

using Writes = std::vector<RegisterAccess>;

// QEMU virt with two harts: hart 0's supervisor context is 1, hart 1's is 3.
constexpr CpuHardwareId kHart0{0};
constexpr CpuHardwareId kHart1{1};
const PlicCpuContext kQemuContexts[] = {{kHart0, 1}, {kHart1, 3}};
constexpr u32 kSources = 96;

// Context 1's registers, and context 3's.
constexpr u64 kEnable1 = 0x2080, kThreshold1 = 0x201000, kClaim1 = 0x201004;
constexpr u64 kEnable3 = 0x2180, kThreshold3 = 0x203000, kClaim3 = 0x203004;

PlicConfiguration qemu_configuration(FakePlicRegisters& registers) {
    return PlicConfiguration{registers.window(), kSources, kstd::Span<const PlicCpuContext>(kQemuContexts)};
}

// A PLIC set up as at boot, with the journal emptied.
struct InitialisedPlic {
    FakePlicRegisters registers;
    Plic plic;
    InitialisedPlic() {
        REQUIRE(plic.initialise(qemu_configuration(registers)).ok());
        REQUIRE(plic.initialise_cpu(kHart0).ok());
        registers.forget();
    }
};

} // namespace

TEST_CASE("PLIC initialise finds the priority levels and quiets every source and context") {
    FakePlicRegisters registers;
    Plic plic;
    REQUIRE(plic.initialise(qemu_configuration(registers)).ok());
    CHECK(plic.max_priority() == 7);
    CHECK(plic.first_line() == 1);
    CHECK(plic.last_line() == kSources);

    Writes expected{write_of(0x4, 0xffffffff)};
    for (u32 source = 1; source <= kSources; ++source) expected.push_back(write_of(4 * u64{source}, 0));
    // Sources 0..96 take four enable words in each context.
    for (u64 word : {kEnable1, kEnable1 + 4, kEnable1 + 8, kEnable1 + 12}) expected.push_back(write_of(word, 0));
    for (u64 word : {kEnable3, kEnable3 + 4, kEnable3 + 8, kEnable3 + 12}) expected.push_back(write_of(word, 0));
    CHECK(registers.writes() == expected);
    CHECK(registers.journal()[1] == read_of(0x4, 7)); // the probe reads back what stuck
}

TEST_CASE("PLIC initialise_cpu clears the CPU's enable bits and opens its threshold") {
    InitialisedPlic fixture;
    fixture.registers.preset(kThreshold3, 5);
    REQUIRE(fixture.plic.initialise_cpu(kHart1).ok());
    CHECK(fixture.registers.writes() == Writes{write_of(kEnable3, 0), write_of(kEnable3 + 4, 0),
                                               write_of(kEnable3 + 8, 0), write_of(kEnable3 + 12, 0),
                                               write_of(kThreshold3, 0)});
    auto unknown = fixture.plic.initialise_cpu(CpuHardwareId{7});
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error() == ControllerError::UnknownCpu);
}

TEST_CASE("PLIC initialise refuses configurations it cannot drive") {
    FakePlicRegisters registers;
    Plic plic;
    auto refused = [&](PlicConfiguration configuration) {
        auto result = plic.initialise(configuration);
        REQUIRE_FALSE(result.ok());
        return result.error();
    };
    PlicConfiguration good = qemu_configuration(registers);

    PlicConfiguration no_window = good;
    no_window.registers = tessera::RegisterWindow();
    CHECK(refused(no_window) == PlicSetupError::NoRegisters);

    for (u32 count : {0u, 1024u}) {
        PlicConfiguration sources = good;
        sources.source_count = count;
        CHECK(refused(sources) == PlicSetupError::SourceCountOutOfRange);
    }

    PlicConfiguration no_contexts = good;
    no_contexts.cpu_contexts = {};
    CHECK(refused(no_contexts) == PlicSetupError::NoCpuContexts);

    const PlicCpuContext beyond[] = {{kHart0, 15872}};
    PlicConfiguration far = good;
    far.cpu_contexts = kstd::Span<const PlicCpuContext>(beyond);
    CHECK(refused(far) == PlicSetupError::ContextOutOfRange);

    // Context 1's claim register ends at 0x201008.
    FakePlicRegisters small(0x201004);
    PlicConfiguration too_small = qemu_configuration(small);
    CHECK(refused(too_small) == PlicSetupError::WindowTooSmall);

    const PlicCpuContext twice[] = {{kHart0, 1}, {kHart0, 3}};
    PlicConfiguration duplicate = good;
    duplicate.cpu_contexts = kstd::Span<const PlicCpuContext>(twice);
    CHECK(refused(duplicate) == PlicSetupError::DuplicateCpu);

    CHECK(registers.journal().empty()); // nothing touched before the configuration checks out

    FakePlicRegisters hardwired(FakePlicRegisters::kDefaultSize, 0);
    CHECK(refused(qemu_configuration(hardwired)) == PlicSetupError::NoPriorityLevels);
}

TEST_CASE("PLIC bind sets the line's enable bit in the CPU's context, keeping the others") {
    InitialisedPlic fixture;
    REQUIRE(fixture.plic.bind(3, kHart0).ok());
    REQUIRE(fixture.plic.bind(10, kHart0).ok());
    REQUIRE(fixture.plic.bind(33, kHart1).ok()); // the second word, bit 1
    // Each enable is followed by its context's threshold, written back unchanged (see below).
    CHECK(fixture.registers.writes() == Writes{write_of(kEnable1, 1u << 3), write_of(kThreshold1, 0),
                                               write_of(kEnable1, (1u << 3) | (1u << 10)), write_of(kThreshold1, 0),
                                               write_of(kEnable3 + 4, 1u << 1), write_of(kThreshold3, 0)});
    auto status = fixture.plic.line_status(10);
    REQUIRE(status.ok());
    CHECK(status.value().target.has_value());
    CHECK(*status.value().target == kHart0);
    CHECK_FALSE(status.value().masked);

    auto again = fixture.plic.bind(10, kHart1);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error() == ControllerError::LineAlreadyBound);
}

TEST_CASE("PLIC unbind clears the enable bit; an unbound line cannot be unbound") {
    InitialisedPlic fixture;
    REQUIRE(fixture.plic.bind(3, kHart0).ok());
    REQUIRE(fixture.plic.bind(10, kHart0).ok());
    fixture.registers.forget();
    REQUIRE(fixture.plic.unbind(10).ok());
    CHECK(fixture.registers.writes() == Writes{write_of(kEnable1, 1u << 3)});
    CHECK_FALSE(fixture.plic.line_status(10).value().target.has_value());
    auto twice = fixture.plic.unbind(10);
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.error() == ControllerError::LineNotBound);
}

TEST_CASE("PLIC mask and unmask clear and set the enable bit of the bound context") {
    InitialisedPlic fixture;
    REQUIRE(fixture.plic.bind(10, kHart0).ok());
    fixture.registers.forget();
    REQUIRE(fixture.plic.mask(10).ok());
    REQUIRE(fixture.plic.mask(10).ok()); // masking twice changes nothing more
    CHECK(fixture.plic.line_status(10).value().masked);
    REQUIRE(fixture.plic.unmask(10).ok());
    CHECK(fixture.registers.writes() ==
          Writes{write_of(kEnable1, 0), write_of(kEnable1, 1u << 10), write_of(kThreshold1, 0)});
    CHECK_FALSE(fixture.plic.line_status(10).value().masked);
}

TEST_CASE("PLIC keeps routing and masking apart") {
    InitialisedPlic fixture;
    SECTION("a line masked before it is bound is not enabled by bind, only by unmask") {
        REQUIRE(fixture.plic.mask(10).ok());
        REQUIRE(fixture.plic.bind(10, kHart0).ok());
        CHECK(fixture.registers.writes().empty());
        REQUIRE(fixture.plic.unmask(10).ok());
        CHECK(fixture.registers.writes() == Writes{write_of(kEnable1, 1u << 10), write_of(kThreshold1, 0)});
    }
    SECTION("unmasking an unbound line routes it nowhere") {
        REQUIRE(fixture.plic.mask(10).ok());
        REQUIRE(fixture.plic.unmask(10).ok());
        CHECK(fixture.registers.writes().empty());
    }
    SECTION("a masked line moves without being enabled anywhere") {
        REQUIRE(fixture.plic.bind(10, kHart0).ok());
        REQUIRE(fixture.plic.mask(10).ok());
        fixture.registers.forget();
        REQUIRE(fixture.plic.set_target(10, kHart1).ok());
        CHECK(fixture.registers.writes().empty());
        REQUIRE(fixture.plic.unmask(10).ok());
        CHECK(fixture.registers.writes() == Writes{write_of(kEnable3, 1u << 10), write_of(kThreshold3, 0)});
    }
}

TEST_CASE("PLIC set_target moves a line off the old context before onto the new") {
    InitialisedPlic fixture;
    REQUIRE(fixture.plic.bind(10, kHart0).ok());
    fixture.registers.forget();
    REQUIRE(fixture.plic.set_target(10, kHart1).ok());
    CHECK(fixture.registers.writes() ==
          Writes{write_of(kEnable1, 0), write_of(kEnable3, 1u << 10), write_of(kThreshold3, 0)});
    CHECK(*fixture.plic.line_status(10).value().target == kHart1);
    fixture.registers.forget();
    REQUIRE(fixture.plic.set_target(10, kHart1).ok()); // already there
    CHECK(fixture.registers.writes().empty());

    auto unbound = fixture.plic.set_target(11, kHart1);
    REQUIRE_FALSE(unbound.ok());
    CHECK(unbound.error() == ControllerError::LineNotBound);
}

TEST_CASE("PLIC enabling a line writes its context's threshold back unchanged, for QEMU to deliver a pending line") {
    // QEMU's PLIC re-evaluates the hart's interrupt on a threshold write but not on an
    // enable write, so a line that became pending while masked would otherwise wait.
    InitialisedPlic fixture;
    REQUIRE(fixture.plic.set_priority_threshold(kHart0, 3).ok());
    REQUIRE(fixture.plic.bind(10, kHart0).ok());
    REQUIRE(fixture.plic.mask(10).ok());
    fixture.registers.forget();
    REQUIRE(fixture.plic.unmask(10).ok());
    CHECK(fixture.registers.journal() == std::vector<RegisterAccess>{tessera_test::read_of(kEnable1, 0),
                                                                     write_of(kEnable1, 1u << 10),
                                                                     tessera_test::read_of(kThreshold1, 3),
                                                                     write_of(kThreshold1, 3)});
}

TEST_CASE("PLIC priorities and thresholds are written as given, up to the highest level") {
    InitialisedPlic fixture;
    REQUIRE(fixture.plic.set_priority(10, 5).ok());
    REQUIRE(fixture.plic.set_priority(96, 7).ok());
    REQUIRE(fixture.plic.set_priority_threshold(kHart0, 3).ok());
    REQUIRE(fixture.plic.set_priority_threshold(kHart1, 0).ok());
    CHECK(fixture.registers.writes() ==
          Writes{write_of(0x28, 5), write_of(0x180, 7), write_of(kThreshold1, 3), write_of(kThreshold3, 0)});
    CHECK(fixture.plic.line_status(10).value().priority == 5);

    fixture.registers.forget();
    auto too_high = fixture.plic.set_priority(10, 8);
    REQUIRE_FALSE(too_high.ok());
    CHECK(too_high.error() == ControllerError::PriorityOutOfRange);
    auto threshold_too_high = fixture.plic.set_priority_threshold(kHart0, 8);
    REQUIRE_FALSE(threshold_too_high.ok());
    CHECK(threshold_too_high.error() == ControllerError::PriorityOutOfRange);
    CHECK(fixture.registers.journal().empty());
}

TEST_CASE("PLIC claim reads the context's claim register; 0 means nothing pending") {
    InitialisedPlic fixture;
    fixture.registers.queue_claims(1, {10});
    fixture.registers.queue_claims(3, {33});
    auto first = fixture.plic.claim(kHart0);
    REQUIRE(first.ok());
    REQUIRE(first.value().has_value());
    CHECK(*first.value() == 10);
    auto empty = fixture.plic.claim(kHart0);
    REQUIRE(empty.ok());
    CHECK_FALSE(empty.value().has_value());
    auto other = fixture.plic.claim(kHart1);
    REQUIRE(other.ok());
    CHECK(*other.value() == 33);
    CHECK(fixture.registers.journal() == Writes{read_of(kClaim1, 10), read_of(kClaim1, 0), read_of(kClaim3, 33)});

    auto unknown = fixture.plic.claim(CpuHardwareId{2});
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error() == ControllerError::UnknownCpu);
}

TEST_CASE("PLIC complete writes the line to the claim register, enabling a masked line for that write") {
    InitialisedPlic fixture;
    REQUIRE(fixture.plic.bind(3, kHart0).ok());
    REQUIRE(fixture.plic.bind(10, kHart0).ok());
    fixture.registers.forget();

    SECTION("an enabled line completes with one write") {
        REQUIRE(fixture.plic.complete(kHart0, 10).ok());
        CHECK(fixture.registers.writes() == Writes{write_of(kClaim1, 10)});
    }
    SECTION("a masked line is enabled around the completion, since the PLIC ignores it otherwise") {
        REQUIRE(fixture.plic.mask(10).ok());
        fixture.registers.forget();
        REQUIRE(fixture.plic.complete(kHart0, 10).ok());
        CHECK(fixture.registers.writes() ==
              Writes{write_of(kEnable1, (1u << 3) | (1u << 10)), write_of(kClaim1, 10), write_of(kEnable1, 1u << 3)});
        CHECK(fixture.plic.line_status(10).value().masked);
    }
    SECTION("a line moved since its claim is completed in the claiming context") {
        REQUIRE(fixture.plic.set_target(10, kHart1).ok());
        fixture.registers.forget();
        REQUIRE(fixture.plic.complete(kHart0, 10).ok());
        CHECK(fixture.registers.writes() ==
              Writes{write_of(kEnable1, (1u << 3) | (1u << 10)), write_of(kClaim1, 10), write_of(kEnable1, 1u << 3)});
    }
}

TEST_CASE("PLIC refuses line 0, lines beyond the last source and unknown CPUs without touching a register") {
    InitialisedPlic fixture;
    auto expect_error = [](auto result, ControllerError error) {
        REQUIRE_FALSE(result.ok());
        CHECK(result.error() == error);
    };
    for (auto [line, error] :
         {std::pair{0u, ControllerError::ReservedLine}, std::pair{97u, ControllerError::LineOutOfRange},
          std::pair{0xffffffffu, ControllerError::LineOutOfRange}}) {
        INFO("line " << line);
        expect_error(fixture.plic.bind(line, kHart0), error);
        expect_error(fixture.plic.unbind(line), error);
        expect_error(fixture.plic.set_target(line, kHart0), error);
        expect_error(fixture.plic.mask(line), error);
        expect_error(fixture.plic.unmask(line), error);
        expect_error(fixture.plic.set_priority(line, 1), error);
        expect_error(fixture.plic.set_trigger_mode(line, TriggerMode::Edge), error);
        expect_error(fixture.plic.complete(kHart0, line), error);
        expect_error(fixture.plic.line_status(line), error);
    }
    CpuHardwareId nobody{5};
    expect_error(fixture.plic.bind(10, nobody), ControllerError::UnknownCpu);
    expect_error(fixture.plic.complete(nobody, 10), ControllerError::UnknownCpu);
    expect_error(fixture.plic.set_priority_threshold(nobody, 0), ControllerError::UnknownCpu);
    REQUIRE(fixture.plic.bind(10, kHart0).ok());
    fixture.registers.forget();
    expect_error(fixture.plic.set_target(10, nobody), ControllerError::UnknownCpu);
    CHECK(fixture.registers.journal().empty());
    CHECK(*fixture.plic.line_status(10).value().target == kHart0);
}

TEST_CASE("PLIC records trigger modes, refuses values outside the enum, and has no MSI") {
    InitialisedPlic fixture;
    CHECK(fixture.plic.line_status(10).value().trigger_mode == TriggerMode::LevelHigh);
    REQUIRE(fixture.plic.set_trigger_mode(10, TriggerMode::Edge).ok());
    CHECK(fixture.plic.line_status(10).value().trigger_mode == TriggerMode::Edge);
    auto invalid = fixture.plic.set_trigger_mode(10, static_cast<TriggerMode>(9));
    REQUIRE_FALSE(invalid.ok());
    CHECK(invalid.error() == ControllerError::InvalidTriggerMode);
    CHECK(fixture.plic.line_status(10).value().trigger_mode == TriggerMode::Edge);

    auto msi = fixture.plic.configure_msi(1, kHart0);
    REQUIRE_FALSE(msi.ok());
    CHECK(msi.error() == ControllerError::MsiUnsupported);
    CHECK(fixture.registers.writes().empty());
}

TEST_CASE("PLIC line status reads the pending bit and the priority from the registers") {
    InitialisedPlic fixture;
    fixture.registers.preset(0x1000, 1u << 10);        // source 10 pending
    fixture.registers.preset(0x1004, 1u << (33 % 32)); // source 33 pending
    REQUIRE(fixture.plic.set_priority(33, 2).ok());
    CHECK(fixture.plic.line_status(10).value().pending);
    CHECK_FALSE(fixture.plic.line_status(11).value().pending);
    CHECK(fixture.plic.line_status(33).value().pending);
    CHECK(fixture.plic.line_status(33).value().priority == 2);
}
