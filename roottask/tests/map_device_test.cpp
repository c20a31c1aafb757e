#include "map_support.hpp"

using namespace tessera;
using namespace tessera::roottask::maptest;

namespace {

// QEMU virt's first virtio-mmio slot; its first register reads "virt".
constexpr u64 kVirtioMmio = 0x10001000;
constexpr u32 kVirtioMagic = 0x74726976;

} // namespace

ROOTTASK_TEST(MAP0007, "a device frame maps the device's registers, never executable") {
    // The device Untyped that covers the slot, used here through an allocator of the
    // test's own and revoked at the end, so its watermark goes back to the base.
    const user::UntypedRegion* device = nullptr;
    for (const user::UntypedRegion& region : t.root().objects.regions())
        if (region.device && region.physical <= kVirtioMmio && kVirtioMmio < region.end()) device = &region;
    if (device == nullptr || device->watermark != 0) {
        t.expect(false, "no untouched device Untyped covers {}", kstd::Hex{kVirtioMmio});
        return;
    }
    user::ObjectAllocator devices(t.own_cnode(), t.objects().slots());
    REQUIRE_OK(t, devices.add_untyped(device->cap, device->physical, device->size_bits, true));
    user::Frame frame(REQUIRE_OK(t, devices.allocate_device_frame(kVirtioMmio)));

    t.expect(REQUIRE_OK(t, frame.get_address()) == kVirtioMmio, "GetAddress of the device frame is not {}",
             kstd::Hex{kVirtioMmio});
    u64 address = REQUIRE_OK(t, t.root().addresses.reserve(1));
    expect_error(t, frame.map(t.own_vspace(), address, VmRights::kReadExecute), invalid_argument(1),
                 "a device frame mapped executable");
    expect_error(t, frame.remap(VmRights::kReadOnly), invalid_capability(0),
                 "the refused map left the capability mapped");
    REQUIRE_OK(t, user::map_frame(t.objects(), t.own_vspace(), frame, address, VmRights::kReadOnly));
    u32 magic = *reinterpret_cast<volatile u32*>(address);
    t.expect(magic == kVirtioMagic, "the virtio-mmio magic reads {}, expected {}", kstd::Hex{magic},
             kstd::Hex{kVirtioMagic});
    expect_error(t, frame.remap(VmRights::kReadExecute), invalid_argument(0), "Remap of a device frame executable");
    t.expect(*reinterpret_cast<volatile u32*>(address) == kVirtioMagic, "the refused Remap changed the mapping");
    REQUIRE_OK(t, frame.unmap());
    expect_faults(t, own_probe_space(t), "fault-device", Access::Load, address);

    if (auto revoked = t.own_cnode().revoke(user::SlotPath::at(device->cap)); !revoked)
        t.fail_with("revoking the device Untyped", revoked.error());
}
