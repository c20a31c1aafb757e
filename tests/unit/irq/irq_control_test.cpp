// IrqControl.Get: what a new handler is (a capability under IrqControl, the line routed,
// unmasked, at priority 1, with one kernel handler per line), and every refusal, each of
// which changes nothing: no capability, no register written, no handler made.
#include "irq_fixture.hpp"

using namespace irqtest;

namespace {

constexpr u64 kOther = 21;

// No capability, register, record or registration changed while it lives.
struct NothingChanged {
    explicit NothingChanged(IrqKernel& k) : kernel(k), caps(k), handlers(count(k)), lines(registrations(k)) {
        k.registers.forget();
    }
    ~NothingChanged() {
        CHECK(kernel.registers.writes().empty());
        CHECK(count(kernel) == handlers);
        CHECK(registrations(kernel) == lines);
    }
    static usize count(IrqKernel& k) {
        usize n = 0;
        for (u32 i = 0; i < IrqHandlerTable::kCapacity; ++i) n += k.table().record(i).in_use;
        return n;
    }
    static usize registrations(IrqKernel& k) {
        usize n = 0;
        for (u16 line = 0; line <= kSources; ++line) n += k.dispatcher.handler_count(VirtualIrq::wired_line(line));
        return n;
    }
    IrqKernel& kernel;
    Unchanged caps;
    usize handlers;
    usize lines;
};

} // namespace

TEST_CASE("IrqControl.Get makes an IrqHandler under IrqControl and routes its line unmasked at priority 1") {
    IrqKernel k;
    REQUIRE(k.get(10, kLevelHigh, 0, kHandler) == success());
    const Capability& cap = k.cap(kHandler);
    CHECK(cap.type() == CapType::IrqHandler);
    CHECK(cap.irq_line() == 10);
    CHECK(is_child_of(k.slot(kIrqControl), k.slot(kHandler)));
    CHECK(k.slot(kHandler).revocable());
    CHECK(k.priority_register(10) == 1);
    CHECK(k.delivers(10));
    auto line = k.plic.line_status(10).value();
    REQUIRE(line.target.has_value());
    CHECK(*line.target == kHart);
    CHECK_FALSE(line.masked);
    CHECK(line.trigger_mode == TriggerMode::LevelHigh);
    CHECK(k.dispatcher.handler_count(VirtualIrq::wired_line(10)) == 1);
    CHECK(k.status(kHandler) == Status{0, 0, 0, 0, 10, 0, 0});

    // Each trigger mode reaches the controller.
    REQUIRE(k.get(11, kEdge, 0, kOther) == success());
    CHECK(k.plic.line_status(11).value().trigger_mode == TriggerMode::Edge);
    REQUIRE(k.get(1, kLevelLow, 1, 22) == success());
    CHECK(k.plic.line_status(1).value().trigger_mode == TriggerMode::LevelLow);
    CHECK(k.status(22) == Status{0, 0, 0, 0, 1, 1, 0});
}

TEST_CASE("IrqControl.Get: shared handlers of one line are distinct objects with one kernel handler") {
    IrqKernel k;
    REQUIRE(k.get(10, kLevelHigh, 1, kHandler) == success());
    k.registers.forget();
    REQUIRE(k.get(10, kLevelHigh, 1, kOther) == success());
    CHECK(k.registers.writes().empty()); // the line is routed already
    CHECK(k.cap(kHandler).irq_handler_record() != k.cap(kOther).irq_handler_record());
    CHECK(k.table().handlers_on(10) == 2);
    CHECK(k.dispatcher.handler_count(VirtualIrq::wired_line(10)) == 1);
    // A copy is the same handler.
    REQUIRE(k.copy(22, kHandler) == success());
    CHECK(k.table().handlers_on(10) == 2);
    CHECK(k.status(22).shared == 1);
}

TEST_CASE("IrqControl.Get refuses a short message, a line the controller or the tree lacks, bad values") {
    IrqKernel k;
    NothingChanged nothing(k);
    CHECK(k.call(kIrqControl, InvocationLabel::IrqControlGet, {10, kLevelHigh, 0, kHandler},
                 {Kernel::kRootCNodeSlot}) == error(ErrorCode::TruncatedMessage));
    CHECK(k.call(kIrqControl, InvocationLabel::IrqControlGet, {10, kLevelHigh, 0, kHandler, 64}) ==
          error(ErrorCode::TruncatedMessage));
    CHECK(k.get(0, kLevelHigh, 0, kHandler) == error(ErrorCode::RangeError, {1, kSources}));
    CHECK(k.get(kSources + 1, kLevelHigh, 0, kHandler) == error(ErrorCode::RangeError, {1, kSources}));
    CHECK(k.get(u64{1} << 32 | 10, kLevelHigh, 0, kHandler) == error(ErrorCode::RangeError, {1, kSources}));
    // Line 9 exists at the controller, but no device node names it.
    CHECK(k.get(9, kLevelHigh, 0, kHandler) == error(ErrorCode::InvalidArgument, {0}));
    CHECK(k.get(10, 3, 0, kHandler) == error(ErrorCode::InvalidArgument, {1}));
    CHECK(k.get(10, kLevelHigh, 2, kHandler) == error(ErrorCode::InvalidArgument, {2}));
    CHECK(k.call(kIrqControl, InvocationLabel::IrqControlGet, {10, kLevelHigh, 0, kHandler, 0},
                 {Kernel::kRootCNodeSlot}) == error(ErrorCode::RangeError, {1, 64}));
    CHECK(k.call(kIrqControl, InvocationLabel::IrqHandlerAck, {10, kLevelHigh, 0, kHandler, 64},
                 {Kernel::kRootCNodeSlot}) == error(ErrorCode::IllegalOperation));
}

