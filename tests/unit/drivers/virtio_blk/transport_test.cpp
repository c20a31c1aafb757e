// Bringing a virtio-mmio block device up, on both interface versions, and every refusal:
// the register handshake as the fake device sees it, the queue's memory, the capacity.
#include "block_rig.hpp"

using namespace tessera;
using namespace tessera::virtio_blk;
using namespace tessera::virtio_blk::testing;

namespace {

constexpr u32 kAck = 1, kDriver = 2, kDriverOk = 4, kFeaturesOk = 8, kFailed = 128;
constexpr u64 kReadOnlyFeature = u64{1} << 5;
constexpr u64 kVersion1Feature = u64{1} << 32;

FakeDeviceOptions version(u32 number) {
    FakeDeviceOptions options;
    options.version = number;
    return options;
}

TransportError refusal(BlockRig& rig) {
    TransportResult<void> started = rig.start();
    INFO(describe(started));
    REQUIRE_FALSE(started.ok());
    return started.error().error;
}

} // namespace

TEST_CASE("a legacy device starts without FEATURES_OK and gets its queue by page number") {
    BlockRig rig(version(1));
    TransportResult<void> started = rig.start();
    INFO(describe(started));
    REQUIRE(started.ok());
    CHECK(rig.device.violations.empty());
    CHECK(rig.device.status_writes == std::vector<u32>{0, kAck, kAck | kDriver, kAck | kDriver | kDriverOk});
    // Nothing the driver did not ask for is accepted; the fake offers several such features.
    CHECK(rig.device.driver_features == 0);
    CHECK(rig.device.queue_size() == 16);
    CHECK(rig.device.queue_descriptors() == kDmaBase);
    CHECK(rig.device.queue_available() == kDmaBase + 16 * 16);
    CHECK(rig.device.queue_used() == kDmaBase + 4096);
    const BlockDeviceInfo& info = rig.driver.info();
    CHECK(info.transport_version == 1);
    CHECK(info.sectors == 64);
    CHECK_FALSE(info.read_only);
    CHECK(info.queue_size == 16);
    CHECK(info.request_slots == 3);
}

TEST_CASE("a version 2 device starts with VERSION_1 accepted and three ring addresses") {
    BlockRig rig(version(2));
    TransportResult<void> started = rig.start();
    INFO(describe(started));
    REQUIRE(started.ok());
    CHECK(rig.device.violations.empty());
    CHECK(rig.device.status_writes == std::vector<u32>{0, kAck, kAck | kDriver, kAck | kDriver | kFeaturesOk,
                                                       kAck | kDriver | kFeaturesOk | kDriverOk});
    CHECK(rig.device.driver_features == kVersion1Feature);
    CHECK(rig.device.queue_live());
    CHECK(rig.device.queue_descriptors() == kDmaBase);
    CHECK(rig.device.queue_available() == kDmaBase + 16 * 16);
    CHECK(rig.device.queue_used() == kDmaBase + 4096);
    CHECK(rig.driver.info().transport_version == 2);
    CHECK(rig.driver.info().sectors == 64);
}

TEST_CASE("a read-only device is recognised by VIRTIO_BLK_F_RO") {
    u32 number = GENERATE(1u, 2u);
    FakeDeviceOptions options = version(number);
    options.read_only = true;
    BlockRig rig(options);
    REQUIRE(rig.start().ok());
    CHECK((rig.device.driver_features & kReadOnlyFeature) != 0);
    CHECK(rig.driver.info().read_only);
    CHECK(rig.device.violations.empty());
}

TEST_CASE("probing refuses what is not a virtio-mmio block device, touching no status") {
    FakeDeviceOptions options;
    SECTION("wrong magic") {
        options.magic = 0x12345678;
        BlockRig rig(options);
        CHECK(refusal(rig) == TransportError::BadMagic);
        CHECK(rig.device.status_writes.empty());
    }
    SECTION("an interface version this driver does not know") {
        options.version = 3;
        BlockRig rig(options);
        CHECK(refusal(rig) == TransportError::UnsupportedVersion);
        CHECK(rig.device.status_writes.empty());
    }
    SECTION("another device type, or an empty transport") {
        options.device_id = GENERATE(0u, 1u, 16u);
        BlockRig rig(options);
        TransportResult<void> started = rig.start();
        REQUIRE_FALSE(started.ok());
        CHECK(started.error().error == TransportError::WrongDevice);
        CHECK(started.error().detail == options.device_id);
        CHECK(rig.device.status_writes.empty());
    }
    SECTION("a register window without the configuration space") {
        BlockRig rig(options);
        static constexpr DeviceRegisters::Access kNever{[](void*, u32) -> u32 { FAIL("read"); return 0; },
                                                        [](void*, u32, u32) { FAIL("write"); }};
        TransportResult<void> started = rig.driver.start(DeviceRegisters(&kNever, nullptr, 0x100), rig.memory.region());
        REQUIRE_FALSE(started.ok());
        CHECK(started.error().error == TransportError::RegistersTooSmall);
    }
}

