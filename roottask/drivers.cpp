#include <bootimage/cpio.hpp>
#include <kstd/bit.hpp>
#include <userlib/print.hpp>
#include <userlib/services/console.hpp>

#include "drivers.hpp"

namespace tessera::roottask {

namespace {

using user::DriverSlot;

struct DriverKind {
    kstd::StringView task;       // the executable in the boot image
    kstd::StringView compatible; // the device-tree match
    u64 priority;                // above every client, so a device is serviced first
    u64 dma_frames;              // physically contiguous pages of RAM the device reads and writes
};

constexpr DriverKind kUartDriver{"uart", "ns16550a", 200, 0};
constexpr DriverKind kRtcDriver{"rtc", "google,goldfish-rtc", 190, 0};
constexpr DriverKind kBlockDriver{"virtio-blk", "virtio,mmio", 180, 4};

constexpr u64 kGivenCount = user::slot_of(DriverSlot::FirstDma) - user::slot_of(DriverSlot::Service);
// The room DriverStarter::start has for DMA frames; a driver asking for more is refused.
constexpr u64 kMaxDmaFrames = 4;
static_assert(kUartDriver.dma_frames <= kMaxDmaFrames && kRtcDriver.dma_frames <= kMaxDmaFrames &&
              kBlockDriver.dma_frames <= kMaxDmaFrames);

// virtio-mmio's identification registers (virtio 1.x, 4.2.2): the same in both versions.
constexpr u64 kVirtioMagicOffset = 0x000;
constexpr u64 kVirtioDeviceIdOffset = 0x008;
constexpr u32 kVirtioMagic = 0x74726976; // "virt"
constexpr u32 kVirtioBlockDeviceId = 2;

struct FoundDevice {
    user::DeviceNode node;
    user::CPtr frame; // the device's register page, in the root task's CSpace
};

user::CNode own_cnode() { return RootEnvironment::own_caps().cnode; }

user::Result<FoundDevice> claim_device(RootEnvironment& root, const user::DeviceNode& node) {
    if (!node.has_reg || !node.interrupt) return kstd::fail(user::Error::of(user::LibraryError::NotFound));
    user::CPtr frame = TRY(root.objects.allocate_device_frame(kstd::align_down(node.address, kPageBytes)));
    return FoundDevice{node, frame};
}

// The device ID behind a virtio-mmio transport (0: no device attached), read through a
// mapping of the root task's own that is gone again afterwards.
user::Result<u32> virtio_device_id(RootEnvironment& root, const FoundDevice& device, u64 scratch) {
    user::Frame frame(device.frame);
    TRY(user::map_frame(root.objects, RootEnvironment::own_caps().vspace, frame, scratch, VmRights::kReadWrite));
    auto registers = reinterpret_cast<volatile const u32*>(scratch + (device.node.address & (kPageBytes - 1)));
    u32 magic = registers[kVirtioMagicOffset / 4];
    u32 id = registers[kVirtioDeviceIdOffset / 4];
    TRY(frame.unmap());
    return magic == kVirtioMagic ? id : 0;
}

class DriverStarter {
public:
    DriverStarter(RootEnvironment& root, TaskRegistry& registry, const ServiceDirectory& services)
        : root_(root), registry_(registry), services_(services) {}

    // Returns the endpoint the driver serves on.
    user::Result<user::CPtr> start(const DriverKind& kind, const FoundDevice& device);

private:
    user::Result<user::IrqHandler> handler_for(u32 line, user::CPtr badged_notification);

