// RegionSet: boot-time memory accounting is arithmetic on these sets, so a wrong merge or
// split would hand reserved memory to user space. Deterministic cases first, then a model
// test against a plain bitmap.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <memory/region_set.hpp>

#include "catch_printers.hpp"
#include "test_support.hpp"

using tessera::PhysRange;
using tessera::RegionSet;

namespace {

std::vector<PhysRange> ranges_of(const RegionSet& set) { return std::vector<PhysRange>(set.begin(), set.end()); }

RegionSet make_set(std::initializer_list<PhysRange> ranges) {
    RegionSet set;
    for (const PhysRange& range : ranges) REQUIRE(set.add(range));
    return set;
}

// Sorted, disjoint, non-adjacent and non-empty: what every RegionSet promises.
std::string invariant_violation(const RegionSet& set) {
    for (usize i = 0; i < set.size(); ++i) {
        if (set[i].empty()) return "range " + std::to_string(i) + " is empty";
        if (i > 0 && set[i - 1].end >= set[i].base)
            return "ranges " + std::to_string(i - 1) + " and " + std::to_string(i) + " touch or are out of order";
    }
    return "";
}

// A set of ranges with one gap between each, filled to capacity.
RegionSet full_set() {
    RegionSet set;
    for (u64 i = 0; i < RegionSet::kCapacity; ++i) REQUIRE(set.add({i * 0x100, i * 0x100 + 0x80}));
    REQUIRE(set.size() == RegionSet::kCapacity);
    return set;
}

} // namespace

TEST_CASE("RegionSet add keeps ranges sorted") {
    RegionSet set = make_set({{0x5000, 0x6000}, {0x1000, 0x2000}, {0x3000, 0x4000}});
    CHECK(ranges_of(set) == std::vector<PhysRange>{{0x1000, 0x2000}, {0x3000, 0x4000}, {0x5000, 0x6000}});
    CHECK(set.total_bytes() == 0x3000);
}

TEST_CASE("RegionSet add merges adjacent ranges on either side") {
    RegionSet set = make_set({{0x1000, 0x2000}, {0x3000, 0x4000}});
    REQUIRE(set.add({0x2000, 0x3000})); // touches both neighbours: all three become one
    CHECK(ranges_of(set) == std::vector<PhysRange>{{0x1000, 0x4000}});
    REQUIRE(set.add({0x4000, 0x4800}));
    REQUIRE(set.add({0x800, 0x1000}));
    CHECK(ranges_of(set) == std::vector<PhysRange>{{0x800, 0x4800}});
}

TEST_CASE("RegionSet add merges overlapping ranges, swallowing those inside") {
    RegionSet set = make_set({{0x1000, 0x2000}, {0x3000, 0x4000}, {0x5000, 0x6000}, {0x9000, 0xa000}});
    REQUIRE(set.add({0x1800, 0x5800}));
    CHECK(ranges_of(set) == std::vector<PhysRange>{{0x1000, 0x6000}, {0x9000, 0xa000}});
    REQUIRE(set.add({0x1100, 0x1200})); // already covered: no change
    CHECK(ranges_of(set) == std::vector<PhysRange>{{0x1000, 0x6000}, {0x9000, 0xa000}});
    REQUIRE(set.add({0, 0x10000}));
    CHECK(ranges_of(set) == std::vector<PhysRange>{{0, 0x10000}});
}

TEST_CASE("RegionSet add of an empty range changes nothing") {
    RegionSet set = make_set({{0x1000, 0x2000}});
    CHECK(set.add({0x5000, 0x5000}));
    CHECK(set.add({0x6000, 0x5000})); // end before base is empty too
    CHECK(ranges_of(set) == std::vector<PhysRange>{{0x1000, 0x2000}});
}

TEST_CASE("RegionSet remove splits a range in two") {
    RegionSet set = make_set({{0x1000, 0x5000}});
    REQUIRE(set.remove({0x2000, 0x3000}));
    CHECK(ranges_of(set) == std::vector<PhysRange>{{0x1000, 0x2000}, {0x3000, 0x5000}});
    CHECK(set.total_bytes() == 0x3000);
}

TEST_CASE("RegionSet remove trims edges and deletes covered ranges") {
    RegionSet set = make_set({{0x1000, 0x2000}, {0x3000, 0x4000}, {0x5000, 0x6000}, {0x7000, 0x8000}});
    REQUIRE(set.remove({0x1800, 0x5800}));
    CHECK(ranges_of(set) == std::vector<PhysRange>{{0x1000, 0x1800}, {0x5800, 0x6000}, {0x7000, 0x8000}});
    REQUIRE(set.remove({0x7000, 0x8000}));
    REQUIRE(set.remove({0, 0x1000})); // nothing there
    CHECK(ranges_of(set) == std::vector<PhysRange>{{0x1000, 0x1800}, {0x5800, 0x6000}});
    REQUIRE(set.remove({0, ~u64{0}}));
    CHECK(set.empty());
}

