// for_each_untyped_block: the root task receives free memory as these blocks, so they must
// be naturally aligned, inside the range, cover every whole 4 KiB page exactly once, and be
// as large as possible at each address (fewer, larger Untyped capabilities).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <memory/untyped_blocks.hpp>

#include "test_support.hpp"

using tessera::for_each_untyped_block;
using tessera::kBootUntypedMaxBits;
using tessera::kBootUntypedMinBits;
using tessera::PhysRange;
using tessera::UntypedBlock;

namespace {

std::vector<UntypedBlock> blocks_of(PhysRange range) {
    std::vector<UntypedBlock> blocks;
    for_each_untyped_block(range, [&](UntypedBlock block) { blocks.push_back(block); });
    return blocks;
}

// Checks every promise for one range; returns what is wrong, or "" when nothing is.
std::string check_blocks(PhysRange range, const std::vector<UntypedBlock>& blocks) {
    const u64 page = u64{1} << kBootUntypedMinBits;
    u64 first = kstd::align_up(range.base, page);
    u64 last = range.end < page ? 0 : kstd::align_down(range.end, page);
    u64 cursor = first;
    for (usize i = 0; i < blocks.size(); ++i) {
        const UntypedBlock& block = blocks[i];
        std::string where = "block " + std::to_string(i) + " (base " + std::to_string(block.base) + ", bits " +
                            std::to_string(block.size_bits) + ")";
        if (block.size_bits < kBootUntypedMinBits || block.size_bits > kBootUntypedMaxBits) return where + ": bad size";
        u64 size = u64{1} << block.size_bits;
        if (!kstd::is_aligned(block.base, size)) return where + ": not naturally aligned";
        // Consecutive and gap-free: together with the end check, exact coverage.
        if (block.base != cursor) return where + ": expected base " + std::to_string(cursor);
        if (block.base < range.base || size > range.end - block.base) return where + ": leaves the range";
        // Largest first: the next size up would be misaligned, too long, or above the maximum.
        if (block.size_bits < kBootUntypedMaxBits) {
            u64 bigger = size << 1;
            if (kstd::is_aligned(block.base, bigger) && bigger <= range.end - block.base)
                return where + ": a block twice as large fits here";
        }
        cursor = block.base + size;
    }
    if (first < last && cursor != last) return "blocks end at " + std::to_string(cursor) + ", expected " + std::to_string(last);
    if (first >= last && !blocks.empty()) return "a range without a whole page produced blocks";
    return "";
}

} // namespace

TEST_CASE("untyped blocks of an aligned power-of-two range are one block") {
    auto blocks = blocks_of({0x80000000, 0x80000000 + 0x10000000});
    REQUIRE(blocks.size() == 1);
    CHECK(blocks[0].base == 0x80000000);
    CHECK(blocks[0].size_bits == 28);
}

TEST_CASE("untyped blocks grow with alignment and shrink towards the end") {
    // 0x1000..0x9000: 4K at 0x1000, 8K at 0x2000, 16K at 0x4000, 4K at 0x8000.
    auto blocks = blocks_of({0x1000, 0x9000});
    REQUIRE(blocks.size() == 4);
    CHECK(blocks[0].base == 0x1000);
    CHECK(blocks[0].size_bits == 12);
    CHECK(blocks[1].base == 0x2000);
    CHECK(blocks[1].size_bits == 13);
    CHECK(blocks[2].base == 0x4000);
    CHECK(blocks[2].size_bits == 14);
    CHECK(blocks[3].base == 0x8000);
    CHECK(blocks[3].size_bits == 12);
    CHECK(check_blocks({0x1000, 0x9000}, blocks) == "");
}

TEST_CASE("untyped blocks skip the partial pages at unaligned edges") {
    PhysRange range{0x1234, 0x5678};
    auto blocks = blocks_of(range);
    REQUIRE(blocks.size() == 2); // 8K at 0x2000, 4K at 0x4000; the bytes around them are partial pages
    CHECK(check_blocks(range, blocks) == "");
    CHECK(blocks.front().base == 0x2000);
    u64 covered = 0;
    for (auto& block : blocks) covered += u64{1} << block.size_bits;
    CHECK(covered == 0x3000);
}

TEST_CASE("untyped blocks of a range smaller than a page are none") {
    CHECK(blocks_of({0x1000, 0x1fff}).empty());
    CHECK(blocks_of({0x1001, 0x2fff}).empty()); // crosses a boundary but holds no whole page
    CHECK(blocks_of({0x5000, 0x5000}).empty());
}

TEST_CASE("untyped blocks never exceed 2^47 bytes, even from address 0") {
    PhysRange range{0, u64{1} << 49};
    auto blocks = blocks_of(range);
    REQUIRE(blocks.size() == 4);
    for (auto& block : blocks) CHECK(block.size_bits == kBootUntypedMaxBits);
    CHECK(check_blocks(range, blocks) == "");
}

TEST_CASE("untyped blocks of a range ending at the top of the address space") {
    PhysRange range{0xffffffff00000000, ~u64{0}};
    auto blocks = blocks_of(range);
    CHECK(check_blocks(range, blocks) == "");
    REQUIRE_FALSE(blocks.empty());
    const UntypedBlock& last = blocks.back();
    CHECK(last.base + (u64{1} << last.size_bits) == 0xfffffffffffff000); // no wrap past the top
}

TEST_CASE("untyped blocks satisfy every promise for random ranges") {
    auto rng = tessera_test::make_rng(3);
    INFO("TESSERA_TEST_SEED=" << tessera_test::test_seed());
    for (int i = 0; i < 5000; ++i) {
        // Mix page-aligned and unaligned edges and sizes from bytes to terabytes.
        u64 base = rng() >> (16 + rng() % 48);
        if (rng() % 2) base = kstd::align_down(base, 0x1000);
        u64 size = rng() >> (20 + rng() % 44);
        if (rng() % 2) size = kstd::align_down(size, 0x1000);
        PhysRange range = PhysRange::from_size(base, size);
        CAPTURE(i, range.base, range.end);
        REQUIRE(check_blocks(range, blocks_of(range)) == "");
    }
}
