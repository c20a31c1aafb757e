#pragma once
// Where the root task puts the capabilities of the tasks it starts (docs/services.md), in
// the slots from TaskSlot::FirstGiven (task_layout.hpp). A service the system lacks (no
// disk attached, say) leaves its slot empty: its client's calls fail with
// InvalidCapability rather than reaching someone else.
#include <userlib/task_layout.hpp>

namespace tessera::user {

// An ordinary task (the shell, hello): badged Endpoint capabilities of the services.
enum class ClientSlot : u64 {
    Console = slot_of(TaskSlot::FirstGiven),
    Clock,
    Block,
    System,
    End,
};

// A driver task: its device and what it serves with. The root task maps the device's
// register page at kDriverRegistersAddress (plus the offset of the registers in the page)
// and the DMA frames, if any, from kDriverDmaAddress, before the driver's thread runs.
// TaskInfo.argument is the physical address of the device's registers.
enum class DriverSlot : u64 {
    Service = slot_of(TaskSlot::FirstGiven), // the Endpoint the driver receives on (all rights)
    Interrupt,   // a Notification, the IrqHandler bound to it with badge kInterruptBadge
    IrqHandler,  // the driver's handler of its device's line
    Registers,   // the Frame of the register page
    Console,     // the console service (empty for the UART driver, which is the console)
    FirstReply,  // kDriverReplyObjects Reply objects, for answers the driver holds back
    FirstDma = FirstReply + 4, // then the DMA frames, as many as TaskInfo.given leaves
};

inline constexpr u64 kDriverReplyObjects = 4;
static_assert(static_cast<u64>(DriverSlot::FirstDma) ==
              static_cast<u64>(DriverSlot::FirstReply) + kDriverReplyObjects);

// The bit a signal of the driver's IrqHandler sets in its notification word.
inline constexpr u64 kInterruptBadge = 1;

inline constexpr u64 kDriverRegistersAddress = 0x40000000;
inline constexpr u64 kDriverDmaAddress = 0x80000000;

constexpr u64 slot_of(ClientSlot slot) { return static_cast<u64>(slot); }
constexpr u64 slot_of(DriverSlot slot) { return static_cast<u64>(slot); }

} // namespace tessera::user
