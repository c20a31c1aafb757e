// kstd::format_to: the kernel's only text formatting, used for the console and for every
// error message discovery produces, so its corner cases matter.
#include <catch2/catch.hpp>

#include <climits>
#include <cstdint>
#include <cstring>
#include <string>

#include <irq/virtual_irq.hpp>
#include <kstd/format.hpp>
#include <memory/address.hpp>
#include <memory/phys_range.hpp>

#include "test_support.hpp"

using tessera_test::StringSink;

namespace {

template <typename... Args> std::string formatted(kstd::StringView pattern, const Args&... args) {
    StringSink sink;
    kstd::format_to(sink, pattern, args...);
    return sink.text;
}

} // namespace

TEST_CASE("format prints signed integers including the most negative ones") {
    CHECK(formatted("{}", 0) == "0");
    CHECK(formatted("{}", -1) == "-1");
    CHECK(formatted("{}", INT64_MIN) == "-9223372036854775808");
    CHECK(formatted("{}", INT64_MAX) == "9223372036854775807");
    CHECK(formatted("{}", INT32_MIN) == "-2147483648");
    CHECK(formatted("{}", static_cast<std::int8_t>(-128)) == "-128");
    CHECK(formatted("{}", static_cast<short>(-32768)) == "-32768");
}

TEST_CASE("format prints unsigned integers in decimal, u8 as a number") {
    CHECK(formatted("{}", UINT64_MAX) == "18446744073709551615");
    CHECK(formatted("{}", 4096u) == "4096");
    CHECK(formatted("{}", static_cast<std::uint8_t>(255)) == "255");
    CHECK(formatted("{}", static_cast<std::size_t>(10)) == "10");
}

TEST_CASE("format prints char as a character and bool as a word") {
    CHECK(formatted("[{}]", 'x') == "[x]");
    CHECK(formatted("{} {}", true, false) == "true false");
}

TEST_CASE("format Hex pads to min_digits and never truncates") {
    CHECK(formatted("{}", kstd::Hex{0}) == "0x0");
    CHECK(formatted("{}", kstd::Hex{0, 0}) == "0x0"); // at least one digit even when asked for none
    CHECK(formatted("{}", kstd::Hex{0xab, 4}) == "0x00ab");
    CHECK(formatted("{}", kstd::Hex{0x12345, 2}) == "0x12345");
    CHECK(formatted("{}", kstd::Hex{0xdeadbeef, 8}) == "0xdeadbeef");
    CHECK(formatted("{}", kstd::hex64(1)) == "0x0000000000000001");
    CHECK(formatted("{}", kstd::hex64(~std::uint64_t{0})) == "0xffffffffffffffff");
    // min_digits beyond 64 is capped by the digit buffer rather than overflowing it.
    CHECK(formatted("{}", kstd::Hex{1, 200}) == "0x" + std::string(63, '0') + "1");
}

TEST_CASE("format prints C strings and string views, honouring the view's length") {
    CHECK(formatted("{}", "text") == "text");
    const char* pointer = "pointer";
    CHECK(formatted("<{}>", pointer) == "<pointer>");
    CHECK(formatted("{}", kstd::StringView("abcdef", 3)) == "abc");
    CHECK(formatted("a{}b", kstd::StringView()) == "ab");
}

TEST_CASE("format turns doubled braces into single ones") {
    CHECK(formatted("{{}}") == "{}");
    CHECK(formatted("{{{}}}", 5) == "{5}");
    CHECK(formatted("{{x}} {}", 1) == "{x} 1");
    CHECK(formatted("}}{{", 1) == "}{"); // no placeholder: the argument is ignored
}

TEST_CASE("format copies lone braces literally") {
    CHECK(formatted("a{") == "a{");
    CHECK(formatted("}b") == "}b");
    CHECK(formatted("{x}", 1) == "{x}");
}

TEST_CASE("format prints {?} for a placeholder without an argument") {
    CHECK(formatted("{}") == "{?}");
    CHECK(formatted("{} and {}", 1) == "1 and {?}");
    CHECK(formatted("{}{}{}", 'a') == "a{?}{?}");
}

TEST_CASE("format ignores arguments beyond the placeholders") {
    CHECK(formatted("x{}", 1, 2, 3) == "x1");
    CHECK(formatted("none", 7) == "none");
}

TEST_CASE("format finds format_value for kernel types by argument-dependent lookup") {
    CHECK(formatted("{}", tessera::PhysRange{0x1000, 0x2000}) == "0x00001000-0x00002000");
    CHECK(formatted("{}", tessera::PhysAddr{0x80200000}) == "0x80200000");
    CHECK(formatted("{}", tessera::VirtAddr{0xffffffc000000000}) == "0xffffffc000000000");
    CHECK(formatted("{}", tessera::kIrqLocalTimer) == "0x3000");
    CHECK(formatted("{}", tessera::VirtualIrq::wired_line(10)) == "0x010a");
}

TEST_CASE("format prints pointers in hexadecimal") {
    CHECK(formatted("{}", reinterpret_cast<int*>(0x1234)) == "0x1234");
}

TEST_CASE("BufferSink keeps what fits, NUL-terminates and reports truncation") {
    char buffer[8];
    std::memset(buffer, 'Z', sizeof(buffer));
    kstd::BufferSink sink(buffer, sizeof(buffer));
    kstd::format_to(sink, "hello {}", "world");
    CHECK(sink.view() == kstd::StringView("hello w"));
    CHECK(std::string(buffer) == "hello w");
    CHECK(buffer[7] == '\0');
    CHECK(sink.truncated());
}

TEST_CASE("BufferSink that exactly fits is not truncated") {
    char buffer[6];
    kstd::BufferSink sink(buffer, sizeof(buffer));
    kstd::format_to(sink, "{}", 12345);
    CHECK(sink.view() == kstd::StringView("12345"));
    CHECK_FALSE(sink.truncated());
    sink.put('6');
    CHECK(sink.truncated());
    CHECK(sink.view() == kstd::StringView("12345"));
}

TEST_CASE("BufferSink starts empty and a zero-capacity sink never writes") {
    char buffer[4] = {'x', 'x', 'x', 'x'};
    kstd::BufferSink empty(buffer, sizeof(buffer));
    CHECK(empty.view().empty());
    CHECK(buffer[0] == '\0');
    CHECK_FALSE(empty.truncated());

    char untouched = 'u';
    kstd::BufferSink none(&untouched, 0);
    none.put('a');
    CHECK(untouched == 'u');
    CHECK(none.truncated());
    CHECK(none.view().empty());
}
