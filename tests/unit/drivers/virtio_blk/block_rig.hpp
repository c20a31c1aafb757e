#pragma once
// The driver's pieces wired to a fake device: the DMA memory, the fake virtio-mmio block
// device, the driver, and (ServiceRig) the block service with an IPC buffer, driven as
// main.cpp drives it but without system calls.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "block_service.hpp"
#include "fake_virtio_blk.hpp"
#include "test_support.hpp"

namespace tessera::virtio_blk::testing {

inline constexpr u64 kDmaBase = 0x8765'0000;

inline std::string describe(const TransportResult<void>& result) {
    if (result) return "started";
    tessera_test::StringSink sink;
    kstd::format_to(sink, "{}", result.error());
    return sink.text;
}

struct BlockRig {
    explicit BlockRig(const FakeDeviceOptions& options = {},
                      std::vector<u64> pages = FakeDmaMemory::contiguous(kDmaBase, 4))
        : memory(std::move(pages)), device(options, memory) {}

    TransportResult<void> start() { return driver.start(device.registers(), memory.region()); }

    FakeDmaMemory memory;
    FakeVirtioBlk device;
    VirtioBlockDevice driver;
};

// One answer handle_interrupt sent: through which Reply object, the message, and for a
// read the sector's bytes as they were in the IPC buffer at that moment.
struct SentAnswer {
    u32 reply = 0;
    user::IpcMessage message;
    std::vector<u8> data;
};

struct ServiceRig : BlockRig {
    explicit ServiceRig(const FakeDeviceOptions& options = {},
                        std::vector<u64> pages = FakeDmaMemory::contiguous(kDmaBase, 4))
        : BlockRig(options, std::move(pages)) {
        started = start();
        INFO(describe(started));
        REQUIRE(started.ok());
    }

    // As main.cpp: the request arrived on service.receive_reply().
    BlockService::Outcome handle(const user::IpcMessage& request) {
        received_with = service.receive_reply();
        return service.handle_request(request, buffer);
    }
    BlockService::Outcome info() { return handle(user::service_request(u64(user::BlockRequest::GetInfo))); }
    BlockService::Outcome read(u64 sector) {
        return handle(user::service_request(u64(user::BlockRequest::Read), 1, sector));
    }
    BlockService::Outcome write(u64 sector, const std::vector<u8>& bytes) {
        user::IpcMessage request =
            user::service_request(u64(user::BlockRequest::Write), 1 + user::kSectorWords, sector);
        user::MessageWords(request, buffer).put_bytes(1, kstd::Bytes(bytes.data(), bytes.size()));
        return handle(request);
    }

    // The interrupt as main.cpp handles it; the line must be low afterwards.
    std::vector<SentAnswer> interrupt() {
        std::vector<SentAnswer> answers;
        service.handle_interrupt(buffer, [&](u32 reply, const user::IpcMessage& message) {
            SentAnswer sent{reply, message, {}};
            if (message.length() == 1 + user::kSectorWords) {
                sent.data.resize(user::kSectorBytes);
                user::IpcMessage copy = message;
                user::MessageWords(copy, buffer).get_bytes(1, kstd::Span<u8>(sent.data.data(), sent.data.size()));
            }
            answers.push_back(sent);
        });
        CHECK_FALSE(device.interrupt_line());
        return answers;
    }

    std::vector<u8> disk_sector(u64 sector) const {
        return std::vector<u8>(device.disk.begin() + static_cast<long>(sector * 512),
                               device.disk.begin() + static_cast<long>((sector + 1) * 512));
    }

    TransportResult<void> started;
    BlockService service{&driver};
    IpcBuffer buffer{};
    u32 received_with = 0;
};

inline user::ServiceStatus status_of(const user::IpcMessage& message) {
    return static_cast<user::ServiceStatus>(message.label());
}

} // namespace tessera::virtio_blk::testing
