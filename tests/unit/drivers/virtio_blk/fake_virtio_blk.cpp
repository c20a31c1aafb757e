#include "fake_virtio_blk.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace tessera::virtio_blk::testing {

namespace {

constexpr u64 kPage = kDmaPageBytes;

// The device-side constants, written out from the specification rather than taken from
// the driver's headers, so that a wrong constant there fails here.
constexpr u32 kStatusAcknowledge = 1, kStatusDriver = 2, kStatusDriverOk = 4, kStatusFeaturesOk = 8;
constexpr u64 kFeatureSegMax = u64{1} << 2, kFeatureReadOnly = u64{1} << 5, kFeatureBlockSize = u64{1} << 6,
              kFeatureFlush = u64{1} << 9, kFeatureIndirect = u64{1} << 28, kFeatureEventIndex = u64{1} << 29,
              kFeatureVersion1 = u64{1} << 32;
constexpr u16 kFlagNext = 1, kFlagWrite = 2;
constexpr u32 kTypeIn = 0, kTypeOut = 1;
constexpr u8 kBlkOk = 0, kBlkIoError = 1, kBlkUnsupported = 2;

u64 align(u64 value, u64 alignment) { return (value + alignment - 1) / alignment * alignment; }

} // namespace

FakeDmaMemory::FakeDmaMemory(std::vector<u64> page_physical) : pages_(std::move(page_physical)) {
    memory_ = static_cast<u8*>(std::aligned_alloc(kPage, pages_.size() * kPage));
    std::memset(memory_, 0xa5, pages_.size() * kPage); // not zero: the driver must clear what it uses
}

FakeDmaMemory::~FakeDmaMemory() { std::free(memory_); }

DmaRegion FakeDmaMemory::region() const {
    return DmaRegion(memory_, kstd::Span<const u64>(pages_.data(), pages_.size()));
}

std::vector<u64> FakeDmaMemory::contiguous(u64 first, usize count) {
    std::vector<u64> pages;
    for (usize i = 0; i < count; ++i) pages.push_back(first + i * kPage);
    return pages;
}

u8* FakeDmaMemory::translate(u64 address, u64 length) const {
    for (usize page = 0; page < pages_.size(); ++page) {
        if (address < pages_[page] || address >= pages_[page] + kPage) continue;
        u64 offset = address - pages_[page];
        // Further pages must follow physically, as the device would walk on in memory.
        for (u64 covered = kPage - offset, next = page + 1; covered < length; covered += kPage, ++next)
            if (next >= pages_.size() || pages_[next] != pages_[next - 1] + kPage) return nullptr;
        return memory_ + page * kPage + offset;
    }
    return nullptr;
}

FakeVirtioBlk::FakeVirtioBlk(const FakeDeviceOptions& options, const FakeDmaMemory& memory)
    : options_(options), memory_(memory), sectors_(options.sectors) {
    disk.resize(options.sectors * 512);
    for (usize i = 0; i < disk.size(); ++i) disk[i] = static_cast<u8>((i / 512) * 7 + i % 512);
    reset();
}

DeviceRegisters FakeVirtioBlk::registers() {
    static constexpr DeviceRegisters::Access kAccess{read_register, write_register};
    return DeviceRegisters(&kAccess, this, 0x200);
}

u32 FakeVirtioBlk::read_register(void* context, u32 offset) {
    return static_cast<FakeVirtioBlk*>(context)->read(offset);
}

void FakeVirtioBlk::write_register(void* context, u32 offset, u32 value) {
    static_cast<FakeVirtioBlk*>(context)->write(offset, value);
}

void FakeVirtioBlk::violation(const std::string& what) { violations.push_back(what); }

u64 FakeVirtioBlk::offered_features() const {
    u64 features = kFeatureSegMax | kFeatureBlockSize | kFeatureFlush | kFeatureIndirect | kFeatureEventIndex;
    if (options_.read_only) features |= kFeatureReadOnly;
    if (modern() && options_.offer_version_1) features |= kFeatureVersion1;
    return features;
}

bool FakeVirtioBlk::queue_live() const { return modern() ? queue_ready_ != 0 : queue_page_number_ != 0; }

void FakeVirtioBlk::reset() {
    status_ = 0;
    driver_features = 0;
    queue_size_ = 0;
    queue_align_ = 4096;
    queue_page_number_ = options_.queue_already_in_use && !modern() ? 0x1234 : 0;
    queue_ready_ = options_.queue_already_in_use && modern() ? 1 : 0;
    descriptors_ = available_ = used_ = 0;
    interrupt_status_ = 0;
    last_available_ = 0;
    used_index_ = 0;
    held_.clear();
}

