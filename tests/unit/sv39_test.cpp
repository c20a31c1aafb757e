// The Sv39 page-table builder on a fake physical memory. The kernel maps its image and all
// RAM with it at boot; a wrong page size, a silently accepted bad request or a half-made
// mapping would only show up later as a mysterious fault on the target.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <arch/sv39.hpp>
#include <kstd/bit.hpp>

#include "fake_physical_memory.hpp"
#include "test_support.hpp"

using namespace arch::sv39;
using tessera_test::FakePhysicalMemory;

namespace {

constexpr u64 K4 = 4096;
constexpr u64 M2 = 2 * 1024 * 1024;
constexpr u64 G1 = 1024 * 1024 * 1024;

// A fresh address space: the root table is the arena's first page.
struct AddressSpace {
    explicit AddressSpace(usize pages) : memory(pages), table(memory.allocate(), memory.memory()) {}
    FakePhysicalMemory memory;
    PageTable table;
};

std::string error_of(kstd::Result<void, kstd::StringView> result) {
    REQUIRE_FALSE(result.ok());
    return std::string(result.error().data(), result.error().size());
}

void require_ok(kstd::Result<void, kstd::StringView> result) {
    INFO((result.ok() ? std::string() : std::string(result.error().data(), result.error().size())));
    REQUIRE(result.ok());
}

void check_translation(const PageTable& table, u64 virt, u64 physical, unsigned level) {
    Translation t = table.translate(virt);
    INFO("virt " << std::hex << virt);
    REQUIRE(t.mapped);
    CHECK(t.physical == physical);
    CHECK(t.level == level);
}

} // namespace

TEST_CASE("sv39 maps an aligned gigabyte with one 1 GiB leaf in the root table") {
    AddressSpace space(8);
    require_ok(space.table.map(G1, 3 * G1, G1, kRead | kWrite));
    CHECK(space.memory.used() == 1); // no table below the root was needed
    check_translation(space.table, G1, 3 * G1, 2);
    check_translation(space.table, G1 + 0x12345678, 3 * G1 + 0x12345678, 2);
    check_translation(space.table, 2 * G1 - 1, 4 * G1 - 1, 2);
    CHECK_FALSE(space.table.translate(2 * G1).mapped);
    CHECK_FALSE(space.table.translate(G1 - 1).mapped);
}

TEST_CASE("sv39 maps an aligned 2 MiB range with one 2 MiB leaf") {
    AddressSpace space(8);
    require_ok(space.table.map(M2, 0x80200000, M2, kRead));
    CHECK(space.memory.used() == 2); // root + one level-1 table
    check_translation(space.table, M2 + 0x1234, 0x80201234, 1);
    CHECK_FALSE(space.table.translate(2 * M2).mapped);
}

TEST_CASE("sv39 maps a 4 KiB page with a 4 KiB leaf") {
    AddressSpace space(8);
    require_ok(space.table.map(0x5000, 0x80007000, K4, kRead | kExecute));
    CHECK(space.memory.used() == 3); // root + level-1 + level-0 tables
    check_translation(space.table, 0x5abc, 0x80007abc, 0);
    CHECK_FALSE(space.table.translate(0x4fff).mapped);
    CHECK_FALSE(space.table.translate(0x6000).mapped);
}

TEST_CASE("sv39 uses the largest page that fits at each step of a mixed range") {
    AddressSpace space(16);
    // 4K + 2M + 1G + 2M + 4K, with physical addresses as aligned as the virtual ones.
    const u64 virt = G1 - M2 - K4, offset = 2 * G1;
    require_ok(space.table.map(virt, virt + offset, K4 + M2 + G1 + M2 + K4, kRead | kWrite));
    check_translation(space.table, virt, virt + offset, 0);
    check_translation(space.table, G1 - M2, G1 - M2 + offset, 1);
    check_translation(space.table, G1, G1 + offset, 2);
    check_translation(space.table, 2 * G1 - 1, 2 * G1 - 1 + offset, 2);
    check_translation(space.table, 2 * G1, 2 * G1 + offset, 1);
    check_translation(space.table, 2 * G1 + M2, 2 * G1 + M2 + offset, 0);
    CHECK_FALSE(space.table.translate(2 * G1 + M2 + K4).mapped);
    CHECK_FALSE(space.table.translate(virt - 1).mapped);
}

