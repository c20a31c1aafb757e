#pragma once
// Supervision of the driver tasks: the root task is their fault handler. Each driver's
// task (its TCB, CNode, VSpace, image, stack, Reply objects and DMA pages) is made from an
// Untyped of its own, its arena, so a driver that faults is destroyed as a unit by
// revoking the arena, and started again from the same image with the same capabilities:
// the endpoint its clients hold, its notification, its IrqHandler (the new instance binds
// the notification to its new thread and acks), its device frame. Only what the driver
// had in memory is lost. docs/services.md, docs/faults.md.
#include <kstd/bounded_vector.hpp>
#include <userlib/device_tree.hpp>
#include <userlib/ipc_message.hpp>
#include <userlib/services/service_message.hpp>

#include "root_environment.hpp"
#include "service_directory.hpp"
#include "task_registry.hpp"

namespace tessera::roottask {

struct DriverKind {
    kstd::StringView task;       // the executable in the boot image
    kstd::StringView compatible; // the device-tree match
    u64 priority;                // above every client, so a device is serviced first
    u64 dma_frames;              // physically contiguous pages of RAM the device reads and writes
};

// A device the root task found and claimed: its node and its register page.
struct FoundDevice {
    user::DeviceNode node;
    user::CPtr frame;
};

// Faults of supervised tasks arrive on the system service's endpoint with this badge bit
// (and the driver's index below it); a client's badge never has it.
inline constexpr u64 kFaultBadgeBit = u64{1} << 62;

// Where every supervised task has a page of zeros, readable and executable: `fault <task>`
// sends the thread there, and the all-zero parcel is an illegal instruction.
inline constexpr u64 kFaultInjectionAddress = 0x30000000;

class Supervisor {
public:
    static constexpr usize kMaxDrivers = 8;
    static constexpr unsigned kArenaBits = 19; // 512 KiB per driver instance
    // The root task's slots that name one instance's objects (its image and stack pages,
    // page tables, TCB, CNode, Reply objects, DMA pages, the mapping copies): a range of
    // its own per driver, empty again once the arena is revoked, so restarts take no
    // slots from anyone.
    static constexpr u64 kInstanceSlots = 256;

    Supervisor(RootEnvironment& root, TaskRegistry& registry, const ServiceDirectory& services)
        : root_(root), registry_(registry), services_(services) {}

    // Makes the driver's lasting objects and starts its first instance; returns the
    // endpoint it serves on (the one clients keep across restarts).
    user::Result<user::CPtr> start(const DriverKind& kind, const FoundDevice& device);

    // A fault message on the system endpoint (its badge has kFaultBadgeBit): the driver is
    // destroyed and started again. Its faulting thread gets no answer.
    void handle_fault(const user::IpcMessage& message);

    // The shell's `fault <task>`: the task's thread runs an illegal instruction.
    user::ServiceStatus inject_fault(kstd::StringView task);

private:
    struct Driver {
        const DriverKind* kind = nullptr;
        FoundDevice device;
        user::CPtr endpoint;       // served on; clients hold badged copies
        user::CPtr notification;   // the IrqHandler's, bound by each instance to its thread
        user::IrqHandler handler;  // the root task's original
        user::CPtr console;        // a client copy of the console endpoint (none for the UART)
        user::CPtr fault_endpoint; // the system endpoint, badged kFaultBadgeBit | index
        user::CPtr arena;          // everything of one instance comes from here
        SlotRange instance_slots;  // and its capabilities go here
        usize task = 0;            // in the registry
    };

    user::Result<void> launch(Driver& driver);
    user::Result<void> make_lasting_objects(Driver& driver, usize index);
    kstd::Optional<usize> driver_of_task(kstd::StringView task) const;

    RootEnvironment& root_;
    TaskRegistry& registry_;
    const ServiceDirectory& services_;
    kstd::BoundedVector<Driver, kMaxDrivers> drivers_;
};

} // namespace tessera::roottask
