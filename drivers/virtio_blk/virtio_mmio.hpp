#pragma once
// The virtio-mmio transport (virtio 1.x section 4.2) for one device: probing, the status
// handshake, feature negotiation, handing a virtqueue to the device, notifications,
// interrupts and the configuration space. Both register interfaces are driven: version 1
// (legacy, section 4.2.4: QEMU's default for the virt machine; one page number for the
// whole queue) and version 2 (three 64-bit ring addresses, VIRTIO_F_VERSION_1 required).
#include <kstd/format.hpp>
#include <kstd/result.hpp>

#include "device_registers.hpp"
#include "virtqueue.hpp"

namespace tessera::virtio_blk {

namespace mmio_register {
inline constexpr u32 kMagicValue = 0x000;
inline constexpr u32 kVersion = 0x004;
inline constexpr u32 kDeviceId = 0x008;
inline constexpr u32 kVendorId = 0x00c;
inline constexpr u32 kDeviceFeatures = 0x010;
inline constexpr u32 kDeviceFeaturesSelect = 0x014;
inline constexpr u32 kDriverFeatures = 0x020;
inline constexpr u32 kDriverFeaturesSelect = 0x024;
inline constexpr u32 kGuestPageSize = 0x028; // legacy only
inline constexpr u32 kQueueSelect = 0x030;
inline constexpr u32 kQueueSizeMax = 0x034;
inline constexpr u32 kQueueSize = 0x038;
inline constexpr u32 kQueueAlign = 0x03c;      // legacy only
inline constexpr u32 kQueuePageNumber = 0x040; // legacy only
inline constexpr u32 kQueueReady = 0x044;      // version 2 only
inline constexpr u32 kQueueNotify = 0x050;
inline constexpr u32 kInterruptStatus = 0x060;
inline constexpr u32 kInterruptAck = 0x064;
inline constexpr u32 kStatus = 0x070;
inline constexpr u32 kQueueDescriptorsLow = 0x080; // version 2 only, as are the next five
inline constexpr u32 kQueueDescriptorsHigh = 0x084;
inline constexpr u32 kQueueAvailableLow = 0x090;
inline constexpr u32 kQueueAvailableHigh = 0x094;
inline constexpr u32 kQueueUsedLow = 0x0a0;
inline constexpr u32 kQueueUsedHigh = 0x0a4;
inline constexpr u32 kConfigGeneration = 0x0fc; // version 2 only
inline constexpr u32 kConfig = 0x100;
} // namespace mmio_register

inline constexpr u32 kMmioMagic = 0x74726976; // "virt"

namespace device_status {
inline constexpr u32 kAcknowledge = 1;
inline constexpr u32 kDriver = 2;
inline constexpr u32 kDriverOk = 4;
inline constexpr u32 kFeaturesOk = 8;
inline constexpr u32 kNeedsReset = 64;
inline constexpr u32 kFailed = 128;
} // namespace device_status

namespace transport_feature {
inline constexpr u64 kVersion1 = u64{1} << 32;
// The device reaches memory through the platform's translation; the driver gives physical
// addresses, which is what the bus sees on a machine without an IOMMU, so accepting it is
// honest, and a device may refuse to work when it is offered and not accepted.
inline constexpr u64 kAccessPlatform = u64{1} << 33;
} // namespace transport_feature

inline constexpr u32 kInterruptUsedBuffer = 1;
inline constexpr u32 kInterruptConfigChanged = 2;

enum class TransportError : u8 {
    RegistersTooSmall, // detail: the window's size
    BadMagic,          // detail: the value read
    UnsupportedVersion, // detail: the version read
    WrongDevice,       // detail: the device id read (0: a transport with no device)
    ResetTimedOut,     // the status never read 0 after the reset
    NoVersion1,        // a version 2 device that does not offer VIRTIO_F_VERSION_1
    FeaturesRefused,   // FEATURES_OK did not stick: detail the features offered to it
    QueueInUse,        // detail: the queue
    QueueUnavailable,  // QueueNumMax 0; detail: the queue
    QueueTooSmall,     // detail: QueueNumMax
    DmaTooSmall,       // detail: the bytes needed
    DmaNotContiguous,  // the legacy queue needs its pages in one physical run
    DmaAddressTooHigh, // the legacy page number does not fit 32 bits; detail: the address
};

const char* transport_error_name(TransportError error);

struct TransportFailure {
    TransportError error;
    u64 detail = 0;
};

template <kstd::CharSink S> constexpr void format_value(S& sink, const TransportFailure& failure) {
    kstd::format_to(sink, "{} ({})", transport_error_name(failure.error), kstd::Hex{failure.detail});
}

template <typename T> using TransportResult = kstd::Result<T, TransportFailure>;

struct NegotiatedFeatures {
    u64 offered = 0;
    u64 accepted = 0;
};

class MmioTransport {
public:
    MmioTransport() = default;
    explicit MmioTransport(DeviceRegisters registers) : registers_(registers) {}

    // Checks the magic value, the version (1 or 2) and that the device is `device_id`.
    TransportResult<void> probe(u32 device_id, u32 config_bytes);
    u32 version() const { return version_; }
    bool legacy() const { return version_ == 1; }

    // Resets the device and announces a driver (ACKNOWLEDGE, DRIVER).
    TransportResult<void> begin();
    // Accepts what the device offers of `wanted` (plus VERSION_1 on version 2) and, on
    // version 2, checks that the device agrees (FEATURES_OK). Legacy devices have no such
    // step and see only the low 32 bits.
    TransportResult<NegotiatedFeatures> negotiate(u64 wanted);
    // The largest size the device allows for `queue`; refuses a queue already set up.
    TransportResult<u16> queue_size_limit(u16 queue);
    // Gives the device `virtqueue`'s rings as `queue`.
    TransportResult<void> install_queue(u16 queue, const SplitVirtqueue& virtqueue);
    void set_driver_ok() { add_status(device_status::kDriverOk); }
    // Tells the device the driver gave up on it.
    void set_failed() { add_status(device_status::kFailed); }
    u32 status() const { return registers_.read32(mmio_register::kStatus); }

    // The device must not read the ring before the index store is visible: the register
    // access orders memory writes before the notify (DeviceRegisters' fences).
    void notify(u16 queue) { registers_.write32(mmio_register::kQueueNotify, queue); }
    // Reads the interrupt causes and acknowledges them (the line falls); returns them.
    u32 acknowledge_interrupts();

    u32 config32(u32 offset) const;
    // A 64-bit field read as two halves, again if the device changed it in between.
    u64 config64(u32 offset) const;

private:
    void add_status(u32 bits);

    DeviceRegisters registers_;
    u32 version_ = 0;
};

} // namespace tessera::virtio_blk
