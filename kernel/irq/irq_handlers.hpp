#pragma once
// User-level interrupt handlers: the objects IrqHandler capabilities name, and the one
// kernel handler per line that hands the line's interrupts to them.
//
//   claim -> for each handler of the line with a notification: signal it (its badge), mark
//            it awaiting an ack, count, timestamp
//         -> mask the line (when nobody was signalled the router masks it: unhandled)
//         -> complete at once
//   Ack   -> the handler no longer awaits; the line opens when no handler of it awaits
//
// A line has one dedicated handler or any number of shared ones (each signalled, the line
// opened only when all have acked). A handler without a notification is not waited for.
// Every way a handler leaves the wait (Ack, Clear, its notification or itself deleted)
// opens the line when it was the last one awaited; deleting the last handler of a line
// masks it, unroutes it and unregisters the line's kernel handler.
//
// Records live in a fixed table (no heap after boot): kCapacity handlers in all, on at most
// as many distinct lines as the IrqDispatcher has registrations left. A record is the
// object: it is made by IrqControl.Get and freed with its last capability, so no
// capability ever names a free or reused record.
#include <abi/irq.hpp>
#include <irq/controller.hpp>
#include <irq/dispatcher.hpp>
#include <object/capability.hpp>

namespace tessera {

class InterruptLineSet;

// What the table drives, fixed at boot once the controller runs.
struct IrqHandlerEnvironment {
    InterruptController* controller = nullptr;
    IrqDispatcher* dispatcher = nullptr;
    CpuHardwareId target;                       // where lines are routed (the boot CPU)
    const InterruptLineSet* described = nullptr; // lines the device tree names
    u64 (*now)() = nullptr;                      // the timebase, for the status query
};

struct IrqHandlerRecord {
    bool in_use = false;
    bool shared = false;
    bool awaiting_ack = false;
    TriggerMode trigger = TriggerMode::LevelHigh;
    u32 line = 0;
    // A copy of the bound Notification capability (its address, badge and write right), or
    // null. Not in the derivation tree: the notification's finaliser unbinds it instead.
    Capability notification;
    u64 delivered = 0;
    u64 last_delivery_time = 0;
};

// Why IrqControl.Get cannot have a line the controller and the tree do offer.
enum class IrqClaimRefusal : u8 {
    LineOwned,       // a dedicated handler has it, or shared ones and a dedicated one was asked for
    TriggerConflict, // the line's handlers use another trigger mode
    TableFull,       // every record is in use, or the dispatcher has no room for another line
    KernelOwnsLine,  // a kernel-internal handler holds the line's interrupt
};

struct IrqHandlerStatus {
    bool bound = false;
    bool masked = false;
    u64 delivered = 0;
    u64 last_delivery_time = 0;
    u32 line = 0;
    bool shared = false;
    bool awaiting_ack = false;
};

class IrqHandlerTable {
public:
    static constexpr usize kCapacity = 64;
    // The line's kernel handler runs among other kernel handlers of the line (none, as
    // things are) at this priority.
    static constexpr u8 kDispatchPriority = 128;

    void configure(const IrqHandlerEnvironment& environment);
    // Forgets the environment and every record without touching the controller (tests).
    void reset();
    bool available() const { return environment_.controller != nullptr; }
    const InterruptController& controller() const { return *environment_.controller; }

    // The checks of IrqControl.Get, in its order: the line itself, then whether it can be
    // had as asked.
    bool line_described(u32 line) const;
    kstd::Result<void, IrqClaimRefusal> check_claim(u32 line, TriggerMode trigger, bool shared) const;
    // Makes a handler after check_claim() agreed: the first handler of a line sets its
    // trigger mode and priority 1, registers the line's kernel handler, and routes it
    // unmasked. Returns the record; the capability is Capability::irq_handler(line, record).
    kstd::Result<u32, IrqClaimRefusal> create(u32 line, TriggerMode trigger, bool shared);

    // The record `cap` names, or null when it names none (a capability the table did not
    // make, such as one a test placed by hand).
    IrqHandlerRecord* find(const Capability& cap);

    void set_notification(IrqHandlerRecord& handler, const Capability& notification);
    void clear_notification(IrqHandlerRecord& handler);
    void ack(IrqHandlerRecord& handler);
    ControllerResult<void> set_priority(const IrqHandlerRecord& handler, u32 priority);
    IrqHandlerStatus status(const IrqHandlerRecord& handler) const;

    // The finalisers: the last capability to a handler is gone; a notification is dying.
    void release(const Capability& cap);
    void notification_deleted(u64 address);

    // The line's kernel handler (the dispatcher's context is the table).
    static IrqHandled on_line_interrupt(VirtualIrq irq, void* table);
    IrqHandled deliver(u32 line);

    usize handlers_on(u32 line) const;
    const IrqHandlerRecord& record(u32 index) const { return records_[index]; }

private:
    bool line_awaits_ack(u32 line) const;
    // `handler` no longer awaits an ack: the line opens when nobody else of it does.
    void stop_awaiting(IrqHandlerRecord& handler);
    kstd::Result<void, IrqClaimRefusal> route_first_handler(u32 line, TriggerMode trigger);
    void unroute_line(u32 line);

    IrqHandlerEnvironment environment_;
    IrqHandlerRecord records_[kCapacity];
};

static_assert(IrqHandlerTable::kCapacity - 1 <= kIrqRecordMask, "a record index fits the capability's field");

// The kernel's table, configured by start_interrupt_controller().
IrqHandlerTable& kernel_irq_handlers();

// Registers the IrqHandler finaliser and the notification hook of object_finalisers() for
// the kernel's table.
void install_irq_finalisers();

// The ABI's trigger (IrqControl.Get word 1, already checked to be one) as the controller's.
constexpr TriggerMode trigger_mode_of(IrqTrigger trigger) {
    switch (trigger) {
    case IrqTrigger::Edge: return TriggerMode::Edge;
    case IrqTrigger::LevelHigh: return TriggerMode::LevelHigh;
    case IrqTrigger::LevelLow: return TriggerMode::LevelLow;
    }
    return TriggerMode::LevelHigh;
}

} // namespace tessera
