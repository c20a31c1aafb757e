#pragma once
// A virtio-mmio block device in host memory, for the driver's host tests. It answers the
// registers of either interface version, checks the driver's handshake as a strict device
// would (recording every breach in `violations`), and on a notification walks the
// descriptor chains it finds in the available ring through the fake physical memory:
// reads copy its disk into the driver's buffers, writes change the disk, the status byte
// and the used ring are written, and the used-buffer interrupt is raised. Completions can
// be held back and released in any order.
#include <cstdint>
#include <string>
#include <vector>

#include "device_registers.hpp"
#include "dma_region.hpp"

namespace tessera::virtio_blk::testing {

// Host pages standing in for the DMA frames, each with the physical address the driver is
// told; the device reaches them only through those addresses.
class FakeDmaMemory {
public:
    explicit FakeDmaMemory(std::vector<u64> page_physical);
    ~FakeDmaMemory();
    FakeDmaMemory(const FakeDmaMemory&) = delete;
    FakeDmaMemory& operator=(const FakeDmaMemory&) = delete;

    DmaRegion region() const;
    // The host bytes of physical [address, address + length), or null when that is not
    // memory of the region in one physical run.
    u8* translate(u64 address, u64 length) const;

    // Frames in a row from `first`.
    static std::vector<u64> contiguous(u64 first, usize count);

private:
    std::vector<u64> pages_;
    u8* memory_ = nullptr;
};

struct FakeDeviceOptions {
    u32 magic = 0x74726976;
    u32 version = 1;
    u32 device_id = 2;
    u64 sectors = 64;
    bool read_only = false;
    bool offer_version_1 = true;    // version 2 only
    bool refuse_features_ok = false; // FEATURES_OK never sticks
    u32 queue_size_max = 256;
    bool queue_already_in_use = false;
    bool hold_completions = false; // finish requests only in complete_held()
    // The capacity becomes this while the driver reads it (between the halves), once.
    u64 capacity_changes_during_read = 0;
};

class FakeVirtioBlk {
public:
    FakeVirtioBlk(const FakeDeviceOptions& options, const FakeDmaMemory& memory);

    DeviceRegisters registers();

    // The disk: sectors * 512 bytes, initially each byte (sector * 7 + offset) & 0xff.
    std::vector<u8> disk;
    std::vector<std::string> violations;
    std::vector<u32> status_writes;   // every value written to Status, in order
    std::vector<u32> interrupt_acks;  // every value written to InterruptACK
    u64 driver_features = 0;
    u64 notifications = 0;
    u64 requests_done = 0;
    // The status byte the next requests finish with instead of their own (0: none).
    u8 forced_status = 0;

    u32 status() const { return status_; }
    bool interrupt_line() const { return interrupt_status_ != 0; }
    u64 offered_features() const;
    u32 queue_size() const { return queue_size_; }
    u64 queue_descriptors() const { return descriptors_; }
    u64 queue_available() const { return available_; }
    u64 queue_used() const { return used_; }
    bool queue_live() const;

    // Finishes the held requests, in arrival order or reversed.
    void complete_held(bool reversed = false);
    usize held() const { return held_.size(); }
    // Puts an entry the driver never made available into the used ring, and interrupts.
    void return_bogus_entry(u32 id);
    // The disk grows or shrinks: new capacity, the configuration-change interrupt.
    void resize(u64 sectors);

private:
    static u32 read_register(void* context, u32 offset);
    static void write_register(void* context, u32 offset, u32 value);
    u32 read(u32 offset);
    void write(u32 offset, u32 value);
    void write_status(u32 value);
    void reset();
    void violation(const std::string& what);
    bool modern() const { return options_.version == 2; }
    void take_available();
    void finish(u16 head);
    void push_used(u32 id, u32 written);

    FakeDeviceOptions options_;
    const FakeDmaMemory& memory_;
    u64 sectors_;
    u32 status_ = 0;
    u32 device_features_select_ = 0;
    u32 driver_features_select_ = 0;
    u32 guest_page_size_ = 0;
    u32 queue_select_ = 0;
    u32 queue_size_ = 0;
    u32 queue_align_ = 4096;
    u32 queue_page_number_ = 0;
    u32 queue_ready_ = 0;
    u64 descriptors_ = 0;
    u64 available_ = 0;
    u64 used_ = 0;
    u32 interrupt_status_ = 0;
    u32 config_generation_ = 0;
    u16 last_available_ = 0;
    u16 used_index_ = 0;
    std::vector<u16> held_;
};

} // namespace tessera::virtio_blk::testing