    RootEnvironment& root_;
    TaskRegistry& registry_;
    const ServiceDirectory& services_;
};

user::Result<user::IrqHandler> DriverStarter::handler_for(u32 line, user::CPtr badged_notification) {
    user::CPtr slot = TRY(root_.slots.allocate());
    user::IrqControl control(user::CPtr{static_cast<u64>(RootSlot::IrqControl)});
    // The device-tree lines of QEMU virt's devices are level-triggered, active high.
    TRY(control.get(line, IrqTrigger::LevelHigh, false, own_cnode(), user::SlotPath::at(slot)));
    user::IrqHandler handler(slot);
    TRY(handler.set_notification(user::Notification(badged_notification)));
    return handler;
}

user::Result<user::CPtr> DriverStarter::start(const DriverKind& kind, const FoundDevice& device) {
    auto elf = cpio_find(root_.boot_info.boot_image(), kind.task);
    if (!elf) return kstd::fail(user::Error::of(user::LibraryError::NotFound));
    user::ObjectAllocator& objects = root_.objects;
    user::CPtr endpoint = TRY(objects.allocate(ObjectType::Endpoint));
    user::CPtr notification = TRY(objects.allocate(ObjectType::Notification));
    user::CPtr badged = TRY(root_.slots.allocate());
    TRY(own_cnode().mint(user::SlotPath::at(badged), own_cnode(), user::SlotPath::at(notification),
                         user::CapRights::all(), user::kInterruptBadge));
    user::IrqHandler handler = TRY(handler_for(*device.node.interrupt, badged));
    user::CPtr replies = TRY(objects.allocate_run(ObjectType::Reply, 0, user::kDriverReplyObjects));
    // One run from one Untyped: consecutive frames are consecutive physical pages.
    user::CPtr dma = kind.dma_frames == 0 ? user::CPtr{} : TRY(objects.allocate_run(ObjectType::Frame4K, 0, kind.dma_frames));
    u64 badge = registry_.tasks().size() + 1;
    user::CPtr console = kind.task == kUartDriver.task ? user::CPtr{} : TRY(client_endpoint(root_, services_.console, badge));

    user::GivenCap caps[kGivenCount + kMaxDmaFrames];
    caps[0] = {endpoint};
    caps[1] = {notification};
    caps[2] = {handler.cap()};
    caps[3] = {device.frame};
    caps[4] = {console};
    for (u64 i = 0; i < user::kDriverReplyObjects; ++i)
        caps[5 + i] = {user::CPtr{replies.value + i}, user::CapRights::all(), true}; // Reply objects cannot be copied
    user::MappedFrame mappings[1 + kMaxDmaFrames];
    mappings[0] = {device.frame, user::kDriverRegistersAddress, VmRights::kReadWrite};
    for (u64 i = 0; i < kind.dma_frames; ++i) {
        caps[kGivenCount + i] = {user::CPtr{dma.value + i}};
        mappings[1 + i] = {user::CPtr{dma.value + i}, user::kDriverDmaAddress + i * kPageBytes, VmRights::kReadWrite};
    }

    user::TaskSpec spec;
    spec.name = kind.task;
    spec.elf = elf.value().data;
    spec.priority = kind.priority;
    spec.caps = kstd::Span<const user::GivenCap>(caps, kGivenCount + kind.dma_frames);
    spec.mappings = kstd::Span<const user::MappedFrame>(mappings, 1 + kind.dma_frames);
    spec.argument = device.node.address;
    user::StarterResources starter = root_.starter();
    user::StartedTask task = TRY(user::start_task(starter, spec));
    auto index = registry_.add_task(kind.task, task.cnode, user::kTaskCNodeRadix, u64{1} << user::kTaskCNodeRadix, task.tcb);
    if (!index || !registry_.add_irq(handler, *index))
        user::println("roottask: {}: the task table is full; ps and irq will not show it", kind.task);
    user::println("roottask: started {} for {} at {}, irq {} (priority {})", kind.task, kind.compatible,
                  kstd::Hex{device.node.address}, *device.node.interrupt, kind.priority);
    return endpoint;
}

void report(const DriverKind& kind, const user::Error& error) {
    user::println("roottask: cannot start {}: {}", kind.task, error);
}

// The first virtio-mmio transport with a block device behind it. Transports are claimed
// from the lowest address up, the order the device Untyped hands out frames in.
kstd::Optional<FoundDevice> find_block_device(RootEnvironment& root, const user::DeviceTree& tree) {
    constexpr usize kMaxTransports = 32;
    user::DeviceNode nodes[kMaxTransports];
    usize count = 0;
    for (auto node = tree.find_compatible(kBlockDriver.compatible); node && count < kMaxTransports;
         node = tree.find_compatible(kBlockDriver.compatible, node->offset))
        nodes[count++] = *node;
    for (usize i = 1; i < count; ++i)
        for (usize j = i; j > 0 && nodes[j].address < nodes[j - 1].address; --j) kstd::swap(nodes[j], nodes[j - 1]);
    auto scratch = root.addresses.reserve(1);
    if (!scratch) return {};
    for (usize i = 0; i < count; ++i) {
        auto device = claim_device(root, nodes[i]);
        if (!device) continue;
        auto id = virtio_device_id(root, device.value(), scratch.value());
        if (id && id.value() == kVirtioBlockDeviceId) return device.value();
    }
    return {};
}

} // namespace

void start_drivers(RootEnvironment& root, TaskRegistry& registry, ServiceDirectory& services,
                   const user::DeviceTree& tree) {
    DriverStarter starter(root, registry, services);
    auto start = [&](const DriverKind& kind, kstd::Optional<user::DeviceNode> node) -> user::CPtr {
        if (!node) {
            user::println("roottask: no {} device; {} not started", kind.compatible, kind.task);
            return {};
        }
        auto device = claim_device(root, *node);
        if (!device) {
            report(kind, device.error());
            return {};
        }
        auto endpoint = starter.start(kind, device.value());
        if (!endpoint) report(kind, endpoint.error());
        return endpoint ? endpoint.value() : user::CPtr{};
    };
    // The console first: the other drivers print through it.
    services.console = start(kUartDriver, tree.find_compatible(kUartDriver.compatible));
    if (!services.console.is_null()) user::use_console(user::ConsoleClient(user::Endpoint(services.console)));

    if (auto block = find_block_device(root, tree)) {
        auto endpoint = starter.start(kBlockDriver, *block);
        if (endpoint) services.block = endpoint.value();
        else report(kBlockDriver, endpoint.error());
    } else {
        user::println("roottask: no virtio block device; virtio-blk not started");
    }
    services.clock = start(kRtcDriver, tree.find_compatible(kRtcDriver.compatible));
}

} // namespace tessera::roottask