TEST_CASE("sv39 page size is limited by the physical alignment too") {
    AddressSpace space(16);
    // Virtually 1 GiB-aligned, physically only 2 MiB-aligned: 512 2 MiB pages, not one 1 GiB.
    require_ok(space.table.map(G1, 0x80200000, G1, kRead));
    check_translation(space.table, G1, 0x80200000, 1);
    check_translation(space.table, G1 + G1 / 2 + 5, 0x80200000 + G1 / 2 + 5, 1);
    check_translation(space.table, 2 * G1 - 1, 0x80200000 + G1 - 1, 1);
    CHECK(space.memory.used() == 2);
    // Physically 4 KiB-aligned only: every page is a 4 KiB page.
    require_ok(space.table.map(4 * G1, 0x80001000, 2 * M2, kRead));
    check_translation(space.table, 4 * G1 + M2, 0x80001000 + M2, 0);
}

TEST_CASE("sv39 leaf entries carry the permissions plus valid, accessed and dirty-if-writable") {
    AddressSpace space(8);
    require_ok(space.table.map(0x1000, 0x80001000, K4, kRead | kWrite | kGlobal));
    Pte writable = space.table.translate(0x1000).pte;
    CHECK((writable & (kValid | kRead | kWrite | kGlobal | kAccessed | kDirty)) ==
          (kValid | kRead | kWrite | kGlobal | kAccessed | kDirty));
    CHECK((writable & (kExecute | kUser)) == 0);
    CHECK(pte_physical(writable) == 0x80001000);

    require_ok(space.table.map(0x2000, 0x80002000, K4, kRead | kExecute | kUser));
    Pte executable = space.table.translate(0x2000).pte;
    CHECK((executable & (kValid | kRead | kExecute | kUser | kAccessed)) ==
          (kValid | kRead | kExecute | kUser | kAccessed));
    CHECK((executable & (kWrite | kDirty | kGlobal)) == 0);

    require_ok(space.table.map(0x3000, 0x80003000, K4, kExecute)); // execute-only is legal
    CHECK(space.table.translate(0x3000).mapped);
}

TEST_CASE("sv39 refuses misaligned virtual, physical or size") {
    AddressSpace space(8);
    CHECK(error_of(space.table.map(0x1001, 0x80000000, K4, kRead)) == "range is not page-aligned");
    CHECK(error_of(space.table.map(0x1000, 0x80000800, K4, kRead)) == "range is not page-aligned");
    CHECK(error_of(space.table.map(0x1000, 0x80000000, 100, kRead)) == "range is not page-aligned");
    CHECK(space.memory.used() == 1);
}

TEST_CASE("sv39 refuses mappings without read, write or execute, and write without read") {
    AddressSpace space(8);
    CHECK(error_of(space.table.map(0x1000, 0x80000000, K4, 0)) ==
          "a mapping needs at least one of read, write, execute");
    CHECK(error_of(space.table.map(0x1000, 0x80000000, K4, kUser | kGlobal)) ==
          "a mapping needs at least one of read, write, execute");
    CHECK(error_of(space.table.map(0x1000, 0x80000000, K4, kWrite)) == "write without read is reserved in Sv39");
    CHECK(error_of(space.table.map(0x1000, 0x80000000, K4, kWrite | kExecute)) ==
          "write without read is reserved in Sv39");
    CHECK(error_of(space.table.map(0x1000, 0x80000000, K4, kRead | kValid)) == "unknown permission bits");
    CHECK(error_of(space.table.map(0x1000, 0x80000000, K4, kRead | kDirty)) == "unknown permission bits");
    CHECK(space.memory.used() == 1);
    CHECK_FALSE(space.table.translate(0x1000).mapped);
}

TEST_CASE("sv39 refuses non-canonical ranges") {
    AddressSpace space(8);
    const std::string message = "range is not canonical in Sv39";
    CHECK(error_of(space.table.map(u64{1} << 38, 0x80000000, K4, kRead)) == message); // first of the hole
    CHECK(error_of(space.table.map(0x8000000000000000, 0x80000000, K4, kRead)) == message);
    // Starts canonical, ends in the hole.
    CHECK(error_of(space.table.map((u64{1} << 38) - K4, 0x80000000, 2 * K4, kRead)) == message);
    // Wraps past the top of the address space.
    CHECK(error_of(space.table.map(0xfffffffffffff000, 0x80000000, 2 * K4, kRead)) == message);
    CHECK(space.memory.used() == 1);
}

