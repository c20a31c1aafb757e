// IrqDispatcher and VirtualIrq: the core's interrupt routing. Order and claiming decide
// which driver sees an interrupt; refusals keep exclusive handlers exclusive.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <irq/dispatcher.hpp>

using tessera::HandlerFlags;
using tessera::IrqCategory;
using tessera::IrqDispatcher;
using tessera::IrqHandled;
using tessera::RegisterError;
using tessera::VirtualIrq;

namespace {

// Each handler appends its name to the journal and answers as told.
struct Probe {
    std::vector<std::string>* journal;
    std::string name;
    IrqHandled answer;
    VirtualIrq last_irq{0};
};

IrqHandled probe_handler(VirtualIrq irq, void* context) {
    auto* probe = static_cast<Probe*>(context);
    probe->journal->push_back(probe->name);
    probe->last_irq = irq;
    return probe->answer;
}

IrqHandled other_handler(VirtualIrq irq, void* context) { return probe_handler(irq, context); }

constexpr VirtualIrq kLine5 = VirtualIrq::wired_line(5);

} // namespace

TEST_CASE("IrqDispatcher runs shared handlers in priority order, highest first") {
    IrqDispatcher dispatcher;
    std::vector<std::string> journal;
    Probe low{&journal, "low", IrqHandled::No}, high{&journal, "high", IrqHandled::No},
        middle{&journal, "middle", IrqHandled::No};
    REQUIRE(dispatcher.register_handler(kLine5, probe_handler, &low, 1, HandlerFlags::Shared).ok());
    REQUIRE(dispatcher.register_handler(kLine5, probe_handler, &high, 200, HandlerFlags::Shared).ok());
    REQUIRE(dispatcher.register_handler(kLine5, probe_handler, &middle, 50, HandlerFlags::Shared).ok());
    CHECK_FALSE(dispatcher.dispatch(kLine5)); // nobody claims it: spurious
    CHECK(journal == std::vector<std::string>{"high", "middle", "low"});
    CHECK(high.last_irq == kLine5);
}

TEST_CASE("IrqDispatcher keeps registration order among equal priorities") {
    IrqDispatcher dispatcher;
    std::vector<std::string> journal;
    Probe first{&journal, "first", IrqHandled::No}, second{&journal, "second", IrqHandled::No};
    REQUIRE(dispatcher.register_handler(kLine5, probe_handler, &first, 7, HandlerFlags::Shared).ok());
    REQUIRE(dispatcher.register_handler(kLine5, probe_handler, &second, 7, HandlerFlags::Shared).ok());
    dispatcher.dispatch(kLine5);
    CHECK(journal == std::vector<std::string>{"first", "second"});
}

TEST_CASE("IrqDispatcher stops at the first handler that claims the interrupt") {
    IrqDispatcher dispatcher;
    std::vector<std::string> journal;
    Probe a{&journal, "a", IrqHandled::No}, b{&journal, "b", IrqHandled::Yes}, c{&journal, "c", IrqHandled::Yes};
    REQUIRE(dispatcher.register_handler(kLine5, probe_handler, &a, 30, HandlerFlags::Shared).ok());
    REQUIRE(dispatcher.register_handler(kLine5, probe_handler, &b, 20, HandlerFlags::Shared).ok());
    REQUIRE(dispatcher.register_handler(kLine5, probe_handler, &c, 10, HandlerFlags::Shared).ok());
    CHECK(dispatcher.dispatch(kLine5));
    CHECK(journal == std::vector<std::string>{"a", "b"});
}

TEST_CASE("IrqDispatcher dispatches only the handlers of the interrupt raised") {
    IrqDispatcher dispatcher;
    std::vector<std::string> journal;
    Probe line{&journal, "line", IrqHandled::Yes}, timer{&journal, "timer", IrqHandled::Yes};
    REQUIRE(dispatcher.register_handler(kLine5, probe_handler, &line, 1, HandlerFlags::None).ok());
    REQUIRE(dispatcher.register_handler(tessera::kIrqLocalTimer, probe_handler, &timer, 1, HandlerFlags::None).ok());
    CHECK(dispatcher.dispatch(tessera::kIrqLocalTimer));
    CHECK(journal == std::vector<std::string>{"timer"});
    CHECK_FALSE(dispatcher.dispatch(VirtualIrq::wired_line(6)));
    CHECK(journal.size() == 1);
}

