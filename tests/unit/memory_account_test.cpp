// account_memory: every byte of RAM ends up free, reserved or unusable, and nothing
// reserved may ever become free (free memory turns into Untyped for the root task).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <memory/address.hpp>
#include <memory/memory_account.hpp>
#include <memory/untyped_blocks.hpp>

#include "catch_printers.hpp"
#include "test_support.hpp"

using tessera::account_memory;
using tessera::kPageSize;
using tessera::MemoryAccount;
using tessera::PhysRange;
using tessera::PlatformInfo;
using tessera::RegionSet;
using tessera::ReservedKind;
using tessera::ReservedRange;

namespace {

PlatformInfo platform_with(std::initializer_list<PhysRange> memory, std::initializer_list<PhysRange> reserved = {}) {
    PlatformInfo platform;
    for (const PhysRange& range : memory) REQUIRE(platform.memory.push_back(range));
    for (const PhysRange& range : reserved)
        REQUIRE(platform.reserved.push_back({range, ReservedKind::MemReserveBlock, {}}));
    return platform;
}

std::vector<PhysRange> ranges_of(const RegionSet& set) { return std::vector<PhysRange>(set.begin(), set.end()); }

MemoryAccount account(const PlatformInfo& platform, std::vector<ReservedRange> extra = {}) {
    MemoryAccount result;
    auto status = account_memory(platform, kstd::Span<const ReservedRange>(extra.data(), extra.size()), result);
    INFO((status.ok() ? std::string() : std::string(status.error().data(), status.error().size())));
    REQUIRE(status.ok());
    return result;
}

// free + reserved + unusable adds up to the RAM described, and free and reserved are disjoint.
void check_balance(const MemoryAccount& result) {
    CHECK(result.free.total_bytes() + result.reserved.total_bytes() + result.unusable_bytes == result.ram_bytes);
    for (const PhysRange& range : result.reserved) CHECK_FALSE(result.free.intersects(range));
}

} // namespace

TEST_CASE("account_memory without reservations makes all RAM free") {
    auto result = account(platform_with({{0x80000000, 0x88000000}}));
    CHECK(result.ram_bytes == 0x8000000);
    CHECK(ranges_of(result.free) == std::vector<PhysRange>{{0x80000000, 0x88000000}});
    CHECK(result.reserved.empty());
    CHECK(result.unusable_bytes == 0);
    CHECK(result.untyped_blocks == 1); // 128 MiB, naturally aligned
    check_balance(result);
}

TEST_CASE("account_memory rounds reservations out to whole pages") {
    auto result = account(platform_with({{0x80000000, 0x80100000}}, {{0x80001800, 0x80002001}}));
    CHECK(ranges_of(result.reserved) == std::vector<PhysRange>{{0x80001000, 0x80003000}});
    CHECK(ranges_of(result.free) == std::vector<PhysRange>{{0x80000000, 0x80001000}, {0x80003000, 0x80100000}});
    check_balance(result);
}

TEST_CASE("account_memory counts the partial pages at unaligned RAM edges as unusable") {
    auto result = account(platform_with({{0x80000800, 0x80010400}, {0x90000000, 0x90000fff}}));
    CHECK(ranges_of(result.ram) == std::vector<PhysRange>{{0x80001000, 0x80010000}});
    CHECK(result.ram_bytes == 0xfc00 + 0xfff);
    CHECK(result.unusable_bytes == 0x800 + 0x400 + 0xfff);
    check_balance(result);
}

TEST_CASE("account_memory joins adjacent RAM ranges before cutting pages") {
    // Neither range holds a whole page alone; together they hold one.
    auto result = account(platform_with({{0x1800, 0x2800}, {0x2800, 0x3000}}));
    CHECK(ranges_of(result.ram) == std::vector<PhysRange>{{0x2000, 0x3000}});
    CHECK(result.unusable_bytes == 0x800);
    check_balance(result);
}

TEST_CASE("account_memory ignores reservations outside RAM and clips partial ones") {
    auto result = account(platform_with({{0x80000000, 0x80010000}},
                                        {{0x1000, 0x2000}, {0x7ffff000, 0x80002000}, {0x8000f800, 0x90000000}}));
    CHECK(ranges_of(result.reserved) == std::vector<PhysRange>{{0x80000000, 0x80002000}, {0x8000f000, 0x80010000}});
    CHECK(ranges_of(result.free) == std::vector<PhysRange>{{0x80002000, 0x8000f000}});
    check_balance(result);
}

TEST_CASE("account_memory takes the kernel's own reservations from extra") {
    PlatformInfo platform = platform_with({{0x80000000, 0x80100000}}, {{0x80000000, 0x80010000}});
    std::vector<ReservedRange> extra{{{0x80020000, 0x80030000}, ReservedKind::KernelImage, {}},
                                     {{0x800ff000, 0x80100000}, ReservedKind::KernelAllocation, {}}};
    auto result = account(platform, extra);
    CHECK(ranges_of(result.reserved) == std::vector<PhysRange>{
                                            {0x80000000, 0x80010000}, {0x80020000, 0x80030000}, {0x800ff000, 0x80100000}});
    CHECK(ranges_of(result.free) == std::vector<PhysRange>{{0x80010000, 0x80020000}, {0x80030000, 0x800ff000}});
    check_balance(result);
}

TEST_CASE("account_memory: an empty reservation reserves no page") {
    // An empty range touches no page; rounding it outwards would reserve a page anyway.
    auto result = account(platform_with({{0x80000000, 0x80010000}}, {{0x80001800, 0x80001800}}),
                          {{{0x80004000, 0x80003000}, ReservedKind::KernelAllocation, {}}});
    CHECK(result.reserved.empty());
    CHECK(ranges_of(result.free) == std::vector<PhysRange>{{0x80000000, 0x80010000}});
}

