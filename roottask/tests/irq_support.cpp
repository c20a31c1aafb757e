#include <kstd/bit.hpp>
#include <userlib/address_space.hpp>

#include "irq_support.hpp"

namespace tessera::roottask::irq_tests {

namespace {

// ns16550a registers, one byte apart on QEMU virt (no reg-shift), divisor latch off.
constexpr u64 kInterruptEnable = 1;
constexpr u64 kInterruptIdentification = 2;
constexpr u64 kLineControl = 3;
constexpr u8 kTransmitterEmpty = 0x02;
constexpr u8 kDivisorLatchAccess = 0x80;

} // namespace

user::Result<u64> UartUnderTest::map_registers(TestContext& t, const user::UntypedRegion& device, u64 physical) {
    user::ObjectAllocator devices(t.own_cnode(), t.objects().slots());
    TRY(devices.add_untyped(device.cap, device.physical, device.size_bits, true));
    device_untyped_ = device.cap;
    user::Frame frame(TRY(devices.allocate_device_frame(kstd::align_down(physical, kPageBytes))));
    u64 address = TRY(t.root().addresses.reserve(1));
    TRY(user::map_frame(t.objects(), t.own_vspace(), frame, address, VmRights::kReadWrite));
    return address + (physical & (kPageBytes - 1));
}

bool UartUnderTest::open(TestContext& t) {
    t_ = &t;
    auto tree = user::DeviceTree::from(t.root().boot_info.device_tree());
    if (!tree) {
        t.fail_with("reading the device tree", tree.error());
        return false;
    }
    auto uart = tree.value().find_compatible("ns16550a");
    if (!uart || !uart->has_reg || !uart->interrupt) {
        t.expect(false, "the device tree has no ns16550a with registers and an interrupt");
        return false;
    }
    line_ = *uart->interrupt;
    // The device Untyped that covers the UART, used through an allocator of the test's own
    // and revoked afterwards, so its watermark goes back to the base (as MAP0007 does).
    const user::UntypedRegion* device = nullptr;
    for (const user::UntypedRegion& region : t.root().objects.regions())
        if (region.device && region.physical <= uart->address && uart->address < region.end()) device = &region;
    if (device == nullptr || device->watermark != 0) {
        t.expect(false, "no untouched device Untyped covers the UART at {}", kstd::Hex{uart->address});
        return false;
    }
    auto mapped = map_registers(t, *device, uart->address);
    if (!mapped) {
        t.fail_with("mapping the UART's registers", mapped.error());
        return false;
    }
    volatile u8* registers = reinterpret_cast<volatile u8*>(mapped.value());
    if ((registers[kLineControl] & kDivisorLatchAccess) != 0) {
        t.expect(false, "the UART's divisor latch is switched in; its interrupt register is out of reach");
        return false;
    }
    registers_ = registers;
    saved_interrupt_enable_ = registers[kInterruptEnable];
    return true;
}

UartUnderTest::~UartUnderTest() {
    restore();
    if (device_untyped_.value != 0 && t_ != nullptr) {
        if (auto revoked = t_->own_cnode().revoke(user::SlotPath::at(device_untyped_)); !revoked)
            t_->fail_with("revoking the UART's device Untyped", revoked.error());
    }
}

void UartUnderTest::raise() {
    if (registers_ == nullptr) return;
    registers_[kInterruptEnable] = 0;
    registers_[kInterruptEnable] = kTransmitterEmpty;
}

u8 UartUnderTest::service() { return registers_ == nullptr ? 0 : registers_[kInterruptIdentification] & 0x0f; }

void UartUnderTest::restore() {
    if (registers_ != nullptr) registers_[kInterruptEnable] = saved_interrupt_enable_;
}

user::Result<user::IrqHandler> get_handler(TestContext& t, u32 line, bool shared, IrqTrigger trigger) {
    user::CPtr slot = TRY(t.objects().slots().allocate());
    user::IrqControl control(user::CPtr{static_cast<u64>(RootSlot::IrqControl)});
    TRY(control.get(line, trigger, shared, t.own_cnode(), user::SlotPath::at(slot)));
    return user::IrqHandler(slot);
}

user::Result<BadgedNotification> new_badged_notification(TestContext& t, u64 badge) {
    user::Notification object = TRY(new_notification(t));
    user::Notification badged(TRY(mint(t, object.cap(), user::CapRights::all(), badge)));
    return BadgedNotification{object, badged};
}

bool signal_arrives(const user::Notification& notification, u64& word) {
    u64 give_up = read_time() + kArrivalLimit;
    do {
        user::IpcMessage polled = notification.poll();
        if (polled.status == IpcStatus::Ok) {
            word = polled.badge;
            return true;
        }
    } while (read_time() < give_up);
    return false;
}

bool stays_quiet(const user::Notification& notification) {
    u64 until = read_time() + kQuietPeriod;
    do {
        if (notification.poll().status == IpcStatus::Ok) return false;
    } while (read_time() < until);
    return true;
}

user::IrqHandlerStatus status_of(TestContext& t, const user::IrqHandler& handler) {
    auto status = handler.status();
    if (!status) {
        t.fail_with("IrqHandler.GetStatus", status.error());
        return {};
    }
    return status.value();
}

} // namespace tessera::roottask::irq_tests