TEST_CASE("negotiation failures leave the device marked FAILED") {
    FakeDeviceOptions options = version(2);
    SECTION("a version 2 device without VERSION_1") {
        options.offer_version_1 = false;
        BlockRig rig(options);
        CHECK(refusal(rig) == TransportError::NoVersion1);
        CHECK((rig.device.status() & kFailed) != 0);
        CHECK((rig.device.status() & kDriverOk) == 0);
    }
    SECTION("a device that does not take the features") {
        options.refuse_features_ok = true;
        BlockRig rig(options);
        CHECK(refusal(rig) == TransportError::FeaturesRefused);
        CHECK((rig.device.status() & kFailed) != 0);
        CHECK((rig.device.status() & kDriverOk) == 0);
        CHECK_FALSE(rig.device.queue_live());
    }
}

TEST_CASE("queue refusals") {
    FakeDeviceOptions options = version(GENERATE(1u, 2u));
    SECTION("no queue 0") {
        options.queue_size_max = 0;
        BlockRig rig(options);
        CHECK(refusal(rig) == TransportError::QueueUnavailable);
    }
    SECTION("a queue too small for one request") {
        options.queue_size_max = GENERATE(1u, 2u, 3u);
        BlockRig rig(options);
        CHECK(refusal(rig) == TransportError::QueueTooSmall);
    }
    SECTION("a queue the device says is already in use") {
        options.queue_already_in_use = true;
        BlockRig rig(options);
        CHECK(refusal(rig) == TransportError::QueueInUse);
    }
}

TEST_CASE("the queue size follows the device's maximum, and the request slots the queue") {
    auto [maximum, size, slots] = GENERATE(table<u32, u16, u32>({
        {4, 4, 1}, {7, 4, 1}, {8, 8, 2}, {12, 8, 2}, {16, 16, 3}, {1024, 16, 3}}));
    FakeDeviceOptions options = version(GENERATE(1u, 2u));
    options.queue_size_max = maximum;
    BlockRig rig(options);
    REQUIRE(rig.start().ok());
    CHECK(rig.device.queue_size() == size);
    CHECK(rig.driver.info().queue_size == size);
    CHECK(rig.driver.info().request_slots == slots);
    CHECK(rig.device.violations.empty());
}

TEST_CASE("DMA memory that cannot hold the queue and the requests") {
    SECTION("too few frames") {
        BlockRig rig(version(GENERATE(1u, 2u)), FakeDmaMemory::contiguous(kDmaBase, 2));
        CHECK(refusal(rig) == TransportError::DmaTooSmall);
    }
    SECTION("frames out of order: the legacy queue's one page number cannot span them") {
        BlockRig rig(version(1), {kDmaBase, kDmaBase + 0x10000, kDmaBase + 0x20000, kDmaBase + 0x30000});
        CHECK(refusal(rig) == TransportError::DmaNotContiguous);
    }
    SECTION("frames above what a 32-bit legacy page number reaches") {
        BlockRig rig(version(1), FakeDmaMemory::contiguous(u64{1} << 44, 4));
        CHECK(refusal(rig) == TransportError::DmaAddressTooHigh);
    }
}

TEST_CASE("version 2 works with frames out of order, each ring and buffer within one frame") {
    ServiceRig rig(version(2), {kDmaBase + 0x30000, kDmaBase, kDmaBase + 0x50000, kDmaBase + 0x10000});
    CHECK(rig.device.queue_descriptors() == kDmaBase + 0x30000);
    CHECK(rig.device.queue_used() == kDmaBase);
    REQUIRE(rig.read(11).held);
    std::vector<SentAnswer> answers = rig.interrupt();
    REQUIRE(answers.size() == 1);
    CHECK(answers[0].data == rig.disk_sector(11));
    CHECK(rig.device.violations.empty());
}

TEST_CASE("a capacity that changes between its two halves is read again") {
    FakeDeviceOptions options = version(GENERATE(1u, 2u));
    options.capacity_changes_during_read = 0x1'0000'0040;
    BlockRig rig(options);
    REQUIRE(rig.start().ok());
    CHECK(rig.driver.info().sectors == 0x1'0000'0040);
}

TEST_CASE("a configuration-change interrupt updates the capacity") {
    BlockRig rig(version(GENERATE(1u, 2u)));
    REQUIRE(rig.start().ok());
    rig.device.resize(128);
    CHECK(rig.driver.acknowledge_interrupt() == kInterruptConfigChanged);
    CHECK(rig.device.interrupt_acks == std::vector<u32>{kInterruptConfigChanged});
    CHECK_FALSE(rig.device.interrupt_line());
    CHECK(rig.driver.info().sectors == 128);
    // Nothing pending: nothing is acknowledged.
    CHECK(rig.driver.acknowledge_interrupt() == 0);
    CHECK(rig.device.interrupt_acks.size() == 1);
}

TEST_CASE("sizes print as people read them") {
    auto [bytes, text] = GENERATE(table<u64, const char*>({
        {0, "0 bytes"},
        {512, "512 bytes"},
        {1024, "1 KiB"},
        {1536, "1.5 KiB"},
        {1024 * 1024, "1 MiB"},
        {64 * 512, "32 KiB"},
        {1023 * 1024, "1023 KiB"},
        {3 * 1024 * 1024 / 2, "1.5 MiB"},
        {u64{2} << 30, "2 GiB"},
        {u64{5} << 40, "5 TiB"},
        {(u64{1} << 50), "1024 TiB"},
    }));
    tessera_test::StringSink sink;
    kstd::format_to(sink, "{}", ByteSize{bytes});
    CHECK(sink.text == text);
}
