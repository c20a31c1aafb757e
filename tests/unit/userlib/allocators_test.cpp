// BootInfo checks, the slot allocator, and the object allocator against the kernel's own
// Retype (fake_kernel.hpp): its watermark bookkeeping must predict where the kernel agrees.
#include <catch2/catch.hpp>

#include <map>

#include <userlib/bootinfo.hpp>
#include <userlib/object_allocator.hpp>

#include "../test_support.hpp"
#include "fake_kernel.hpp"

using namespace tessera;
using namespace tessera::user;

namespace {

BootInfo valid_boot_info() {
    BootInfo info{};
    info.magic = kBootInfoMagic;
    info.version = kBootInfoVersion;
    info.root_cnode_radix = kRootCNodeRadix;
    info.untyped = SlotRange{100, 103};
    info.empty = SlotRange{103, 4096};
    info.untyped_count = 3;
    info.untyped_list[0] = UntypedDescriptor{0x80400000, 22, 0, {}};
    info.untyped_list[1] = UntypedDescriptor{0x81000000, 24, 0, {}};
    info.untyped_list[2] = UntypedDescriptor{0x10000000, 12, 1, {}};
    return info;
}

u64 problem_of(const BootInfo& info) {
    auto view = BootInfoView::from(&info);
    return view.ok() ? 0 : view.error().detail;
}

} // namespace

TEST_CASE("userlib: BootInfoView accepts a valid page and sums its untypeds") {
    BootInfo info = valid_boot_info();
    auto view = BootInfoView::from(&info);
    REQUIRE(view.ok());
    CHECK(view.value().ram_untyped_bytes() == (u64{1} << 22) + (u64{1} << 24));
    CHECK(view.value().device_untyped_bytes() == 4096);
    CHECK(view.value().device_untyped_count() == 1);
    CHECK(view.value().untyped_cap(2) == CPtr{102});
}

TEST_CASE("userlib: BootInfoView names what is wrong with a bad page") {
    CHECK(BootInfoView::from(nullptr).error().detail == static_cast<u64>(BootInfoProblem::NullPointer));
    BootInfo info = valid_boot_info();
    info.magic ^= 1;
    CHECK(problem_of(info) == static_cast<u64>(BootInfoProblem::BadMagic));
    info = valid_boot_info();
    info.version = 2;
    CHECK(problem_of(info) == static_cast<u64>(BootInfoProblem::BadVersion));
    info = valid_boot_info();
    info.empty.end = 4097;
    CHECK(problem_of(info) == static_cast<u64>(BootInfoProblem::RangeOutsideCNode));
    info = valid_boot_info();
    info.untyped_count = 2;
    CHECK(problem_of(info) == static_cast<u64>(BootInfoProblem::UntypedCountMismatch));
    info = valid_boot_info();
    info.untyped_list[1].physical += 4096;
    CHECK(problem_of(info) == static_cast<u64>(BootInfoProblem::BadUntypedSize));
}

TEST_CASE("userlib: the slot allocator hands out runs and takes slots back") {
    SlotAllocator slots(SlotRange{10, 20});
    CHECK(slots.allocate().value() == CPtr{10});
    CHECK(slots.allocate_run(4).value() == CPtr{11});
    CHECK(slots.free_count() == 5);
    slots.free(CPtr{12});
    CHECK(slots.allocate_run(2).value() == CPtr{15}); // 12 alone is too short
    CHECK(slots.allocate().value() == CPtr{12});
    CHECK(slots.allocate_run(3).value() == CPtr{17});
    auto full = slots.allocate();
    REQUIRE_FALSE(full.ok());
    CHECK(full.error().library == LibraryError::OutOfSlots);
}

TEST_CASE("userlib: the slot allocator agrees with a model under random use") {
    auto rng = tessera_test::make_rng(0x51075);
    INFO("seed " << tessera_test::test_seed());
    SlotAllocator slots(SlotRange{9, 4096});
    std::map<u64, u64> runs; // first -> count
    std::vector<bool> used(4096, false);
    for (int step = 0; step < 4000; ++step) {
        if (runs.empty() || rng() % 3 != 0) {
            u64 count = 1 + rng() % 40;
            auto first = slots.allocate_run(count);
            if (!first.ok()) continue;
            for (u64 s = first.value().value; s < first.value().value + count; ++s) {
                REQUIRE(s >= 9);
                REQUIRE(s < 4096);
                REQUIRE_FALSE(used[s]);
                used[s] = true;
            }
            runs[first.value().value] = count;
        } else {
            auto it = runs.begin();
            std::advance(it, static_cast<long>(rng() % runs.size()));
            slots.free_run(CPtr{it->first}, it->second);
            for (u64 s = it->first; s < it->first + it->second; ++s) used[s] = false;
            runs.erase(it);
        }
        u64 free_in_model = 0;
        for (u64 s = 9; s < 4096; ++s) free_in_model += used[s] ? 0 : 1;
        REQUIRE(slots.free_count() == free_in_model);
    }
}