TEST_CASE("IrqDispatcher refuses to share with or as an exclusive handler") {
    IrqDispatcher dispatcher;
    std::vector<std::string> journal;
    Probe exclusive{&journal, "exclusive", IrqHandled::Yes}, other{&journal, "other", IrqHandled::Yes};
    REQUIRE(dispatcher.register_handler(kLine5, probe_handler, &exclusive, 1, HandlerFlags::None).ok());
    auto shared = dispatcher.register_handler(kLine5, probe_handler, &other, 1, HandlerFlags::Shared);
    REQUIRE_FALSE(shared.ok());
    CHECK(shared.error() == RegisterError::NotShareable);
    auto second_exclusive = dispatcher.register_handler(kLine5, probe_handler, &other, 1, HandlerFlags::None);
    REQUIRE_FALSE(second_exclusive.ok());
    CHECK(second_exclusive.error() == RegisterError::NotShareable);
    CHECK(dispatcher.handler_count(kLine5) == 1);

    IrqDispatcher reverse;
    REQUIRE(reverse.register_handler(kLine5, probe_handler, &other, 1, HandlerFlags::Shared).ok());
    auto exclusive_after_shared = reverse.register_handler(kLine5, probe_handler, &exclusive, 1, HandlerFlags::None);
    REQUIRE_FALSE(exclusive_after_shared.ok());
    CHECK(exclusive_after_shared.error() == RegisterError::NotShareable);
}

TEST_CASE("IrqDispatcher refuses invalid interrupts and null handlers") {
    IrqDispatcher dispatcher;
    auto invalid = dispatcher.register_handler(VirtualIrq{0x2100}, other_handler, nullptr, 1, HandlerFlags::None);
    REQUIRE_FALSE(invalid.ok());
    CHECK(invalid.error() == RegisterError::InvalidIrq);
    auto null_function = dispatcher.register_handler(kLine5, nullptr, nullptr, 1, HandlerFlags::None);
    REQUIRE_FALSE(null_function.ok());
    CHECK(null_function.error() == RegisterError::InvalidIrq);
    CHECK(dispatcher.handler_count(kLine5) == 0);
}

TEST_CASE("IrqDispatcher reports TableFull when every slot is taken") {
    IrqDispatcher dispatcher;
    std::vector<std::string> journal;
    Probe probe{&journal, "p", IrqHandled::No};
    for (u16 line = 0; line < IrqDispatcher::kCapacity; ++line)
        REQUIRE(dispatcher.register_handler(VirtualIrq::wired_line(line), probe_handler, &probe, 1, HandlerFlags::None).ok());
    auto full = dispatcher.register_handler(VirtualIrq::wired_line(100), probe_handler, &probe, 1, HandlerFlags::None);
    REQUIRE_FALSE(full.ok());
    CHECK(full.error() == RegisterError::TableFull);
    CHECK(dispatcher.handler_count(VirtualIrq::wired_line(100)) == 0);
}

TEST_CASE("IrqDispatcher check_register answers what register_handler would, changing nothing") {
    IrqDispatcher dispatcher;
    std::vector<std::string> journal;
    Probe probe{&journal, "p", IrqHandled::No};
    CHECK(dispatcher.check_register(kLine5, HandlerFlags::None).ok());
    CHECK(dispatcher.check_register(VirtualIrq{0x2100}, HandlerFlags::None).error() == RegisterError::InvalidIrq);
    REQUIRE(dispatcher.register_handler(kLine5, probe_handler, &probe, 1, HandlerFlags::Shared).ok());
    CHECK(dispatcher.check_register(kLine5, HandlerFlags::None).error() == RegisterError::NotShareable);
    CHECK(dispatcher.check_register(kLine5, HandlerFlags::Shared).ok());
    for (u16 line = 1; line < IrqDispatcher::kCapacity; ++line)
        REQUIRE(dispatcher.register_handler(VirtualIrq::wired_line(100 + line), probe_handler, &probe, 1,
                                            HandlerFlags::None)
                    .ok());
    CHECK(dispatcher.check_register(kLine5, HandlerFlags::Shared).error() == RegisterError::TableFull);
    CHECK(dispatcher.handler_count(kLine5) == 1);
}