TEST_CASE("RegionSet add beyond capacity fails and leaves the set unchanged") {
    RegionSet set = full_set();
    auto before = ranges_of(set);
    CHECK_FALSE(set.add({0x100000, 0x100010})); // needs a new slot
    CHECK(ranges_of(set) == before);
    // Merging needs no new slot, so it still works when full.
    CHECK(set.add({0x80, 0x100}));
    CHECK(set.size() == RegionSet::kCapacity - 1);
    CHECK(set[0] == PhysRange{0, 0x180});
}

TEST_CASE("RegionSet remove that needs a split fails when full and leaves the set unchanged") {
    RegionSet set = full_set();
    auto before = ranges_of(set);
    CHECK_FALSE(set.remove({0x110, 0x120}));
    CHECK(ranges_of(set) == before);
    // Trimming an edge or removing whole ranges needs no slot.
    CHECK(set.remove({0x100, 0x110}));
    CHECK(set[1] == PhysRange{0x110, 0x180});
    CHECK(set.remove({0x200, 0x400}));
    CHECK(set.size() == RegionSet::kCapacity - 2);
}

TEST_CASE("RegionSet shrink_to_granule rounds inwards and drops what vanishes") {
    RegionSet set = make_set({{0x800, 0x2800}, {0x3100, 0x3f00}, {0x5000, 0x7000}, {0x8fff, 0xa001}});
    set.shrink_to_granule(0x1000);
    CHECK(ranges_of(set) == std::vector<PhysRange>{{0x1000, 0x2000}, {0x5000, 0x7000}, {0x9000, 0xa000}});
}

TEST_CASE("RegionSet contains, intersects and total_bytes") {
    RegionSet set = make_set({{0x1000, 0x2000}, {0x4000, 0x6000}});
    CHECK(set.contains(0x1000));
    CHECK(set.contains(0x1fff));
    CHECK_FALSE(set.contains(0x2000)); // half-open
    CHECK_FALSE(set.contains(0xfff));
    CHECK(set.intersects({0x1fff, 0x3000}));
    CHECK_FALSE(set.intersects({0x2000, 0x4000}));
    CHECK(set.intersects({0, 0x10000}));
    CHECK(set.total_bytes() == 0x3000);
}

TEST_CASE("RegionSet handles a range reaching the top of the address space") {
    PhysRange top = PhysRange::from_size(0xfffffffffffff000, 0x2000); // cut at the top
    CHECK(top.end == ~u64{0});
    RegionSet set = make_set({top, {0x1000, 0x2000}});
    CHECK(set.size() == 2);
    CHECK(set.contains(0xfffffffffffffffe));
    set.shrink_to_granule(0x1000);
    CHECK(set.size() == 1); // the last, partial page is not a whole page
}

TEST_CASE("RegionSet matches a bitmap model under thousands of random adds and removes") {
    // A small address space so that ranges collide, merge and split constantly; mostly
    // tiny ranges so that the set fragments up to its capacity now and then.
    constexpr u64 kSpace = 4096;
    auto rng = tessera_test::make_rng(2);
    INFO("TESSERA_TEST_SEED=" << tessera_test::test_seed());
    std::vector<bool> model(kSpace, false);
    RegionSet set;
    usize refusals = 0;
    for (int step = 0; step < 20000; ++step) {
        u64 base = rng() % kSpace;
        u64 length = (rng() % 32 == 0) ? rng() % 512 : rng() % 4;
        PhysRange range{base, std::min(kSpace, base + length)};
        bool adding = rng() % 5 < 3;
        auto before = ranges_of(set);
        bool ok = adding ? set.add(range) : set.remove(range);
        CAPTURE(step, adding, range);
        if (ok) {
            for (u64 a = range.base; a < range.end; ++a) model[a] = adding;
        } else {
            // Only a full set may refuse, and a refusal changes nothing.
            ++refusals;
            REQUIRE(before.size() == RegionSet::kCapacity);
            REQUIRE(ranges_of(set) == before);
        }
        REQUIRE(invariant_violation(set) == "");
        // Compare the set with the model range by range: every model run is one range.
        std::vector<PhysRange> expected;
        for (u64 a = 0; a < kSpace; ++a) {
            if (!model[a]) continue;
            if (!expected.empty() && expected.back().end == a)
                expected.back().end = a + 1;
            else
                expected.push_back({a, a + 1});
        }
        REQUIRE(ranges_of(set) == expected);
    }
    // The run must have exercised the full-set path, or the refusal checks tested nothing.
    CHECK(refusals > 0);
}