TEST_CASE("userlib: placement follows the kernel's rule: naturally aligned above the watermark") {
    UntypedRegion region{CPtr{1}, 0x80000000, 16, false, 0x10};
    CHECK(placement_in(region, 10, 1).value() == 0x400);
    CHECK(placement_in(region, 10, 63).value() == 0x400);
    CHECK_FALSE(placement_in(region, 10, 64));
    CHECK_FALSE(placement_in(region, 17, 1));
    region.watermark = region.size();
    CHECK_FALSE(placement_in(region, 4, 1));
}

TEST_CASE("userlib: objects come from the smallest RAM untyped that fits") {
    SlotAllocator slots(SlotRange{100, 200});
    ObjectAllocator objects(CNode(CPtr{2}), slots);
    REQUIRE(objects.add_untyped(CPtr{10}, 0x80000000, 24, false).ok());
    REQUIRE(objects.add_untyped(CPtr{11}, 0x81000000, 14, false).ok());
    REQUIRE(objects.add_untyped(CPtr{12}, 0x10000000, 12, true).ok());
    CHECK(objects.choose_region(12, 1, false).value() == 1);
    CHECK(objects.choose_region(12, 4, false).value() == 1);
    CHECK(objects.choose_region(12, 5, false).value() == 0);
    CHECK(objects.choose_region(12, 1, true).value() == 2);
    CHECK_FALSE(objects.choose_region(25, 1, false));
}

TEST_CASE("userlib: the object allocator's retypes all succeed in the kernel until memory runs out") {
    userlib_test::HostKernel host(16); // 64 KiB
    SlotAllocator slots(SlotRange{100, 4096});
    ObjectAllocator objects(CNode(CPtr{2}), slots);
    REQUIRE(objects.add_untyped(CPtr{1}, host.kernel().arena().base(), 16, false).ok());
    CPtr tcb = objects.allocate(ObjectType::Tcb).value();
    CHECK(host.kernel().cap(tcb.value).type() == CapType::Tcb);
    CPtr cnode = objects.allocate(ObjectType::CNode, 4).value();
    CHECK(host.kernel().cap(cnode.value).type() == CapType::CNode);
    CPtr frames = objects.allocate_run(ObjectType::Frame4K, 0, 3).value();
    for (u64 i = 0; i < 3; ++i) CHECK(host.kernel().cap(frames.value + i).type() == CapType::Frame);
    CPtr piece = objects.allocate_untyped(13).value();
    CHECK(host.kernel().cap(piece.value).type() == CapType::Untyped);
    // Fill the rest with endpoints; the allocator must stop exactly when the kernel would.
    u64 endpoints = 0;
    for (;;) {
        auto endpoint = objects.allocate(ObjectType::Endpoint);
        if (!endpoint.ok()) {
            CHECK(endpoint.error().library == LibraryError::OutOfMemory);
            break;
        }
        ++endpoints;
        REQUIRE(endpoints < 4096);
    }
    CHECK(objects.free_ram_bytes() == 0);
    unsigned calls = host.calls();
    CHECK_FALSE(objects.allocate(ObjectType::Endpoint).ok());
    CHECK(host.calls() == calls); // refused without asking the kernel
}

TEST_CASE("userlib: a device frame at an exact address is carved out with fillers kept for later") {
    userlib_test::HostKernel host;
    constexpr u64 kDeviceBase = 0x10000000;
    host.kernel().place_original(50, Capability::untyped(kDeviceBase, 20, true));
    SlotAllocator slots(SlotRange{100, 400});
    ObjectAllocator objects(CNode(CPtr{2}), slots);
    REQUIRE(objects.add_untyped(CPtr{50}, kDeviceBase, 20, true).ok());
    CPtr uart = objects.allocate_device_frame(kDeviceBase + 0x5000).value();
    CHECK(host.kernel().cap(uart.value).type() == CapType::Frame);
    CHECK(host.kernel().cap(uart.value).address() == kDeviceBase + 0x5000);
    // Below it, fillers: 0x0000-0x4000 and 0x4000-0x5000, reusable for a lower address.
    CPtr lower = objects.allocate_device_frame(kDeviceBase + 0x2000).value();
    CHECK(host.kernel().cap(lower.value).address() == kDeviceBase + 0x2000);
    auto taken = objects.allocate_device_frame(kDeviceBase + 0x5000);
    REQUIRE_FALSE(taken.ok());
    CHECK(taken.error().library == LibraryError::NoDeviceMemory);
    CHECK_FALSE(objects.allocate_device_frame(0x20000000).ok());
}