TEST_CASE("sv39 refuses a range whose ends are canonical but which spans the hole") {
    // Both ends canonical, one in each half: the addresses between them are not. Accepting
    // it would walk 2^64 bytes of address space and alias the halves through index wrap.
    AddressSpace space(8);
    const u64 low = (u64{1} << 38) - M2;     // the last 2 MiB of the lower half
    const u64 high_end = DIRECT_MAP_BASE + M2; // 2 MiB into the upper half
    CHECK(error_of(space.table.map(low, 0, high_end - low, kRead)) == "range is not canonical in Sv39");
    CHECK(space.memory.used() == 1);
}

TEST_CASE("sv39 maps the last page of the address space") {
    // [0xfffffffffffff000, 2^64) is canonical; its end wraps to 0 in 64 bits, which must
    // not be mistaken for a range running past the top.
    AddressSpace space(8);
    require_ok(space.table.map(0xfffffffffffff000, 0x80005000, K4, kRead | kWrite));
    check_translation(space.table, 0xffffffffffffffff, 0x80005fff, 0);
    // The last gigabyte with a 1 GiB page, too.
    AddressSpace giga(8);
    require_ok(giga.table.map(0xffffffffc0000000, 0xc0000000, G1, kRead));
    check_translation(giga.table, 0xffffffffc0001234, 0xc0001234, 2);
}

TEST_CASE("sv39 maps the upper half, where the kernel's direct map lives") {
    AddressSpace space(8);
    require_ok(space.table.map(DIRECT_MAP_BASE, 0x80000000, 2 * G1, kRead | kWrite | kGlobal));
    check_translation(space.table, DIRECT_MAP_BASE + 0x1000, 0x80001000, 2);
    check_translation(space.table, DIRECT_MAP_BASE + G1 + 5, 0xc0000005, 2);
    // Lower-half addresses with the same table indices are not mapped by it.
    CHECK_FALSE(space.table.translate(DIRECT_MAP_BASE - (u64{1} << 39) + 0x1000).mapped);
    CHECK_FALSE(space.table.translate(0x1000).mapped);
}

TEST_CASE("sv39 translate of unmapped or non-canonical addresses reports not mapped") {
    AddressSpace space(8);
    CHECK_FALSE(space.table.translate(0).mapped);
    require_ok(space.table.map(0, 0x80000000, G1, kRead));               // root index 0
    require_ok(space.table.map(DIRECT_MAP_BASE, 0xc0000000, G1, kRead)); // root index 256
    CHECK(space.table.translate(0).mapped);
    CHECK(space.table.translate(DIRECT_MAP_BASE).mapped);
    // Non-canonical addresses whose index bits select those same root entries.
    CHECK_FALSE(space.table.translate(u64{1} << 38).mapped);
    CHECK_FALSE(space.table.translate(u64{1} << 39).mapped);
    CHECK_FALSE(space.table.translate(0xffff800000000000).mapped);
}

TEST_CASE("sv39 a range overlapping a mapping is refused whole and the tables stay untouched") {
    AddressSpace space(32);
    require_ok(space.table.map(G1 + M2, 0x80200000, M2, kRead));  // a 2 MiB leaf
    require_ok(space.table.map(3 * G1 + 0x5000, 0x80005000, K4, kRead)); // a 4 KiB leaf
    const auto before = space.memory.snapshot();
    const usize used = space.memory.used();
    const std::string overlap = "the range overlaps an existing mapping";
    // Covers the 2 MiB leaf and more on both sides.
    CHECK(error_of(space.table.map(G1, 0x80000000, 4 * M2, kRead)) == overlap);
    // Inside the 2 MiB leaf.
    CHECK(error_of(space.table.map(G1 + M2 + K4, 0x90000000, K4, kRead)) == overlap);
    // A 1 GiB page over a gigabyte holding one 4 KiB leaf deep down.
    CHECK(error_of(space.table.map(3 * G1, 0xc0000000, G1, kRead)) == overlap);
    // Ends exactly on the 4 KiB leaf's last byte.
    CHECK(error_of(space.table.map(3 * G1, 0x80000000, 0x6000, kRead)) == overlap);
    CHECK(space.memory.snapshot() == before);
    CHECK(space.memory.used() == used);
    CHECK_FALSE(space.table.translate(G1).mapped);
    // Directly adjacent ranges do not overlap.
    require_ok(space.table.map(G1, 0x80000000, M2, kRead));
    require_ok(space.table.map(3 * G1 + 0x6000, 0x80006000, K4, kRead));
    require_ok(space.table.map(3 * G1 + 0x4000, 0x80004000, K4, kRead));
}

