#include "irq_fixture.hpp"

namespace irqtest {

namespace {

const PlicCpuContext kContexts[] = {{kHart, kContext}};

} // namespace

u64 IrqKernel::clock = 0;

IrqKernel::IrqKernel() {
    PlicConfiguration configuration{registers.window(), kSources, kstd::Span<const PlicCpuContext>(kContexts)};
    REQUIRE(plic.initialise(configuration).ok());
    REQUIRE(plic.initialise_cpu(kHart).ok());
    for (u32 line = 1; line <= 8; ++line) REQUIRE(described.add(line));
    for (u32 line : {10u, 11u}) REQUIRE(described.add(line));
    for (u32 line = 40; line < 80; ++line) REQUIRE(described.add(line));
    clock = 1000;
    kernel_irq_handlers().configure(IrqHandlerEnvironment{&plic, &dispatcher, kHart, &described, [] { return clock; }});
    install_irq_finalisers();
    place_original(kIrqControl, Capability::irq_control());
    registers.forget();
}

IrqKernel::~IrqKernel() { kernel_irq_handlers().reset(); }

Reply IrqKernel::get(u64 line, u64 trigger, u64 shared, u64 dest) {
    return call(kIrqControl, InvocationLabel::IrqControlGet, {line, trigger, shared, dest, 64}, {kRootCNodeSlot});
}

Reply IrqKernel::set_notification(u64 handler, u64 notification) {
    return call(handler, InvocationLabel::IrqHandlerSetNotification, {}, {notification});
}

Reply IrqKernel::ack(u64 handler) { return call(handler, InvocationLabel::IrqHandlerAck, {}); }

Reply IrqKernel::clear(u64 handler) { return call(handler, InvocationLabel::IrqHandlerClear, {}); }

Reply IrqKernel::set_priority(u64 handler, u64 priority) {
    return call(handler, InvocationLabel::IrqHandlerSetPriority, {priority});
}

Status status_of(const std::vector<u64>& words) {
    REQUIRE(words.size() == kIrqStatusWords);
    auto at = [&](IrqStatusWord word) { return words[static_cast<u64>(word)]; };
    return Status{at(IrqStatusWord::Bound), at(IrqStatusWord::Masked),   at(IrqStatusWord::Delivered),
                  at(IrqStatusWord::LastTime), at(IrqStatusWord::Line), at(IrqStatusWord::Shared),
                  at(IrqStatusWord::AwaitingAck)};
}

Status IrqKernel::status(u64 handler) {
    std::vector<u64> words;
    CallOptions options;
    options.reply_words = &words;
    REQUIRE(call(handler, InvocationLabel::IrqHandlerGetStatus, {}, {}, options) == success());
    return status_of(words);
}

void IrqKernel::driver(u64 line, u64 slot, u64 notification, u64 badged, u64 badge, u64 shared) {
    REQUIRE(get(line, kLevelHigh, shared, slot) == success());
    make_notification(notification);
    REQUIRE(mint(badged, notification, Rights::kMask, badge) == success());
    REQUIRE(set_notification(slot, badged) == success());
}

void IrqKernel::interrupt(u32 line) {
    registers.queue_claims(kContext, {line});
    router.route_pending(kHart);
}

bool IrqKernel::delivers(u32 line) const {
    return (registers.peek(plic_layout::enable_word(kContext, line)) & plic_layout::source_bit(line)) != 0;
}

u32 IrqKernel::priority_register(u32 line) const { return registers.peek(plic_layout::priority(line)); }

} // namespace irqtest
