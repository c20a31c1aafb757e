#pragma once
// The RISC-V Platform-Level Interrupt Controller (riscv-plic-spec 1.0.0; device tree
// "riscv,plic0" / "sifive,plic-1.0.0"). Sources 1..N each have a priority; every hart
// mode that takes interrupts is a context with one enable bit per source, a priority
// threshold, and a claim/complete register. The kernel drives the supervisor context of
// each hart.
//
// Masking: the PLIC has no mask bit per source, so a line is masked by clearing its enable
// bit in the context it is bound to. That leaves the line's priority (chosen by its driver
// through SetPriority) untouched, and works on every PLIC, also those whose priorities are
// fixed in hardware. The price is in completion: the PLIC ignores a completion for a source
// not enabled in the completing context, and the kernel's flow (claim, mask, signal the
// driver, complete at once) completes a masked line. complete() therefore sets the enable
// bit for the one write and clears it again (see plic.cpp).
#include <irq/controller.hpp>
#include <irq/register_window.hpp>
#include <kstd/bounded_vector.hpp>
#include <kstd/span.hpp>

namespace tessera {

// The register map, as offsets from the start of the PLIC's window.
namespace plic_layout {

inline constexpr u32 kMaxSources = 1023;   // sources 1..1023; 0 means "no interrupt"
inline constexpr u32 kMaxContexts = 15872; // contexts 0..15871
inline constexpr u32 kSourcesPerWord = 32; // pending and enable bits, one per source

inline constexpr u64 kPriorityBase = 0x000000; // a 32-bit priority per source
inline constexpr u64 kPendingBase = 0x001000;  // a pending bit per source
inline constexpr u64 kEnableBase = 0x002000;   // per context: an enable bit per source
inline constexpr u64 kEnableStride = 0x80;
inline constexpr u64 kContextBase = 0x200000; // per context: threshold, claim/complete
inline constexpr u64 kContextStride = 0x1000;
inline constexpr u64 kThresholdOffset = 0x0;
inline constexpr u64 kClaimCompleteOffset = 0x4;
inline constexpr u64 kWindowSize = 0x4000000; // what the specification reserves

constexpr u64 priority(u32 source) { return kPriorityBase + 4 * u64{source}; }
constexpr u64 pending_word(u32 source) { return kPendingBase + 4 * u64{source / kSourcesPerWord}; }
constexpr u64 enable_word(u32 context, u32 source) {
    return kEnableBase + kEnableStride * context + 4 * u64{source / kSourcesPerWord};
}
constexpr u32 source_bit(u32 source) { return u32{1} << (source % kSourcesPerWord); }
constexpr u64 threshold(u32 context) { return kContextBase + kContextStride * context + kThresholdOffset; }
constexpr u64 claim_complete(u32 context) { return kContextBase + kContextStride * context + kClaimCompleteOffset; }
// The window must reach this far for the kernel to drive `context`.
constexpr u64 window_end_for_context(u32 context) { return claim_complete(context) + 4; }

// Each block ends before the next one starts, for the largest source and context.
static_assert(priority(kMaxSources) + 4 <= kPendingBase);
static_assert(pending_word(kMaxSources) + 4 <= kEnableBase);
static_assert(4 * ((kMaxSources + 1) / kSourcesPerWord) == kEnableStride); // one context's bits fill its stride
static_assert(enable_word(kMaxContexts - 1, kMaxSources) + 4 <= kContextBase);
static_assert(kThresholdOffset + 4 <= kClaimCompleteOffset && kClaimCompleteOffset + 4 <= kContextStride);
static_assert(window_end_for_context(kMaxContexts - 1) <= kWindowSize);
// Spot checks against the specification's table.
static_assert(enable_word(1, 0) == 0x2080 && threshold(1) == 0x201000 && claim_complete(1) == 0x201004);
static_assert(enable_word(15871, 992) == 0x1f1ffc && claim_complete(15871) == 0x3fff004);

} // namespace plic_layout

// Which PLIC context takes `cpu`'s supervisor external interrupt.
struct PlicCpuContext {
    CpuHardwareId cpu;
    u32 context = 0;
};

struct PlicConfiguration {
    RegisterWindow registers;
    u32 source_count = 0; // sources 1..source_count ("riscv,ndev")
    kstd::Span<const PlicCpuContext> cpu_contexts;
};

enum class PlicSetupError : u8 {
    NoRegisters,           // the window is not mapped
    SourceCountOutOfRange, // not 1..1023
    NoCpuContexts,         // no CPU has a supervisor context
    TooManyCpuContexts,
    ContextOutOfRange, // beyond the 15872 contexts the PLIC can have
    DuplicateCpu,      // two contexts named for one CPU
    WindowTooSmall,    // a context's registers lie beyond the mapped window
    NoPriorityLevels,  // the priority registers hold nothing but 0
};

constexpr kstd::StringView plic_setup_error_name(PlicSetupError error) {
    switch (error) {
    case PlicSetupError::NoRegisters: return "its registers are not mapped";
    case PlicSetupError::SourceCountOutOfRange: return "the source count is not 1..1023";
    case PlicSetupError::NoCpuContexts: return "no cpu has a supervisor context";
    case PlicSetupError::TooManyCpuContexts: return "more cpu contexts than the driver holds";
    case PlicSetupError::ContextOutOfRange: return "a context number is beyond 15871";
    case PlicSetupError::DuplicateCpu: return "a cpu has two supervisor contexts";
    case PlicSetupError::WindowTooSmall: return "its register window does not reach every context";
    case PlicSetupError::NoPriorityLevels: return "its priority registers accept no level but 0";
    }
    return "unknown plic setup error";
}

class Plic final : public InterruptController {
public:
    static constexpr usize kMaxCpuContexts = 64;