u32 FakeVirtioBlk::read(u32 offset) {
    switch (offset) {
    case 0x000: return options_.magic;
    case 0x004: return options_.version;
    case 0x008: return options_.device_id;
    case 0x00c: return 0x554d4551;
    case 0x010: {
        u64 features = offered_features();
        if (device_features_select_ == 0) return static_cast<u32>(features);
        return device_features_select_ == 1 && modern() ? static_cast<u32>(features >> 32) : 0;
    }
    case 0x034: return queue_select_ == 0 ? options_.queue_size_max : 0;
    case 0x040:
        if (modern()) violation("QueuePFN read on a version 2 device");
        return queue_page_number_;
    case 0x044:
        if (!modern()) violation("QueueReady read on a legacy device");
        return queue_ready_;
    case 0x060: return interrupt_status_;
    case 0x070: return status_;
    case 0x0fc:
        if (!modern()) violation("ConfigGeneration read on a legacy device");
        return config_generation_;
    case 0x100: {
        u32 low = static_cast<u32>(sectors_);
        if (options_.capacity_changes_during_read != 0) {
            sectors_ = options_.capacity_changes_during_read;
            options_.capacity_changes_during_read = 0;
            ++config_generation_;
        }
        return low;
    }
    case 0x104: return static_cast<u32>(sectors_ >> 32);
    default:
        if (offset >= 0x100) return 0;
        violation("read of register " + std::to_string(offset));
        return 0;
    }
}

void FakeVirtioBlk::write(u32 offset, u32 value) {
    bool legacy_only = offset == 0x028 || offset == 0x03c || offset == 0x040;
    bool modern_only = offset == 0x044 || (offset >= 0x080 && offset <= 0x0a4);
    if (legacy_only && modern()) violation("legacy register " + std::to_string(offset) + " written on version 2");
    if (modern_only && !modern())
        violation("version 2 register " + std::to_string(offset) + " written on a legacy device");
    bool queue_register = offset == 0x038 || offset == 0x03c || offset == 0x040 || modern_only;
    if (queue_register && modern() && (status_ & kStatusFeaturesOk) == 0)
        violation("queue set up before FEATURES_OK");
    if (queue_register && queue_select_ != 0) violation("a queue other than 0 set up");
    switch (offset) {
    case 0x014: device_features_select_ = value; return;
    case 0x020:
        if ((status_ & kStatusFeaturesOk) != 0) violation("features written after FEATURES_OK");
        if (driver_features_select_ == 0) driver_features = (driver_features & ~u64{0xffffffff}) | value;
        else if (driver_features_select_ == 1) driver_features = (driver_features & 0xffffffff) | u64{value} << 32;
        return;
    case 0x024: driver_features_select_ = value; return;
    case 0x028: guest_page_size_ = value; return;
    case 0x030: queue_select_ = value; return;
    case 0x038:
        if (value == 0 || value > options_.queue_size_max || (value & (value - 1)) != 0)
            violation("queue size " + std::to_string(value));
        queue_size_ = value;
        return;
    case 0x03c: queue_align_ = value; return;
    case 0x040:
        if (guest_page_size_ == 0) violation("QueuePFN before GuestPageSize");
        queue_page_number_ = value;
        descriptors_ = u64{value} * guest_page_size_;
        available_ = descriptors_ + 16 * u64{queue_size_};
        used_ = align(available_ + 6 + 2 * u64{queue_size_}, queue_align_);
        return;
    case 0x044: queue_ready_ = value; return;
    case 0x050:
        ++notifications;
        if (value != 0) violation("notify of queue " + std::to_string(value));
        take_available();
        return;
    case 0x064:
        interrupt_acks.push_back(value);
        interrupt_status_ &= ~value;
        return;
    case 0x070: write_status(value); return;
    case 0x080: descriptors_ = (descriptors_ & ~u64{0xffffffff}) | value; return;
    case 0x084: descriptors_ = (descriptors_ & 0xffffffff) | u64{value} << 32; return;
    case 0x090: available_ = (available_ & ~u64{0xffffffff}) | value; return;
    case 0x094: available_ = (available_ & 0xffffffff) | u64{value} << 32; return;
    case 0x0a0: used_ = (used_ & ~u64{0xffffffff}) | value; return;
    case 0x0a4: used_ = (used_ & 0xffffffff) | u64{value} << 32; return;
    default: violation("write of register " + std::to_string(offset));
    }
}

void FakeVirtioBlk::write_status(u32 value) {
    status_writes.push_back(value);
    if (value == 0) {
        reset();
        return;
    }
    if ((status_ & ~value) != 0) violation("status bits cleared without a reset");
    u32 added = value & ~status_;
    if ((value & kStatusAcknowledge) == 0) violation("status without ACKNOWLEDGE");
    if ((added & ~kStatusAcknowledge) != 0 && (value & kStatusDriver) == 0) violation("status without DRIVER");
    if ((added & kStatusFeaturesOk) != 0) {
        if (!modern()) violation("FEATURES_OK on a legacy device");
        bool acceptable = (driver_features & ~offered_features()) == 0 && (driver_features & kFeatureVersion1) != 0 &&
                          !options_.refuse_features_ok;
        if (!acceptable) value &= ~kStatusFeaturesOk;
    }
    if ((added & kStatusDriverOk) != 0) {
        if (modern() && (value & kStatusFeaturesOk) == 0) violation("DRIVER_OK without FEATURES_OK");
        if (!queue_live()) violation("DRIVER_OK before the queue was set up");
    }
    status_ = value;
}