TEST_CASE("IrqDispatcher unregister removes exactly the matching handler") {
    IrqDispatcher dispatcher;
    std::vector<std::string> journal;
    Probe a{&journal, "a", IrqHandled::No}, b{&journal, "b", IrqHandled::No};
    REQUIRE(dispatcher.register_handler(kLine5, probe_handler, &a, 2, HandlerFlags::Shared).ok());
    REQUIRE(dispatcher.register_handler(kLine5, probe_handler, &b, 1, HandlerFlags::Shared).ok());
    REQUIRE(dispatcher.register_handler(kLine5, other_handler, &a, 0, HandlerFlags::Shared).ok());
    dispatcher.unregister_handler(kLine5, probe_handler, &b);       // matches function and context
    dispatcher.unregister_handler(kLine5, probe_handler, &journal); // matches nothing
    dispatcher.unregister_handler(VirtualIrq::wired_line(6), probe_handler, &a);
    CHECK(dispatcher.handler_count(kLine5) == 2);
    dispatcher.dispatch(kLine5);
    CHECK(journal == std::vector<std::string>{"a", "a"});

    // With the last one gone, an exclusive handler may register again.
    dispatcher.unregister_handler(kLine5, probe_handler, &a);
    dispatcher.unregister_handler(kLine5, other_handler, &a);
    CHECK(dispatcher.handler_count(kLine5) == 0);
    CHECK(dispatcher.register_handler(kLine5, probe_handler, &b, 1, HandlerFlags::None).ok());
}

TEST_CASE("VirtualIrq categories follow the number ranges") {
    CHECK(VirtualIrq{0x0000}.category() == IrqCategory::Exception);
    CHECK(VirtualIrq{0x00ff}.category() == IrqCategory::Exception);
    CHECK(VirtualIrq{0x0100}.category() == IrqCategory::WiredLine);
    CHECK(VirtualIrq::wired_line(1023).category() == IrqCategory::WiredLine);
    CHECK(VirtualIrq{0x0fff}.category() == IrqCategory::WiredLine);
    CHECK(VirtualIrq{0x1000}.category() == IrqCategory::Msi);
    CHECK(VirtualIrq{0x1fff}.category() == IrqCategory::Msi);
    CHECK(VirtualIrq{0x2000}.category() == IrqCategory::Software);
    CHECK(VirtualIrq{0x20ff}.category() == IrqCategory::Software);
    CHECK(VirtualIrq{0x2100}.category() == IrqCategory::Invalid);
    CHECK(VirtualIrq{0x2fff}.category() == IrqCategory::Invalid);
    CHECK(VirtualIrq{0x3000}.category() == IrqCategory::Platform);
    CHECK(VirtualIrq{0x30ff}.category() == IrqCategory::Platform);
    CHECK(VirtualIrq{0x3100}.category() == IrqCategory::Invalid);
    CHECK(VirtualIrq{0x7fff}.category() == IrqCategory::Invalid);
    CHECK(VirtualIrq{0x8000}.category() == IrqCategory::User);
    CHECK(VirtualIrq{0xffff}.category() == IrqCategory::User);
    CHECK(tessera::kIrqLocalTimer.category() == IrqCategory::Platform);
    CHECK(tessera::kIrqControllerExternal.category() == IrqCategory::Platform);
    CHECK(tessera::kIrqInterProcessor.category() == IrqCategory::Software);
    CHECK(VirtualIrq::wired_line(7).value == 0x107);
}
