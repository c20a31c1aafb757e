// The block service over the driver and the fake device: reads and writes that really
// move the fake disk's bytes through descriptor chains, requests held on Reply objects and
// answered from the interrupt in whatever order the device finishes them, and every
// request the service refuses before it reaches the device.
#include <set>

#include "block_rig.hpp"

using namespace tessera;
using namespace tessera::virtio_blk;
using namespace tessera::virtio_blk::testing;
using user::BlockRequest;
using user::ServiceStatus;

namespace {

FakeDeviceOptions options_for(u32 version, bool hold = false, bool read_only = false) {
    FakeDeviceOptions options;
    options.version = version;
    options.hold_completions = hold;
    options.read_only = read_only;
    return options;
}

std::vector<u8> pattern(u8 seed) {
    std::vector<u8> bytes(512);
    for (usize i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<u8>(seed ^ (i * 13));
    return bytes;
}

// An answer the service gives at once.
user::IpcMessage immediate(const BlockService::Outcome& outcome) {
    REQUIRE_FALSE(outcome.held);
    return outcome.answer;
}

} // namespace

TEST_CASE("a read answers with the disk's bytes once the device interrupts") {
    ServiceRig rig(options_for(GENERATE(1u, 2u)));
    BlockService::Outcome outcome = rig.read(5);
    REQUIRE(outcome.held);
    CHECK(rig.device.notifications == 1);
    REQUIRE(rig.device.interrupt_line());
    std::vector<SentAnswer> answers = rig.interrupt();
    REQUIRE(answers.size() == 1);
    CHECK(answers[0].reply == rig.received_with);
    CHECK(status_of(answers[0].message) == ServiceStatus::Ok);
    CHECK(answers[0].message.length() == 65);
    CHECK(answers[0].message.words[0] == 5);
    CHECK(answers[0].data == rig.disk_sector(5));
    CHECK(rig.device.interrupt_acks == std::vector<u32>{1});
    CHECK(rig.device.violations.empty());
}

TEST_CASE("a write changes the disk, and a read gives the new bytes back") {
    ServiceRig rig(options_for(GENERATE(1u, 2u)));
    std::vector<u8> before_neighbour = rig.disk_sector(10);
    std::vector<u8> bytes = pattern(0x5a);
    REQUIRE(rig.write(9, bytes).held);
    std::vector<SentAnswer> answers = rig.interrupt();
    REQUIRE(answers.size() == 1);
    CHECK(status_of(answers[0].message) == ServiceStatus::Ok);
    CHECK(answers[0].message.length() == 0);
    CHECK(rig.disk_sector(9) == bytes);
    CHECK(rig.disk_sector(10) == before_neighbour);

    REQUIRE(rig.read(9).held);
    answers = rig.interrupt();
    REQUIRE(answers.size() == 1);
    CHECK(answers[0].data == bytes);
    CHECK(rig.device.violations.empty());
}

TEST_CASE("GetInfo answers the capacity, the sector size and read-only") {
    bool read_only = GENERATE(false, true);
    ServiceRig rig(options_for(GENERATE(1u, 2u), false, read_only));
    user::IpcMessage answer = immediate(rig.info());
    CHECK(status_of(answer) == ServiceStatus::Ok);
    CHECK(answer.length() == 3);
    CHECK(answer.words[0] == 64);
    CHECK(answer.words[1] == 512);
    CHECK(answer.words[2] == (read_only ? 1 : 0));
}

TEST_CASE("three requests in flight finish in any order; a fourth is Busy") {
    ServiceRig rig(options_for(GENERATE(1u, 2u), true));
    std::vector<u8> bytes = pattern(0x33);
    u32 replies[3];
    REQUIRE(rig.read(1).held);
    replies[0] = rig.received_with;
    REQUIRE(rig.write(2, bytes).held);
    replies[1] = rig.received_with;
    REQUIRE(rig.read(3).held);
    replies[2] = rig.received_with;
    // Each held request keeps its own Reply object, and the next receive uses a free one.
    CHECK(replies[0] != replies[1]);
    CHECK(replies[1] != replies[2]);
    CHECK(replies[0] != replies[2]);
    u32 free_reply = rig.service.receive_reply();
    CHECK(free_reply != replies[0]);
    CHECK(free_reply != replies[1]);
    CHECK(free_reply != replies[2]);
    CHECK(rig.service.held_requests() == 3);

    CHECK(status_of(immediate(rig.read(4))) == ServiceStatus::Busy);
    CHECK(status_of(immediate(rig.write(4, bytes))) == ServiceStatus::Busy);
    CHECK(rig.received_with == free_reply);
    CHECK(rig.device.held() == 3);
    // GetInfo needs no slot.
    CHECK(status_of(immediate(rig.info())) == ServiceStatus::Ok);

    rig.device.complete_held(GENERATE(false, true));
    std::vector<SentAnswer> answers = rig.interrupt();
    REQUIRE(answers.size() == 3);
    std::set<u32> answered_replies;
    for (const SentAnswer& answer : answers) {
        CHECK(status_of(answer.message) == ServiceStatus::Ok);
        answered_replies.insert(answer.reply);
        // Each answer goes through the Reply object its request arrived on.
        if (answer.reply == replies[1]) {
            CHECK(answer.message.length() == 0);
        } else {
            u64 sector = answer.reply == replies[0] ? 1 : 3;
            CHECK(answer.message.words[0] == sector);
            CHECK(answer.data == rig.disk_sector(sector));
        }
    }
    CHECK(answered_replies == std::set<u32>{replies[0], replies[1], replies[2]});
    CHECK(rig.disk_sector(2) == bytes);
    CHECK(rig.service.held_requests() == 0);
    CHECK(rig.service.receive_reply() == free_reply);
    CHECK(rig.driver.requests_in_flight() == 0);
    CHECK(rig.device.violations.empty());
}

TEST_CASE("a small queue holds fewer requests") {
    FakeDeviceOptions options = options_for(GENERATE(1u, 2u), true);
    options.queue_size_max = 4;
    ServiceRig rig(options);
    REQUIRE(rig.read(0).held);
    CHECK(status_of(immediate(rig.read(1))) == ServiceStatus::Busy);
    rig.device.complete_held();
    CHECK(rig.interrupt().size() == 1);
    REQUIRE(rig.read(1).held);
}

TEST_CASE("many requests recycle descriptors, slots and Reply objects (randomized)") {
    u32 version = GENERATE(1u, 2u);
    std::uint64_t seed = tessera_test::test_seed();
    INFO("seed " << seed << " (TESSERA_TEST_SEED), version " << version);
    auto rng = tessera_test::make_rng(0xb10c + version);
    ServiceRig rig(options_for(version, true));
    std::vector<u8> model = rig.device.disk;
    // Sectors written by requests of the batch in flight: a read of one of them may see
    // the bytes from before or after, depending on the order the device picks.
    std::set<u64> written_in_batch;
    u64 answered = 0;
    for (int round = 0; round < 300; ++round) {
        u64 sector = rng() % 64;
        if (rng() % 2 == 0) {
            std::vector<u8> bytes = pattern(static_cast<u8>(rng()));
            BlockService::Outcome outcome = rig.write(sector, bytes);
            if (outcome.held) {
                std::copy(bytes.begin(), bytes.end(), model.begin() + static_cast<long>(sector * 512));
                written_in_batch.insert(sector);
            } else {
                CHECK(status_of(outcome.answer) == ServiceStatus::Busy);
            }
        } else {
            BlockService::Outcome outcome = rig.read(sector);
            if (!outcome.held) CHECK(status_of(outcome.answer) == ServiceStatus::Busy);
        }
        if (rng() % 3 == 0) {
            rig.device.complete_held(rng() % 2 == 0);
            for (const SentAnswer& answer : rig.interrupt()) {
                ++answered;
                REQUIRE(status_of(answer.message) == ServiceStatus::Ok);
                u64 read_sector = answer.message.words[0];
                if (!answer.data.empty() && written_in_batch.count(read_sector) == 0)
                    CHECK(answer.data == rig.disk_sector(read_sector));
            }
            written_in_batch.clear();
        }
    }
    rig.device.complete_held();
    answered += rig.interrupt().size();
    CHECK(answered == rig.device.requests_done);
    CHECK(answered > 100);
    CHECK(rig.device.disk == model);
    CHECK(rig.driver.requests_in_flight() == 0);
    CHECK(rig.service.held_requests() == 0);
    CHECK(rig.driver.bogus_completions() == 0);
    CHECK(rig.device.violations.empty());
}

TEST_CASE("a device error answers DeviceError with the virtio status byte") {
    ServiceRig rig(options_for(GENERATE(1u, 2u)));
    rig.device.forced_status = 1; // VIRTIO_BLK_S_IOERR
    REQUIRE(rig.read(3).held);
    std::vector<SentAnswer> answers = rig.interrupt();
    REQUIRE(answers.size() == 1);
    CHECK(status_of(answers[0].message) == ServiceStatus::DeviceError);
    CHECK(answers[0].message.length() == 1);
    CHECK(answers[0].message.words[0] == 1);
    CHECK(answers[0].reply == rig.received_with);
    // The slot is free again: the next request goes out.
    rig.device.forced_status = 0;
    REQUIRE(rig.read(3).held);
    CHECK(status_of(rig.interrupt().at(0).message) == ServiceStatus::Ok);
}

TEST_CASE("sectors past the end are OutOfRange and never reach the device") {
    ServiceRig rig(options_for(GENERATE(1u, 2u)));
    u64 sector = GENERATE(u64{64}, u64{65}, u64{1} << 40, ~u64{0});
    user::IpcMessage answer = immediate(rig.read(sector));
    CHECK(status_of(answer) == ServiceStatus::OutOfRange);
    CHECK(answer.words[0] == 64);
    CHECK(status_of(immediate(rig.write(sector, pattern(1)))) == ServiceStatus::OutOfRange);
    CHECK(rig.device.notifications == 0);
    // The last sector is fine.
    REQUIRE(rig.read(63).held);
    CHECK(rig.interrupt().at(0).data == rig.disk_sector(63));
}

TEST_CASE("malformed requests are refused before the device") {
    ServiceRig rig(options_for(GENERATE(1u, 2u)));
    auto [label, length, wrong_word] = GENERATE(table<u64, u64, u64>({
        {u64(BlockRequest::GetInfo), 1, 0},
        {u64(BlockRequest::Read), 0, 0},
        {u64(BlockRequest::Read), 2, 1},
        {u64(BlockRequest::Write), 1, 1},
        {u64(BlockRequest::Write), 64, 64},
        {u64(BlockRequest::Write), 66, 65},
    }));
    user::IpcMessage answer = immediate(rig.handle(user::service_request(label, length, 0)));
    CHECK(status_of(answer) == ServiceStatus::InvalidArgument);
    CHECK(answer.words[0] == wrong_word);
    CHECK(rig.device.notifications == 0);
    CHECK(rig.service.held_requests() == 0);
}

TEST_CASE("an unknown label is UnknownRequest") {
    ServiceRig rig;
    u64 label = GENERATE(u64{0}, u64{4}, u64{1} << 40);
    CHECK(status_of(immediate(rig.handle(user::service_request(label, 1, 0))))
          == ServiceStatus::UnknownRequest);
    CHECK(rig.device.notifications == 0);
}

TEST_CASE("a write to a read-only disk is refused and changes nothing") {
    ServiceRig rig(options_for(GENERATE(1u, 2u), false, true));
    std::vector<u8> disk = rig.device.disk;
    user::IpcMessage answer = immediate(rig.write(4, pattern(9)));
    CHECK(status_of(answer) == ServiceStatus::DeviceError);
    CHECK(answer.words[0] == kBlockStatusUnsupported);
    CHECK(rig.device.notifications == 0);
    CHECK(rig.device.disk == disk);
    // Reads still work.
    REQUIRE(rig.read(4).held);
    CHECK(rig.interrupt().at(0).data == rig.disk_sector(4));
}

TEST_CASE("without a working device every request is NotPresent") {
    IpcBuffer buffer{};
    BlockService service(nullptr);
    for (BlockRequest request : {BlockRequest::GetInfo, BlockRequest::Read, BlockRequest::Write}) {
        BlockService::Outcome outcome = service.handle_request(user::service_request(u64(request), 1, 0), buffer);
        CHECK_FALSE(outcome.held);
        CHECK(status_of(outcome.answer) == ServiceStatus::NotPresent);
    }
    u32 answered = service.handle_interrupt(buffer, [](u32, const user::IpcMessage&) { FAIL("answered"); });
    CHECK(answered == 0);
}

TEST_CASE("used-ring entries that name no request in flight are skipped") {
    ServiceRig rig(options_for(GENERATE(1u, 2u), true));
    REQUIRE(rig.read(6).held);
    rig.device.return_bogus_entry(7);    // a descriptor, but no chain the driver made available
    rig.device.return_bogus_entry(999);  // not even a descriptor
    std::vector<SentAnswer> answers = rig.interrupt();
    CHECK(answers.empty());
    CHECK(rig.driver.bogus_completions() == 2);
    CHECK(rig.service.held_requests() == 1);
    rig.device.complete_held();
    answers = rig.interrupt();
    REQUIRE(answers.size() == 1);
    CHECK(answers[0].data == rig.disk_sector(6));
}

TEST_CASE("a request held across a configuration change still completes") {
    ServiceRig rig(options_for(GENERATE(1u, 2u), true));
    REQUIRE(rig.read(60).held);
    rig.device.resize(32);
    CHECK(rig.interrupt().empty());
    CHECK(immediate(rig.info()).words[0] == 32);
    CHECK(status_of(immediate(rig.read(40))) == ServiceStatus::OutOfRange);
    rig.device.complete_held();
    std::vector<SentAnswer> answers = rig.interrupt();
    REQUIRE(answers.size() == 1);
    // The device checks its own capacity: the shrunken disk no longer has sector 60.
    CHECK(status_of(answers[0].message) == ServiceStatus::DeviceError);
    CHECK(answers[0].message.words[0] == 1);
}