void FakeVirtioBlk::take_available() {
    if ((status_ & kStatusDriverOk) == 0 || !queue_live()) {
        violation("notified before DRIVER_OK and a live queue");
        return;
    }
    const u8* index_bytes = memory_.translate(available_ + 2, 2);
    if (index_bytes == nullptr) {
        violation("available ring outside memory");
        return;
    }
    u16 available_index;
    std::memcpy(&available_index, index_bytes, 2);
    while (last_available_ != available_index) {
        u16 head;
        std::memcpy(&head, memory_.translate(available_ + 4 + 2 * (last_available_ % queue_size_), 2), 2);
        ++last_available_;
        if (options_.hold_completions) held_.push_back(head);
        else finish(head);
    }
}

void FakeVirtioBlk::complete_held(bool reversed) {
    std::vector<u16> heads = held_;
    held_.clear();
    if (reversed) std::reverse(heads.begin(), heads.end());
    for (u16 head : heads) finish(head);
}

struct Descriptor {
    u64 address;
    u32 length;
    u16 flags;
    u16 next;
};

void FakeVirtioBlk::finish(u16 head) {
    std::vector<Descriptor> chain;
    for (u16 index = head;;) {
        if (index >= queue_size_ || chain.size() >= queue_size_) {
            violation("descriptor chain leaves the table or loops");
            return;
        }
        Descriptor descriptor;
        const u8* bytes = memory_.translate(descriptors_ + 16 * u64{index}, 16);
        if (bytes == nullptr) {
            violation("descriptor table outside memory");
            return;
        }
        std::memcpy(&descriptor, bytes, 16);
        chain.push_back(descriptor);
        if ((descriptor.flags & kFlagNext) == 0) break;
        index = descriptor.next;
    }
    if (chain.size() != 3) {
        violation("a chain of " + std::to_string(chain.size()) + " descriptors");
        return;
    }
    u8* header = memory_.translate(chain[0].address, chain[0].length);
    u8* data = memory_.translate(chain[1].address, chain[1].length);
    u8* status = memory_.translate(chain[2].address, chain[2].length);
    if (header == nullptr || data == nullptr || status == nullptr) {
        violation("a request buffer outside memory or not one physical run");
        return;
    }
    u32 type;
    u64 sector;
    std::memcpy(&type, header, 4);
    std::memcpy(&sector, header + 8, 8);
    if (chain[0].length != 16 || (chain[0].flags & kFlagWrite) != 0) violation("header not 16 device-read bytes");
    if (chain[1].length != 512) violation("data not 512 bytes");
    if (((chain[1].flags & kFlagWrite) != 0) != (type == kTypeIn)) violation("data buffer direction");
    if (chain[2].length != 1 || (chain[2].flags & kFlagWrite) == 0) violation("status not one device-written byte");

    u8 result = kBlkOk;
    u32 written = 1;
    bool in_range = sector < sectors_ && (sector + 1) * 512 <= disk.size();
    if (type != kTypeIn && type != kTypeOut) result = kBlkUnsupported;
    else if (!in_range) result = kBlkIoError;
    else if (forced_status != 0) result = forced_status;
    else if (type == kTypeIn) {
        std::memcpy(data, disk.data() + sector * 512, 512);
        written += 512;
    } else if (options_.read_only) result = kBlkIoError;
    else std::memcpy(disk.data() + sector * 512, data, 512);
    *status = result;
    ++requests_done;
    push_used(head, written);
}

void FakeVirtioBlk::push_used(u32 id, u32 written) {
    u8* element = memory_.translate(used_ + 4 + 8 * u64{used_index_ % queue_size_}, 8);
    u8* index = memory_.translate(used_ + 2, 2);
    if (element == nullptr || index == nullptr) {
        violation("used ring outside memory");
        return;
    }
    std::memcpy(element, &id, 4);
    std::memcpy(element + 4, &written, 4);
    ++used_index_;
    std::memcpy(index, &used_index_, 2);
    interrupt_status_ |= 1;
}

void FakeVirtioBlk::return_bogus_entry(u32 id) { push_used(id, 0); }

void FakeVirtioBlk::resize(u64 sectors) {
    sectors_ = sectors;
    disk.resize(sectors * 512);
    ++config_generation_;
    interrupt_status_ |= 2;
}

} // namespace tessera::virtio_blk::testing
