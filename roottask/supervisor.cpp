#include <bootimage/cpio.hpp>
#include <userlib/faults.hpp>
#include <userlib/print.hpp>
#include <userlib/syscalls.hpp>
#include <userlib/services/console.hpp>
#include <userlib/services/layout.hpp>

#include "supervisor.hpp"

namespace tessera::roottask {

namespace {

using user::DriverSlot;

constexpr u64 kGivenCount = user::slot_of(DriverSlot::FirstDma) - user::slot_of(DriverSlot::Service);
// The room launch() has for DMA frames.
constexpr u64 kMaxDmaFrames = 4;

user::CNode own_cnode() { return RootEnvironment::own_caps().cnode; }

// While the console driver is down its endpoint has no receiver, and a print through it
// would wait for the restart the root task is about to do: supervision prints through the
// kernel's debug output.
class DebugOutputWhile {
public:
    explicit DebugOutputWhile(user::CPtr console) : console_(user::Endpoint(console)) {
        user::use_console(user::ConsoleClient());
    }
    ~DebugOutputWhile() { user::use_console(console_); }
    DebugOutputWhile(const DebugOutputWhile&) = delete;
    DebugOutputWhile& operator=(const DebugOutputWhile&) = delete;

private:
    user::ConsoleClient console_;
};

} // namespace

user::Result<void> Supervisor::make_lasting_objects(Driver& driver, usize index) {
    user::ObjectAllocator& objects = root_.objects;
    driver.endpoint = TRY(objects.allocate(ObjectType::Endpoint));
    driver.notification = TRY(objects.allocate(ObjectType::Notification));
    user::CPtr badged = TRY(root_.slots.allocate());
    TRY(own_cnode().mint(user::SlotPath::at(badged), own_cnode(), user::SlotPath::at(driver.notification),
                         user::CapRights::all(), user::kInterruptBadge));
    user::CPtr handler = TRY(root_.slots.allocate());
    user::IrqControl control(user::CPtr{static_cast<u64>(RootSlot::IrqControl)});
    // The device-tree lines of QEMU virt's devices are level-triggered, active high.
    TRY(control.get(*driver.device.node.interrupt, IrqTrigger::LevelHigh, false, own_cnode(), user::SlotPath::at(handler)));
    driver.handler = user::IrqHandler(handler);
    TRY(driver.handler.set_notification(user::Notification(badged)));
    bool is_console = driver.kind->task == kstd::StringView("uart");
    u64 badge = registry_.tasks().size() + 1;
    driver.console = is_console ? user::CPtr{} : TRY(client_endpoint(root_, services_.console, badge));
    driver.fault_endpoint = TRY(root_.slots.allocate());
    constexpr user::CapRights kCallOnly{user::CapRights::kWrite | user::CapRights::kGrantReply};
    TRY(own_cnode().mint(user::SlotPath::at(driver.fault_endpoint), own_cnode(), user::SlotPath::at(services_.system),
                         kCallOnly, kFaultBadgeBit | index));
    driver.arena = TRY(objects.allocate_untyped(kArenaBits));
    user::CPtr first = TRY(root_.slots.allocate_run(kInstanceSlots));
    driver.instance_slots = SlotRange{first.value, first.value + kInstanceSlots};
    return {};
}

// One instance: everything from the arena, so that revoking the arena takes all of it.
user::Result<void> Supervisor::launch(Driver& driver) {
    const DriverKind& kind = *driver.kind;
    auto elf = cpio_find(root_.boot_info.boot_image(), kind.task);
    if (!elf) return kstd::fail(user::Error::of(user::LibraryError::NotFound));
    // Both fresh for every instance: the revoked arena left its slots empty.
    user::SlotAllocator slots(driver.instance_slots);
    user::ObjectAllocator arena(own_cnode(), slots);
    // An Untyped is naturally aligned, so offsets in it align as physical addresses do.
    TRY(arena.add_untyped(driver.arena, 0, kArenaBits, false));
    user::CPtr replies = TRY(arena.allocate_run(ObjectType::Reply, 0, user::kDriverReplyObjects));
    // One run from one Untyped: consecutive frames are consecutive physical pages.
    user::CPtr dma = kind.dma_frames == 0 ? user::CPtr{} : TRY(arena.allocate_run(ObjectType::Frame4K, 0, kind.dma_frames));
    user::CPtr zero_page = TRY(arena.allocate(ObjectType::Frame4K));

    user::GivenCap caps[kGivenCount + kMaxDmaFrames];
    caps[0] = {driver.endpoint};
    caps[1] = {driver.notification};
    caps[2] = {driver.handler.cap()};
    caps[3] = {driver.device.frame};
    caps[4] = {driver.console};
    for (u64 i = 0; i < user::kDriverReplyObjects; ++i)
        caps[5 + i] = {user::CPtr{replies.value + i}, user::CapRights::all(), true}; // Reply objects cannot be copied
    user::MappedFrame mappings[2 + kMaxDmaFrames];
    mappings[0] = {driver.device.frame, user::kDriverRegistersAddress, VmRights::kReadWrite};
    mappings[1] = {zero_page, kFaultInjectionAddress, VmRights::kReadExecute};
    for (u64 i = 0; i < kind.dma_frames; ++i) {
        caps[kGivenCount + i] = {user::CPtr{dma.value + i}};
        mappings[2 + i] = {user::CPtr{dma.value + i}, user::kDriverDmaAddress + i * kPageBytes, VmRights::kReadWrite};
    }

    user::TaskSpec spec;
    spec.name = kind.task;
    spec.elf = elf.value().data;
    spec.priority = kind.priority;
    spec.caps = kstd::Span<const user::GivenCap>(caps, kGivenCount + kind.dma_frames);
    spec.mappings = kstd::Span<const user::MappedFrame>(mappings, 2 + kind.dma_frames);
    spec.argument = driver.device.node.address;
    spec.fault_endpoint = driver.fault_endpoint;
    user::StarterResources starter{RootEnvironment::own_caps(), arena, root_.addresses, &root_.objects};
    user::StartedTask task = TRY(user::start_task(starter, spec));
    TaskRecord& record = registry_.task(driver.task);
    record.cnode = task.cnode;
    record.tcb = task.tcb;
    return {};
}

user::Result<user::CPtr> Supervisor::start(const DriverKind& kind, const FoundDevice& device) {
    static_assert(kMaxDmaFrames >= 4, "virtio-blk's four DMA pages fit");
    if (kind.dma_frames > kMaxDmaFrames) return kstd::fail(user::Error::of(user::LibraryError::OutOfMemory, kind.dma_frames));
    usize index = drivers_.size();
    Driver driver;
    driver.kind = &kind;
    driver.device = device;
    TRY(make_lasting_objects(driver, index));
    auto task = registry_.add_task(kind.task, user::CNode(), user::kTaskCNodeRadix, u64{1} << user::kTaskCNodeRadix,
                                   user::Tcb());
    if (!task || !drivers_.push_back(driver)) return kstd::fail(user::Error::of(user::LibraryError::OutOfSlots));
    drivers_[index].task = *task;
    if (!registry_.add_irq(driver.handler, *task))
        user::println("roottask: {}: the interrupt table is full; irq will not show it", kind.task);
    TRY(launch(drivers_[index]));
    user::println("roottask: started {} for {} at {}, irq {} (priority {})", kind.task, kind.compatible,
                  kstd::Hex{device.node.address}, *device.node.interrupt, kind.priority);
    return driver.endpoint;
}

void Supervisor::handle_fault(const user::IpcMessage& message) {
    u64 index = message.badge & ~kFaultBadgeBit;
    if (index >= drivers_.size()) return;
    Driver& driver = drivers_[index];
    TaskRecord& record = registry_.task(driver.task);
    DebugOutputWhile debug_output(services_.console);
    user::FaultMessage fault(message, *user::current_ipc_buffer());
    user::println("roottask: {} faulted ({} at pc {}); restarting it", record.name_view(),
                  fault.is_fault() ? user::fault_label_name(fault.kind()) : "not a fault message",
                  kstd::Hex{fault.program_counter()});
    // Everything of the instance goes: its objects with the arena, the copies of the
    // device frame (its own and its mapping) with a revoke of the original.
    user::CNode own = own_cnode();
    if (auto revoked = own.revoke(user::SlotPath::at(driver.arena)); !revoked)
        user::println("roottask: {}: revoking its arena: {}", record.name_view(), revoked.error());
    if (auto revoked = own.revoke(user::SlotPath::at(driver.device.frame)); !revoked)
        user::println("roottask: {}: revoking its device frame's copies: {}", record.name_view(), revoked.error());
    ++record.restarts;
    if (auto launched = launch(driver); !launched) {
        user::println("roottask: {}: cannot restart: {}", record.name_view(), launched.error());
        return;
    }
    user::println("roottask: {} restarted ({} restarts)", record.name_view(), record.restarts);
}

kstd::Optional<usize> Supervisor::driver_of_task(kstd::StringView task) const {
    for (usize i = 0; i < drivers_.size(); ++i)
        if (drivers_[i].kind->task == task) return i;
    return {};
}

user::ServiceStatus Supervisor::inject_fault(kstd::StringView task) {
    auto index = driver_of_task(task);
    if (!index) return user::ServiceStatus::NotPresent;
    user::Tcb thread = registry_.task(drivers_[*index].task).tcb;
    // Stopped first, so the registers it is sent off with are the ones it had.
    if (!thread.suspend()) return user::ServiceStatus::DeviceError;
    auto registers = thread.read_registers();
    if (!registers) return user::ServiceStatus::DeviceError;
    arch::UserContext context = registers.value();
    context.pc = kFaultInjectionAddress;
    if (!thread.write_registers(context, true)) return user::ServiceStatus::DeviceError;
    return user::ServiceStatus::Ok;
}

} // namespace tessera::roottask