    // Checks the configuration, finds how many priority levels the PLIC implements, and
    // leaves it quiet: every source at priority 0 (never interrupt) and disabled in every
    // context named. A line reaches a CPU only once it has a priority above 0 and is bound
    // to a CPU that ran initialise_cpu().
    kstd::Result<void, PlicSetupError> initialise(const PlicConfiguration& configuration);

    kstd::StringView name() const override { return "plic"; }
    u32 first_line() const override { return 1; }
    u32 last_line() const override { return source_count_; }
    u32 max_priority() const override { return max_priority_; }

    ControllerResult<void> initialise_cpu(CpuHardwareId cpu) override;
    ControllerResult<kstd::Optional<u32>> claim(CpuHardwareId cpu) override;
    ControllerResult<void> complete(CpuHardwareId cpu, u32 line) override;
    ControllerResult<void> bind(u32 line, CpuHardwareId cpu) override;
    ControllerResult<void> unbind(u32 line) override;
    ControllerResult<void> set_target(u32 line, CpuHardwareId cpu) override;
    ControllerResult<void> mask(u32 line) override;
    ControllerResult<void> unmask(u32 line) override;
    ControllerResult<void> set_trigger_mode(u32 line, TriggerMode mode) override;
    ControllerResult<void> set_priority(u32 line, u32 priority) override;
    ControllerResult<void> set_priority_threshold(CpuHardwareId cpu, u32 threshold) override;
    ControllerResult<MsiMessage> configure_msi(u32 vector, CpuHardwareId cpu) override;
    ControllerResult<LineStatus> line_status(u32 line) const override;

    // The PLIC context of `cpu`, for the boot summary.
    ControllerResult<u32> context_of(CpuHardwareId cpu) const;

private:
    static constexpr u16 kUnbound = 0xffff;

    // What the registers do not say: the routing and the mask are both the enable bit.
    struct LineState {
        u16 cpu_slot = kUnbound; // index into cpu_contexts_
        bool masked = false;
        // The PLIC's gateways are fixed by the platform, so the mode is only recorded, for
        // the status query and for the kernel's shared-line decisions.
        TriggerMode trigger_mode = TriggerMode::LevelHigh;
    };

    ControllerResult<void> check_line(u32 line) const;
    ControllerResult<u16> cpu_slot_of(CpuHardwareId cpu) const;
    bool delivers(u32 line, u16 cpu_slot) const;
    void set_enable_bit(u32 context, u32 line, bool enabled);
    // Sets the line's enable bit so that it delivers to `context` from now on, also when
    // it is pending already (see plic.cpp).
    void open_delivery(u32 context, u32 line);
    void clear_all_enable_bits(u32 context);

    RegisterWindow registers_;
    u32 source_count_ = 0;
    u32 max_priority_ = 0;
    kstd::BoundedVector<PlicCpuContext, kMaxCpuContexts> cpu_contexts_;
    LineState lines_[plic_layout::kMaxSources + 1];
};

} // namespace tessera
