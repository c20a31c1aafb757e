#pragma once
// The interrupt-controller interface: everything the core asks of the controller that
// turns device lines into CPU interrupts. The PLIC implements it (irq/plic.hpp); the
// APLIC with IMSICs and the IOAPIC with LAPICs will be further implementations. Exactly one
// is chosen at boot from the device tree (irq/controller_setup.hpp), so the core, and
// the IrqControl and IrqHandler objects (irq/irq_handlers.hpp), never name a particular
// controller.
//
// Every operation checks its arguments and answers with a ControllerError naming what was
// wrong; an argument that came from user space can therefore never touch a register it
// should not.
#include <kstd/format.hpp>
#include <kstd/optional.hpp>
#include <kstd/result.hpp>
#include <kstd/string_view.hpp>
#include <kstd/types.hpp>

namespace tessera {

// A CPU as the controller routes to it: the hart id on riscv64, the APIC id on x86_64 (the
// Cpu record's hardware_id). A type of its own, so a CPU is never passed where a line is meant.
struct CpuHardwareId {
    u64 value = 0;
    constexpr bool operator==(const CpuHardwareId&) const = default;
};

// How the device signals: by an edge, or by holding the line at a level until serviced.
// A level line that is still asserted interrupts again as soon as it is completed, which is
// why the kernel masks a line before completing it and unmasks only when the driver acks.
enum class TriggerMode : u8 { Edge, LevelHigh, LevelLow };

// Where a device writes to raise a message-signalled interrupt, and the value it writes.
struct MsiMessage {
    u64 address = 0;
    u32 data = 0;
};

enum class ControllerError : u8 {
    LineOutOfRange,     // beyond the controller's last line
    ReservedLine,       // a number the controller reserves (0 on the PLIC means "no interrupt")
    UnknownCpu,         // the controller has no connection to that CPU
    PriorityOutOfRange, // above the highest priority the controller implements
    InvalidTriggerMode, // not one of the TriggerMode values
    LineAlreadyBound,   // bind() on a line that is routed already: use set_target()
    LineNotBound,       // the operation moves or removes a routing the line does not have
    MsiUnsupported,     // the controller has no message-signalled interrupts
};

constexpr kstd::StringView controller_error_name(ControllerError error) {
    switch (error) {
    case ControllerError::LineOutOfRange: return "line out of range";
    case ControllerError::ReservedLine: return "reserved line";
    case ControllerError::UnknownCpu: return "unknown cpu";
    case ControllerError::PriorityOutOfRange: return "priority out of range";
    case ControllerError::InvalidTriggerMode: return "invalid trigger mode";
    case ControllerError::LineAlreadyBound: return "line already bound";
    case ControllerError::LineNotBound: return "line not bound";
    case ControllerError::MsiUnsupported: return "msi unsupported";
    }
    return "unknown controller error";
}

template <kstd::CharSink S> constexpr void format_value(S& sink, ControllerError error) {
    kstd::format_value(sink, controller_error_name(error));
}

// What the controller knows about one line, for status queries and the self-tests.
struct LineStatus {
    kstd::Optional<CpuHardwareId> target; // the CPU the line is bound to, if any
    bool masked = false;
    bool pending = false; // the device asked and the controller holds the request
    u32 priority = 0;
    TriggerMode trigger_mode = TriggerMode::LevelHigh;
};

template <typename T> using ControllerResult = kstd::Result<T, ControllerError>;

// A line reaches a CPU only while it is bound to that CPU and not masked. Binding is the
// routing (which CPU, chosen by whoever balances interrupts); masking is the kernel's
// flow control (held from claim until the driver acks). The two are kept apart so neither
// undoes the other: unmasking never routes a line, and moving a line keeps it masked.
class InterruptController {
public:
    virtual kstd::StringView name() const = 0;
    // Lines are numbered first_line()..last_line(), as the device tree numbers them.
    virtual u32 first_line() const = 0;
    virtual u32 last_line() const = 0;
    // Priorities run from 0 to max_priority(); what 0 means is the controller's (on the
    // PLIC: never interrupt).
    virtual u32 max_priority() const = 0;

    // Prepares the controller's connection to `cpu`: no line routed to it, and a threshold
    // that lets every non-zero priority through. Each CPU runs it before it lets the
    // controller's interrupt in.
    virtual ControllerResult<void> initialise_cpu(CpuHardwareId cpu) = 0;

    // Takes the highest-priority line pending for `cpu`; none when nothing is (another CPU
    // may have claimed it first). The line stays claimed, and does not interrupt again,
    // until complete().
    virtual ControllerResult<kstd::Optional<u32>> claim(CpuHardwareId cpu) = 0;
    // Ends the claim of `line` by `cpu`, masked or not.
    virtual ControllerResult<void> complete(CpuHardwareId cpu, u32 line) = 0;

    virtual ControllerResult<void> bind(u32 line, CpuHardwareId cpu) = 0;
    virtual ControllerResult<void> unbind(u32 line) = 0;
    // Moves a bound line to another CPU.
    virtual ControllerResult<void> set_target(u32 line, CpuHardwareId cpu) = 0;
    virtual ControllerResult<void> mask(u32 line) = 0;
    virtual ControllerResult<void> unmask(u32 line) = 0;
    virtual ControllerResult<void> set_trigger_mode(u32 line, TriggerMode mode) = 0;
    virtual ControllerResult<void> set_priority(u32 line, u32 priority) = 0;
    // Lines at or below `threshold` do not interrupt `cpu` (x86: the task priority).
    virtual ControllerResult<void> set_priority_threshold(CpuHardwareId cpu, u32 threshold) = 0;
    // Programs the controller to turn message `vector` (an IMSIC identity, an x86 vector;
    // the kernel allocates it) into an interrupt on `cpu`, and says what the device must
    // write where.
    virtual ControllerResult<MsiMessage> configure_msi(u32 vector, CpuHardwareId cpu) = 0;

    virtual ControllerResult<LineStatus> line_status(u32 line) const = 0;

protected:
    // Controllers live in static storage and are never deleted through this interface.
    ~InterruptController() = default;
};

} // namespace tessera
