// kstd/bit.hpp and kstd/string_view.hpp: the arithmetic behind every alignment decision in
// memory accounting and paging, and the string type device-tree names travel in.
#include <catch2/catch.hpp>

#include <cstdint>

#include <kstd/bit.hpp>
#include <kstd/string_view.hpp>

#include "test_support.hpp"

namespace {
constexpr std::uint64_t kTop = ~std::uint64_t{0};
}

TEST_CASE("is_power_of_two rejects zero and non-powers") {
    CHECK_FALSE(kstd::is_power_of_two(0));
    CHECK(kstd::is_power_of_two(1));
    CHECK(kstd::is_power_of_two(4096));
    CHECK(kstd::is_power_of_two(std::uint64_t{1} << 63));
    CHECK_FALSE(kstd::is_power_of_two(3));
    CHECK_FALSE(kstd::is_power_of_two(4097));
    CHECK_FALSE(kstd::is_power_of_two(kTop));
}

TEST_CASE("align_down and is_aligned") {
    CHECK(kstd::align_down(0x1fff, 0x1000) == 0x1000);
    CHECK(kstd::align_down(0x2000, 0x1000) == 0x2000);
    CHECK(kstd::align_down(kTop, 0x1000) == 0xfffffffffffff000);
    CHECK(kstd::is_aligned(0, 0x1000));
    CHECK(kstd::is_aligned(0x40000000, 0x40000000));
    CHECK_FALSE(kstd::is_aligned(0x40001000, 0x200000));
}

TEST_CASE("align_up rounds up and keeps aligned values") {
    CHECK(kstd::align_up(0, 0x1000) == 0);
    CHECK(kstd::align_up(1, 0x1000) == 0x1000);
    CHECK(kstd::align_up(0x1000, 0x1000) == 0x1000);
    CHECK(kstd::align_up(0x1001, 0x1000) == 0x2000);
    CHECK(kstd::align_up(0xfffffffffffff000, 0x1000) == 0xfffffffffffff000);
}

TEST_CASE("align_up saturates at the top of the address space instead of wrapping to 0") {
    // Wrapping would turn the end of a range at the top of memory into 0, an empty range.
    CHECK(kstd::align_up(0xfffffffffffff001, 0x1000) == 0xfffffffffffff000);
    CHECK(kstd::align_up(kTop, 0x1000) == 0xfffffffffffff000);
    CHECK(kstd::align_up(kTop - 5, 0x200000) == kstd::align_down(kTop, 0x200000));
    CHECK(kstd::align_up(kTop, 1) == kTop);
}

TEST_CASE("align_up agrees with exact arithmetic wherever no overflow happens") {
    auto rng = tessera_test::make_rng(1);
    INFO("TESSERA_TEST_SEED=" << tessera_test::test_seed());
    for (int i = 0; i < 10000; ++i) {
        unsigned shift = static_cast<unsigned>(rng() % 40);
        std::uint64_t alignment = std::uint64_t{1} << shift;
        std::uint64_t value = rng() >> (rng() % 64);
        unsigned __int128 exact = ((static_cast<unsigned __int128>(value) + alignment - 1) / alignment) * alignment;
        CAPTURE(value, alignment);
        if (exact <= kTop)
            REQUIRE(kstd::align_up(value, alignment) == static_cast<std::uint64_t>(exact));
        else
            REQUIRE(kstd::align_up(value, alignment) == kstd::align_down(kTop, alignment));
    }
}

TEST_CASE("bit counting helpers handle zero and the top bit") {
    CHECK(kstd::count_trailing_zeros(0) == 64);
    CHECK(kstd::count_trailing_zeros(1) == 0);
    CHECK(kstd::count_trailing_zeros(0x1000) == 12);
    CHECK(kstd::count_trailing_zeros(std::uint64_t{1} << 63) == 63);
    CHECK(kstd::count_leading_zeros(0) == 64);
    CHECK(kstd::count_leading_zeros(1) == 63);
    CHECK(kstd::count_leading_zeros(kTop) == 0);
    CHECK(kstd::log2_floor(1) == 0);
    CHECK(kstd::log2_floor(4095) == 11);
    CHECK(kstd::log2_floor(4096) == 12);
    CHECK(kstd::log2_floor(kTop) == 63);
}

TEST_CASE("bit and low_mask cover the full width") {
    CHECK(kstd::bit(0) == 1);
    CHECK(kstd::bit(63) == std::uint64_t{1} << 63);
    CHECK(kstd::low_mask(0) == 0);
    CHECK(kstd::low_mask(12) == 0xfff);
    CHECK(kstd::low_mask(63) == kTop >> 1);
    CHECK(kstd::low_mask(64) == kTop); // a plain shift by 64 would be undefined
    CHECK(kstd::low_mask(100) == kTop);
}

TEST_CASE("StringView from a C string, a pointer and length, and nullptr") {
    kstd::StringView hello("hello");
    CHECK(hello.size() == 5);
    CHECK_FALSE(hello.empty());
    CHECK(hello[1] == 'e');
    kstd::StringView part("hello", 2);
    CHECK(part.size() == 2);
    CHECK(part == kstd::StringView("he"));
    kstd::StringView null(nullptr);
    CHECK(null.empty());
    CHECK(kstd::StringView().empty());
    CHECK(kstd::StringView() == null);
}

TEST_CASE("StringView comparison uses length and bytes, not NUL termination") {
    const char embedded[] = {'a', '\0', 'b'};
    kstd::StringView with_nul(embedded, 3);
    CHECK(with_nul.size() == 3);
    CHECK_FALSE(with_nul == kstd::StringView("a"));
    CHECK(with_nul == kstd::StringView(embedded, 3));
    CHECK_FALSE(kstd::StringView("abc") == kstd::StringView("abd"));
    CHECK_FALSE(kstd::StringView("abc") == kstd::StringView("ab"));
}

TEST_CASE("StringView substr clamps offset and count") {
    kstd::StringView text("abcdef");
    CHECK(text.substr(2) == kstd::StringView("cdef"));
    CHECK(text.substr(2, 2) == kstd::StringView("cd"));
    CHECK(text.substr(4, 100) == kstd::StringView("ef"));
    CHECK(text.substr(6).empty());
    CHECK(text.substr(100).empty());
    CHECK(text.substr(100, 5).empty());
}

TEST_CASE("StringView starts_with, ends_with, find and contains") {
    kstd::StringView text("riscv,plic0");
    CHECK(text.starts_with("riscv"));
    CHECK(text.starts_with(""));
    CHECK_FALSE(text.starts_with("riscv,plic0+"));
    CHECK(text.ends_with("plic0"));
    CHECK_FALSE(text.ends_with("plic1"));
    CHECK_FALSE(kstd::StringView("ab").ends_with("abc"));
    CHECK(text.find(',') == 5);
    CHECK(text.find('z') == text.size());
    CHECK(text.contains('0'));
    CHECK_FALSE(text.contains(':'));
    std::string collected(text.begin(), text.end());
    CHECK(collected == "riscv,plic0");
}
