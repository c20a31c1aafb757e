// BootArgs: the kernel command line decides whether self-tests and panic tests run, so a
// flag must match whole words only and values must come from the right key.
#include <catch2/catch.hpp>

#include <string>

#include <boot/bootargs.hpp>

using tessera::BootArgs;

namespace {
std::string text(kstd::StringView view) { return std::string(view.data(), view.size()); }
} // namespace

TEST_CASE("BootArgs finds flags as whole words") {
    BootArgs args("selftest verbose");
    CHECK(args.has_flag("selftest"));
    CHECK(args.has_flag("verbose"));
    CHECK_FALSE(args.has_flag("self"));   // a prefix is not the flag
    CHECK_FALSE(args.has_flag("test"));   // nor a suffix
    CHECK_FALSE(args.has_flag("selftest verbose"));
    CHECK_FALSE(args.has_flag("quiet"));
}

TEST_CASE("BootArgs key=value words give values and are not flags") {
    BootArgs args("panic-test=stack-overflow console=ttyS0");
    auto panic = args.value("panic-test");
    REQUIRE(panic.has_value());
    CHECK(text(*panic) == "stack-overflow");
    auto console = args.value("console");
    REQUIRE(console.has_value());
    CHECK(text(*console) == "ttyS0");
    CHECK_FALSE(args.has_flag("panic-test"));
    CHECK_FALSE(args.value("panic").has_value()); // keys match whole, not by prefix
}

TEST_CASE("BootArgs tolerates leading, trailing and repeated spaces") {
    BootArgs args("   selftest    key=value  ");
    CHECK(args.has_flag("selftest"));
    auto value = args.value("key");
    REQUIRE(value.has_value());
    CHECK(text(*value) == "value");
    CHECK_FALSE(args.has_flag(""));
}

TEST_CASE("BootArgs reports absent keys and flags on empty command lines") {
    for (const char* line : {"", "    "}) {
        BootArgs args(line);
        CHECK_FALSE(args.has_flag("selftest"));
        CHECK_FALSE(args.value("key").has_value());
    }
}

TEST_CASE("BootArgs values may be empty or contain '=' and the last occurrence wins") {
    BootArgs args("empty= eq=a=b key=first key=second");
    auto empty = args.value("empty");
    REQUIRE(empty.has_value());
    CHECK(empty->empty());
    auto eq = args.value("eq");
    REQUIRE(eq.has_value());
    CHECK(text(*eq) == "a=b");
    auto key = args.value("key");
    REQUIRE(key.has_value());
    CHECK(text(*key) == "second");
    CHECK_FALSE(args.value("a").has_value());
}

TEST_CASE("BootArgs a flag is not a key without a value") {
    BootArgs args("selftest");
    CHECK_FALSE(args.value("selftest").has_value());
}

TEST_CASE("BootArgs respects the view's length, not NUL termination") {
    const char line[] = "selftest extra";
    BootArgs args(kstd::StringView(line, 8));
    CHECK(args.has_flag("selftest"));
    CHECK_FALSE(args.has_flag("extra"));
}
