#include <bootimage/cpio.hpp>
#include <kstd/bit.hpp>
#include <userlib/print.hpp>
#include <userlib/services/console.hpp>

#include "drivers.hpp"

namespace tessera::roottask {

namespace {


constexpr DriverKind kUartDriver{"uart", "ns16550a", 200, 0};
constexpr DriverKind kRtcDriver{"rtc", "google,goldfish-rtc", 190, 0};
constexpr DriverKind kBlockDriver{"virtio-blk", "virtio,mmio", 180, 4};

// virtio-mmio's identification registers (virtio 1.x, 4.2.2): the same in both versions.
constexpr u64 kVirtioMagicOffset = 0x000;
constexpr u64 kVirtioDeviceIdOffset = 0x008;
constexpr u32 kVirtioMagic = 0x74726976; // "virt"
constexpr u32 kVirtioBlockDeviceId = 2;

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

void start_drivers(RootEnvironment& root, Supervisor& starter, ServiceDirectory& services,
                   const user::DeviceTree& tree) {
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
