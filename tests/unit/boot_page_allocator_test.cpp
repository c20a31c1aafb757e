// BootPageAllocator: the boot page tables come from here. Pages must come from the top of
// free memory (keeping the low end in large Untyped blocks), be zeroed, and be remembered so
// that memory accounting reserves them.
#include <catch2/catch.hpp>

#include <vector>

#include <memory/boot_page_allocator.hpp>

#include "catch_printers.hpp"

using tessera::BootPageAllocator;
using tessera::kPageSize;
using tessera::PhysAddr;
using tessera::PhysRange;
using tessera::RegionSet;

namespace {

// The allocator's zeroing callback has no context, so the pages it was asked to clear go here.
std::vector<u64> g_zeroed;
void record_zeroing(PhysAddr page) { g_zeroed.push_back(page.value); }

RegionSet free_set(std::initializer_list<PhysRange> ranges) {
    RegionSet set;
    for (const PhysRange& range : ranges) REQUIRE(set.add(range));
    return set;
}

std::vector<PhysRange> ranges_of(const RegionSet& set) { return std::vector<PhysRange>(set.begin(), set.end()); }

} // namespace

TEST_CASE("BootPageAllocator hands out pages from the top of the highest range down") {
    g_zeroed.clear();
    BootPageAllocator allocator(free_set({{0x80000000, 0x80002000}, {0x90000000, 0x90002000}}), record_zeroing);
    std::vector<u64> pages;
    for (int i = 0; i < 4; ++i) {
        auto page = allocator.allocate_page();
        REQUIRE(page.has_value());
        pages.push_back(page->value);
    }
    CHECK(pages == std::vector<u64>{0x90001000, 0x90000000, 0x80001000, 0x80000000});
}

TEST_CASE("BootPageAllocator zeroes every page it hands out, exactly once") {
    g_zeroed.clear();
    BootPageAllocator allocator(free_set({{0x80000000, 0x80003000}}), record_zeroing);
    std::vector<u64> pages;
    while (auto page = allocator.allocate_page()) pages.push_back(page->value);
    CHECK(pages.size() == 3);
    CHECK(g_zeroed == pages);
}

TEST_CASE("BootPageAllocator records its pages in allocated()") {
    g_zeroed.clear();
    BootPageAllocator allocator(free_set({{0x80000000, 0x80100000}}), record_zeroing);
    CHECK(allocator.allocated().empty());
    for (int i = 0; i < 3; ++i) REQUIRE(allocator.allocate_page().has_value());
    // Consecutive pages from the top merge into one range.
    CHECK(ranges_of(allocator.allocated()) == std::vector<PhysRange>{{0x800fd000, 0x80100000}});
}

TEST_CASE("BootPageAllocator returns none when free memory is exhausted") {
    g_zeroed.clear();
    BootPageAllocator allocator(free_set({{0x80000000, 0x80001000}, {0x80005000, 0x80006000}}), record_zeroing);
    REQUIRE(allocator.allocate_page().has_value());
    REQUIRE(allocator.allocate_page().has_value());
    CHECK_FALSE(allocator.allocate_page().has_value());
    CHECK_FALSE(allocator.allocate_page().has_value()); // stays exhausted
    CHECK(g_zeroed.size() == 2);
    CHECK(allocator.allocated().total_bytes() == 2 * kPageSize);
}

TEST_CASE("BootPageAllocator with no free memory returns none and zeroes nothing") {
    g_zeroed.clear();
    BootPageAllocator allocator(RegionSet{}, record_zeroing);
    CHECK_FALSE(allocator.allocate_page().has_value());
    CHECK(g_zeroed.empty());
    CHECK(allocator.allocated().empty());
}

TEST_CASE("BootPageAllocator works on its own copy of the free set") {
    g_zeroed.clear();
    RegionSet free = free_set({{0x80000000, 0x80002000}});
    BootPageAllocator allocator(free, record_zeroing);
    REQUIRE(allocator.allocate_page().has_value());
    // The caller's set is unchanged; accounting subtracts allocated() from it later.
    CHECK(ranges_of(free) == std::vector<PhysRange>{{0x80000000, 0x80002000}});
    CHECK(ranges_of(allocator.allocated()) == std::vector<PhysRange>{{0x80001000, 0x80002000}});
}

TEST_CASE("BootPageAllocator hands out every free page exactly once") {
    g_zeroed.clear();
    RegionSet free = free_set({{0x1000, 0x4000}, {0x10000, 0x11000}, {0x20000, 0x28000}});
    BootPageAllocator allocator(free, record_zeroing);
    std::vector<u64> pages;
    while (auto page = allocator.allocate_page()) pages.push_back(page->value);
    CHECK(pages.size() == free.total_bytes() / kPageSize);
    // Strictly descending: always the highest page left, never one twice.
    for (usize i = 1; i < pages.size(); ++i) CHECK(pages[i] < pages[i - 1]);
    for (u64 page : pages) CHECK(free.contains(page));
    CHECK(ranges_of(allocator.allocated()) == ranges_of(free));
}