TEST_CASE("account_memory counts the Untyped blocks of the free memory") {
    auto result = account(platform_with({{0x80000000, 0x80100000}}, {{0x80001000, 0x80002000}}));
    usize expected = 0;
    for (const PhysRange& range : result.free) tessera::for_each_untyped_block(range, [&](tessera::UntypedBlock) { ++expected; });
    CHECK(result.untyped_blocks == expected);
    // [0x80000000, +4K) is one block; [0x80002000, 0x80100000) is 8K+16K+...+512K.
    CHECK(expected == 1 + 7);
}

TEST_CASE("account_memory reports too many reserved ranges instead of losing one") {
    PlatformInfo platform = platform_with({{0x80000000, 0x90000000}});
    std::vector<ReservedRange> extra;
    for (u64 i = 0; i < RegionSet::kCapacity + 1; ++i)
        extra.push_back({{0x80000000 + i * 0x2000, 0x80001000 + i * 0x2000}, ReservedKind::KernelAllocation, {}});
    MemoryAccount result;
    auto status = account_memory(platform, kstd::Span<const ReservedRange>(extra.data(), extra.size()), result);
    REQUIRE_FALSE(status.ok());
    CHECK(std::string(status.error().data(), status.error().size()).find("too many reserved") != std::string::npos);
}

TEST_CASE("account_memory matches a page model for random RAM and reservations") {
    constexpr u64 kPages = 32;
    constexpr u64 kSpace = kPages * kPageSize;
    auto rng = tessera_test::make_rng(4);
    INFO("TESSERA_TEST_SEED=" << tessera_test::test_seed());
    for (int iteration = 0; iteration < 2000; ++iteration) {
        CAPTURE(iteration);
        // Non-overlapping RAM ranges with arbitrary byte edges, sometimes adjacent.
        std::vector<u64> points;
        usize ram_count = 1 + rng() % 4;
        for (usize i = 0; i < 2 * ram_count; ++i) points.push_back(rng() % kSpace);
        std::sort(points.begin(), points.end());
        PlatformInfo platform;
        u64 described = 0;
        for (usize i = 0; i < ram_count; ++i) {
            PhysRange range{points[2 * i], points[2 * i + 1]};
            if (range.empty()) continue;
            REQUIRE(platform.memory.push_back(range));
            described += range.size();
        }
        // Reservations anywhere, including outside RAM, and some empty ones.
        auto random_range = [&]() {
            u64 base = rng() % (kSpace + 0x2000);
            u64 size = rng() % 3 == 0 ? 0 : rng() % 0x3000;
            return PhysRange{base, base + size};
        };
        std::vector<ReservedRange> extra;
        std::vector<PhysRange> all_reservations;
        for (u64 i = rng() % 6; i > 0; --i) {
            PhysRange range = random_range();
            REQUIRE(platform.reserved.push_back({range, ReservedKind::ReservedMemoryNode, {}}));
            all_reservations.push_back(range);
        }
        for (u64 i = rng() % 6; i > 0; --i) {
            PhysRange range = random_range();
            extra.push_back({range, ReservedKind::KernelAllocation, {}});
            all_reservations.push_back(range);
        }

        MemoryAccount result;
        auto status = account_memory(platform, kstd::Span<const ReservedRange>(extra.data(), extra.size()), result);
        REQUIRE(status.ok());

        // The model, page by page.
        u64 ram_pages = 0;
        for (u64 page = 0; page < kPages + 2; ++page) {
            PhysRange bytes{page * kPageSize, (page + 1) * kPageSize};
            u64 covered = 0;
            for (const PhysRange& ram : platform.memory)
                if (ram.overlaps(bytes)) covered += std::min(ram.end, bytes.end) - std::max(ram.base, bytes.base);
            bool is_ram = covered == kPageSize;
            bool is_reserved = false;
            for (const PhysRange& reservation : all_reservations)
                is_reserved |= !reservation.empty() && reservation.overlaps(bytes);
            CAPTURE(page, is_ram, is_reserved);
            REQUIRE(result.ram.contains(bytes.base) == is_ram);
            REQUIRE(result.reserved.contains(bytes.base) == (is_ram && is_reserved));
            REQUIRE(result.free.contains(bytes.base) == (is_ram && !is_reserved));
            ram_pages += is_ram;
        }
        for (const RegionSet* set : {&result.ram, &result.reserved, &result.free})
            for (const PhysRange& range : *set)
                REQUIRE((kstd::is_aligned(range.base, kPageSize) && kstd::is_aligned(range.end, kPageSize)));
        REQUIRE(result.ram_bytes == described);
        REQUIRE(result.unusable_bytes == described - ram_pages * kPageSize);
        REQUIRE(result.free.total_bytes() + result.reserved.total_bytes() + result.unusable_bytes == result.ram_bytes);
    }
}

TEST_CASE("reserved_kind_name names every kind") {
    CHECK(std::string(tessera::reserved_kind_name(ReservedKind::ReservedMemoryNode)) == "reserved-memory");
    CHECK(std::string(tessera::reserved_kind_name(ReservedKind::MemReserveBlock)) == "memreserve");
    CHECK(std::string(tessera::reserved_kind_name(ReservedKind::DeviceTree)) == "device tree");
    CHECK(std::string(tessera::reserved_kind_name(ReservedKind::KernelImage)) == "kernel image");
    CHECK(std::string(tessera::reserved_kind_name(ReservedKind::Initrd)) == "initrd");
    CHECK(std::string(tessera::reserved_kind_name(ReservedKind::KernelAllocation)) == "kernel boot allocation");
}