TEST_CASE("IrqControl.Get refuses a bad destination as CNode operations do") {
    IrqKernel k;
    k.make_endpoint(kOther);
    NothingChanged nothing(k);
    CHECK(k.get(10, kLevelHigh, 0, kOther) == error(ErrorCode::DeleteFirst));
    // A destination root that is no CNode.
    CHECK(k.call(kIrqControl, InvocationLabel::IrqControlGet, {10, kLevelHigh, 0, kHandler, 64}, {kOther}) ==
          lookup_error(false, LookupFailureType::InvalidRoot));
    // A depth the root CNode does not end at.
    CHECK(k.call(kIrqControl, InvocationLabel::IrqControlGet, {10, kLevelHigh, 0, kHandler, 32},
                 {Kernel::kRootCNodeSlot}) == lookup_error(false, LookupFailureType::GuardMismatch, {32, 0, 52}));
}

TEST_CASE("IrqControl.Get refuses a line in use: RevokeFirst for dedicated and shared conflicts") {
    IrqKernel k;
    REQUIRE(k.get(10, kLevelHigh, 0, kHandler) == success());
    REQUIRE(k.get(11, kLevelHigh, 1, kOther) == success());
    NothingChanged nothing(k);
    CHECK(k.get(10, kLevelHigh, 0, 30) == error(ErrorCode::RevokeFirst)); // dedicated, asked dedicated
    CHECK(k.get(10, kLevelHigh, 1, 30) == error(ErrorCode::RevokeFirst)); // dedicated, asked shared
    CHECK(k.get(11, kLevelHigh, 0, 30) == error(ErrorCode::RevokeFirst)); // shared, asked dedicated
    // Shared with another trigger mode: the handlers' mode is the line's.
    CHECK(k.get(11, kEdge, 1, 30) == error(ErrorCode::InvalidArgument, {1}));
    CHECK(k.get(11, kLevelLow, 1, 30) == error(ErrorCode::InvalidArgument, {1}));
}

TEST_CASE("IrqControl.Get refuses a line a kernel handler holds") {
    IrqKernel k;
    IrqHandlerFunction kernel_handler = [](VirtualIrq, void*) { return IrqHandled::Yes; };
    REQUIRE(k.dispatcher.register_handler(VirtualIrq::wired_line(10), kernel_handler, nullptr, 1, HandlerFlags::None)
                .ok());
    NothingChanged nothing(k);
    CHECK(k.get(10, kLevelHigh, 0, kHandler) == error(ErrorCode::RevokeFirst));
}

TEST_CASE("IrqControl.Get: a full handler table or dispatcher is NotEnoughMemory (0 bytes)") {
    IrqKernel k;
    SECTION("every record in use") {
        for (u64 i = 0; i < IrqHandlerTable::kCapacity; ++i) REQUIRE(k.get(10, kLevelHigh, 1, 100 + i) == success());
        NothingChanged nothing(k);
        CHECK(k.get(10, kLevelHigh, 1, 30) == error(ErrorCode::NotEnoughMemory, {0}));
        CHECK(k.get(11, kLevelHigh, 0, 30) == error(ErrorCode::NotEnoughMemory, {0}));
    }
    SECTION("one line per dispatcher registration") {
        u64 lines = 0;
        for (u32 line = 40; line < 40 + IrqDispatcher::kCapacity; ++line, ++lines)
            REQUIRE(k.get(line, kLevelHigh, 1, 100 + lines) == success());
        {
            NothingChanged nothing(k);
            CHECK(k.get(10, kLevelHigh, 0, 30) == error(ErrorCode::NotEnoughMemory, {0}));
        }
        // Another handler of a line that has its registration needs none.
        REQUIRE(k.get(40, kLevelHigh, 1, 30) == success());
        // A line given up gives its registration back.
        REQUIRE(k.remove(101) == success());
        REQUIRE(k.get(10, kLevelHigh, 0, 31) == success());
    }
}

TEST_CASE("IrqControl.Get without a controller is an IllegalOperation") {
    IrqKernel k;
    k.table().reset();
    Unchanged unchanged(k);
    CHECK(k.get(10, kLevelHigh, 0, kHandler) == error(ErrorCode::IllegalOperation));
}