TEST_CASE("sv39 reports running out of memory for page tables") {
    const std::string oom = "out of memory for page tables";
    AddressSpace root_only(1);
    CHECK(error_of(root_only.table.map(0x1000, 0x80001000, K4, kRead)) == oom);
    // A 1 GiB page needs no table below the root, so it still fits.
    require_ok(root_only.table.map(G1, G1, G1, kRead));
    AddressSpace two(2);
    CHECK(error_of(two.table.map(0x1000, 0x80001000, K4, kRead)) == oom); // needs two tables
    AddressSpace three(3);
    require_ok(three.table.map(0x1000, 0x80001000, K4, kRead));
}

TEST_CASE("sv39 an empty range is accepted and maps nothing") {
    AddressSpace space(4);
    require_ok(space.table.map(0x1000, 0x80001000, 0, kRead));
    CHECK(space.memory.used() == 1);
    CHECK_FALSE(space.table.translate(0x1000).mapped);
}

TEST_CASE("sv39 random mappings match a model of ranges, page sizes included") {
    auto rng = tessera_test::make_rng(10);
    INFO("TESSERA_TEST_SEED=" << tessera_test::test_seed());
    struct Mapping {
        u64 virt, phys, size;
    };
    AddressSpace space(8192);
    std::vector<Mapping> model;
    // The level of the page covering `virt` in `m`: the builder's greedy walk, redone here.
    auto expected_level = [](const Mapping& m, u64 virt) {
        for (u64 offset = 0;;) {
            unsigned level = 2;
            while (level > 0 && !(((m.virt + offset) | (m.phys + offset)) % page_size_at_level(level) == 0 &&
                                  m.size - offset >= page_size_at_level(level)))
                --level;
            if (virt < m.virt + offset + page_size_at_level(level)) return level;
            offset += page_size_at_level(level);
        }
    };
    int accepted = 0, refused = 0;
    for (int attempt = 0; attempt < 400; ++attempt) {
        // Addresses within 8 GiB, aligned to 4K, 2M or 1G at random; sizes from a page to ~2 GiB.
        const u64 alignments[] = {K4, M2, G1};
        u64 virt = kstd::align_down(rng() % (8 * G1), alignments[rng() % 3]);
        u64 phys = kstd::align_down(rng() % (64 * G1), alignments[rng() % 3]);
        u64 size = rng() % 8 == 0 ? (1 + rng() % 2) * G1 + (rng() % 3) * M2 : (1 + rng() % 600) * K4;
        bool overlaps = false;
        for (const Mapping& m : model) overlaps |= virt < m.virt + m.size && m.virt < virt + size;
        auto result = space.table.map(virt, phys, size, kRead | kWrite);
        CAPTURE(attempt, virt, phys, size);
        if (overlaps) {
            REQUIRE(error_of(result) == "the range overlaps an existing mapping");
            ++refused;
            continue;
        }
        require_ok(result);
        model.push_back({virt, phys, size});
        ++accepted;
    }
    CHECK(accepted > 20);
    CHECK(refused > 20);
    for (const Mapping& m : model) {
        for (u64 virt : {m.virt, m.virt + m.size - 1, m.virt + kstd::align_down(rng() % m.size, 8)}) {
            CAPTURE(m.virt, m.phys, m.size, virt);
            Translation t = space.table.translate(virt);
            REQUIRE(t.mapped);
            REQUIRE(t.physical == m.phys + (virt - m.virt));
            REQUIRE(t.level == expected_level(m, virt));
        }
    }
    for (int probe = 0; probe < 20000; ++probe) {
        u64 virt = rng() % (10 * G1);
        bool mapped = false;
        for (const Mapping& m : model) mapped |= virt >= m.virt && virt < m.virt + m.size;
        CAPTURE(virt);
        REQUIRE(space.table.translate(virt).mapped == mapped);
    }
}
