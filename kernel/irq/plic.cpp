#include <irq/plic.hpp>

namespace tessera {

namespace layout = plic_layout;

kstd::Result<void, PlicSetupError> Plic::initialise(const PlicConfiguration& configuration) {
    if (!configuration.registers.valid()) return kstd::fail(PlicSetupError::NoRegisters);
    if (configuration.source_count == 0 || configuration.source_count > layout::kMaxSources)
        return kstd::fail(PlicSetupError::SourceCountOutOfRange);
    if (configuration.cpu_contexts.empty()) return kstd::fail(PlicSetupError::NoCpuContexts);
    if (configuration.cpu_contexts.size() > kMaxCpuContexts) return kstd::fail(PlicSetupError::TooManyCpuContexts);
    for (usize i = 0; i < configuration.cpu_contexts.size(); ++i) {
        const PlicCpuContext& entry = configuration.cpu_contexts[i];
        if (entry.context >= layout::kMaxContexts) return kstd::fail(PlicSetupError::ContextOutOfRange);
        if (layout::window_end_for_context(entry.context) > configuration.registers.size())
            return kstd::fail(PlicSetupError::WindowTooSmall);
        for (usize j = 0; j < i; ++j)
            if (configuration.cpu_contexts[j].cpu == entry.cpu) return kstd::fail(PlicSetupError::DuplicateCpu);
    }

    // Priority registers are WARL: writing all ones leaves the highest level implemented.
    const RegisterWindow& registers = configuration.registers;
    registers.write32(layout::priority(1), ~u32{0});
    u32 max_priority = registers.read32(layout::priority(1));
    registers.write32(layout::priority(1), 0);
    if (max_priority == 0) return kstd::fail(PlicSetupError::NoPriorityLevels);

    registers_ = registers;
    source_count_ = configuration.source_count;
    max_priority_ = max_priority;
    cpu_contexts_.clear();
    for (const PlicCpuContext& entry : configuration.cpu_contexts) (void)cpu_contexts_.push_back(entry);
    for (LineState& line : lines_) line = LineState{};
    for (u32 source = 2; source <= source_count_; ++source) registers_.write32(layout::priority(source), 0);
    for (const PlicCpuContext& entry : cpu_contexts_) clear_all_enable_bits(entry.context);
    return {};
}

ControllerResult<void> Plic::check_line(u32 line) const {
    if (line == 0) return kstd::fail(ControllerError::ReservedLine);
    if (line > source_count_) return kstd::fail(ControllerError::LineOutOfRange);
    return {};
}

ControllerResult<u16> Plic::cpu_slot_of(CpuHardwareId cpu) const {
    for (usize slot = 0; slot < cpu_contexts_.size(); ++slot)
        if (cpu_contexts_[slot].cpu == cpu) return static_cast<u16>(slot);
    return kstd::fail(ControllerError::UnknownCpu);
}

ControllerResult<u32> Plic::context_of(CpuHardwareId cpu) const { return cpu_contexts_[TRY(cpu_slot_of(cpu))].context; }

bool Plic::delivers(u32 line, u16 cpu_slot) const { return lines_[line].cpu_slot == cpu_slot && !lines_[line].masked; }

void Plic::set_enable_bit(u32 context, u32 line, bool enabled) {
    u64 word = layout::enable_word(context, line);
    u32 bits = registers_.read32(word);
    registers_.write32(word, enabled ? bits | layout::source_bit(line) : bits & ~layout::source_bit(line));
}

void Plic::open_delivery(u32 context, u32 line) {
    set_enable_bit(context, line, true);
    // QEMU's PLIC (7.2, and later versions as far as is known) re-evaluates the hart's
    // interrupt when a pending bit, a priority, a threshold, a claim or a completion
    // changes, but not an enable bit: a line that was pending while masked would wait for
    // some unrelated event. Writing the threshold back unchanged is such an event there,
    // and nothing at all on a PLIC that evaluates continuously, as the specification's does.
    u64 threshold = layout::threshold(context);
    registers_.write32(threshold, registers_.read32(threshold));
}

void Plic::clear_all_enable_bits(u32 context) {
    for (u32 first = 0; first <= source_count_; first += layout::kSourcesPerWord)
        registers_.write32(layout::enable_word(context, first), 0);
}

ControllerResult<void> Plic::initialise_cpu(CpuHardwareId cpu) {
    u16 slot = TRY(cpu_slot_of(cpu));
    for (LineState& line : lines_)
        if (line.cpu_slot == slot) line.cpu_slot = kUnbound;
    u32 context = cpu_contexts_[slot].context;
    clear_all_enable_bits(context);
    registers_.write32(layout::threshold(context), 0);
    return {};
}

ControllerResult<kstd::Optional<u32>> Plic::claim(CpuHardwareId cpu) {
    u32 context = cpu_contexts_[TRY(cpu_slot_of(cpu))].context;
    u32 line = registers_.read32(layout::claim_complete(context));
    if (line == 0) return kstd::Optional<u32>();
    return kstd::Optional<u32>(line);
}

ControllerResult<void> Plic::complete(CpuHardwareId cpu, u32 line) {
    TRY(check_line(line));
    u16 slot = TRY(cpu_slot_of(cpu));
    u32 context = cpu_contexts_[slot].context;
    if (delivers(line, slot)) {
        registers_.write32(layout::claim_complete(context), line);
        return {};
    }
    // Masked (or moved since the claim): the PLIC would drop this completion and the source
    // would never interrupt again, so it is enabled here for exactly the completing write.
    // The kernel completes with interrupts off, so the enable cannot be taken.
    set_enable_bit(context, line, true);
    registers_.write32(layout::claim_complete(context), line);
    set_enable_bit(context, line, false);
    return {};
}

ControllerResult<void> Plic::bind(u32 line, CpuHardwareId cpu) {
    TRY(check_line(line));
    u16 slot = TRY(cpu_slot_of(cpu));
    if (lines_[line].cpu_slot != kUnbound) return kstd::fail(ControllerError::LineAlreadyBound);
    lines_[line].cpu_slot = slot;
    if (!lines_[line].masked) open_delivery(cpu_contexts_[slot].context, line);
    return {};
}

ControllerResult<void> Plic::unbind(u32 line) {
    TRY(check_line(line));
    LineState& state = lines_[line];
    if (state.cpu_slot == kUnbound) return kstd::fail(ControllerError::LineNotBound);
    if (!state.masked) set_enable_bit(cpu_contexts_[state.cpu_slot].context, line, false);
    state.cpu_slot = kUnbound;
    return {};
}

ControllerResult<void> Plic::set_target(u32 line, CpuHardwareId cpu) {
    TRY(check_line(line));
    u16 slot = TRY(cpu_slot_of(cpu));
    LineState& state = lines_[line];
    if (state.cpu_slot == kUnbound) return kstd::fail(ControllerError::LineNotBound);
    if (state.cpu_slot == slot) return {};
    // Off the old context before on the new, so the line never reaches two CPUs at once.
    if (!state.masked) {
        set_enable_bit(cpu_contexts_[state.cpu_slot].context, line, false);
        open_delivery(cpu_contexts_[slot].context, line);
    }
    state.cpu_slot = slot;
    return {};
}

ControllerResult<void> Plic::mask(u32 line) {
    TRY(check_line(line));
    LineState& state = lines_[line];
    if (!state.masked && state.cpu_slot != kUnbound) set_enable_bit(cpu_contexts_[state.cpu_slot].context, line, false);
    state.masked = true;
    return {};
}

ControllerResult<void> Plic::unmask(u32 line) {
    TRY(check_line(line));
    LineState& state = lines_[line];
    if (state.masked && state.cpu_slot != kUnbound) open_delivery(cpu_contexts_[state.cpu_slot].context, line);
    state.masked = false;
    return {};
}

ControllerResult<void> Plic::set_trigger_mode(u32 line, TriggerMode mode) {
    TRY(check_line(line));
    switch (mode) {
    case TriggerMode::Edge:
    case TriggerMode::LevelHigh:
    case TriggerMode::LevelLow: lines_[line].trigger_mode = mode; return {};
    }
    return kstd::fail(ControllerError::InvalidTriggerMode);
}

ControllerResult<void> Plic::set_priority(u32 line, u32 priority) {
    TRY(check_line(line));
    if (priority > max_priority_) return kstd::fail(ControllerError::PriorityOutOfRange);
    registers_.write32(layout::priority(line), priority);
    return {};
}

ControllerResult<void> Plic::set_priority_threshold(CpuHardwareId cpu, u32 threshold) {
    u32 context = cpu_contexts_[TRY(cpu_slot_of(cpu))].context;
    if (threshold > max_priority_) return kstd::fail(ControllerError::PriorityOutOfRange);
    registers_.write32(layout::threshold(context), threshold);
    return {};
}

ControllerResult<MsiMessage> Plic::configure_msi(u32, CpuHardwareId) {
    return kstd::fail(ControllerError::MsiUnsupported);
}

ControllerResult<LineStatus> Plic::line_status(u32 line) const {
    TRY(check_line(line));
    const LineState& state = lines_[line];
    LineStatus status;
    if (state.cpu_slot != kUnbound) status.target = cpu_contexts_[state.cpu_slot].cpu;
    status.masked = state.masked;
    status.pending = (registers_.read32(layout::pending_word(line)) & layout::source_bit(line)) != 0;
    status.priority = registers_.read32(layout::priority(line));
    status.trigger_mode = state.trigger_mode;
    return status;
}

} // namespace tessera
