// BoundedVector, Span, Optional, Result and TRY: the containers and error plumbing every
// kernel subsystem is built from.
#include <catch2/catch.hpp>

#include <vector>

#include <kstd/bounded_vector.hpp>
#include <kstd/optional.hpp>
#include <kstd/result.hpp>
#include <kstd/span.hpp>
#include <kstd/string_view.hpp>

namespace {

template <typename T, usize N> std::vector<T> items(const kstd::BoundedVector<T, N>& vector) {
    return std::vector<T>(vector.begin(), vector.end());
}

} // namespace

TEST_CASE("BoundedVector push_back fills to capacity, then refuses") {
    kstd::BoundedVector<int, 3> vector;
    CHECK(vector.empty());
    CHECK(vector.capacity() == 3);
    CHECK(vector.push_back(1));
    CHECK(vector.push_back(2));
    CHECK_FALSE(vector.full());
    CHECK(vector.push_back(3));
    CHECK(vector.full());
    CHECK_FALSE(vector.push_back(4));
    CHECK(items(vector) == std::vector<int>{1, 2, 3});
    CHECK(vector.back() == 3);
}

TEST_CASE("BoundedVector insert at the front, middle and end") {
    kstd::BoundedVector<int, 8> vector;
    CHECK(vector.insert(0, 2));
    CHECK(vector.insert(0, 0));
    CHECK(vector.insert(1, 1));
    CHECK(vector.insert(3, 3));
    CHECK(items(vector) == std::vector<int>{0, 1, 2, 3});
}

TEST_CASE("BoundedVector insert into a full vector fails and changes nothing") {
    kstd::BoundedVector<int, 2> vector;
    CHECK(vector.push_back(1));
    CHECK(vector.push_back(2));
    CHECK_FALSE(vector.insert(0, 9));
    CHECK_FALSE(vector.insert(2, 9));
    CHECK(items(vector) == std::vector<int>{1, 2});
}

TEST_CASE("BoundedVector erase shifts the tail down; clear empties") {
    kstd::BoundedVector<int, 5> vector;
    for (int i = 0; i < 5; ++i) REQUIRE(vector.push_back(i));
    vector.erase(1);
    CHECK(items(vector) == std::vector<int>{0, 2, 3, 4});
    vector.erase(3);
    CHECK(items(vector) == std::vector<int>{0, 2, 3});
    vector.erase(0);
    CHECK(items(vector) == std::vector<int>{2, 3});
    CHECK_FALSE(vector.full());
    CHECK(vector.push_back(7));
    CHECK(items(vector) == std::vector<int>{2, 3, 7});
    vector.clear();
    CHECK(vector.empty());
    CHECK(vector.size() == 0);
}

TEST_CASE("BoundedVector span views the live elements only") {
    kstd::BoundedVector<int, 4> vector;
    REQUIRE(vector.push_back(5));
    REQUIRE(vector.push_back(6));
    kstd::Span<int> span = vector.span();
    CHECK(span.size() == 2);
    span[1] = 60;
    CHECK(vector[1] == 60);
    const auto& constant = vector;
    kstd::Span<const int> view = constant.span();
    CHECK(view.data() == vector.begin());
}

TEST_CASE("Span subspan and conversion to a const span") {
    int array[] = {1, 2, 3, 4, 5};
    kstd::Span<int> span(array);
    CHECK(span.size() == 5);
    kstd::Span<int> middle = span.subspan(1, 3);
    CHECK(middle.size() == 3);
    CHECK(middle[0] == 2);
    CHECK(middle[2] == 4);
    CHECK(span.subspan(5).empty());
    CHECK(span.subspan(2).size() == 3);
    kstd::Span<const int> constant = middle;
    CHECK(constant.data() == array + 1);
    CHECK(kstd::Span<int>().empty());
}

TEST_CASE("Optional is empty by default and from none") {
    kstd::Optional<int> empty;
    CHECK_FALSE(empty.has_value());
    CHECK_FALSE(static_cast<bool>(empty));
    CHECK(empty.value_or(7) == 7);
    kstd::Optional<int> none = kstd::none;
    CHECK_FALSE(none.has_value());
}

TEST_CASE("Optional holds a value, including zero") {
    kstd::Optional<int> zero = 0;
    CHECK(zero.has_value()); // presence is not the value's truthiness
    CHECK(*zero == 0);
    CHECK(zero.value_or(5) == 0);

    struct Pair {
        int a;
        int b;
    };
    kstd::Optional<Pair> pair = Pair{1, 2};
    CHECK(pair->b == 2);
    pair->a = 10;
    CHECK(pair.value().a == 10);
}

namespace {

struct Error {
    int code = 0;
};

kstd::Result<int, Error> parse_digit(char c) {
    if (c < '0' || c > '9') return kstd::fail(Error{c});
    return c - '0';
}

int g_after_try = 0;

// TRY must return the first failure without running what follows it.
kstd::Result<int, Error> sum_digits(const char* text) {
    int total = 0;
    for (const char* p = text; *p != '\0'; ++p) {
        total += TRY(parse_digit(*p));
        ++g_after_try;
    }
    return total;
}

kstd::Result<void, kstd::StringView> check_positive(int value) {
    if (value <= 0) return kstd::fail(kstd::StringView("not positive"));
    return {};
}

kstd::Result<int, kstd::StringView> doubled_if_positive(int value) {
    TRY(check_positive(value));
    return value * 2;
}

} // namespace

TEST_CASE("Result carries a value or an error") {
    auto good = parse_digit('7');
    REQUIRE(good.ok());
    CHECK(static_cast<bool>(good));
    CHECK(good.value() == 7);
    CHECK(good.release_value() == 7);

    auto bad = parse_digit('x');
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == 'x');
}

TEST_CASE("TRY passes values through and stops at the first error") {
    g_after_try = 0;
    auto all = sum_digits("123");
    REQUIRE(all.ok());
    CHECK(all.value() == 6);
    CHECK(g_after_try == 3);

    g_after_try = 0;
    auto broken = sum_digits("12a4");
    REQUIRE_FALSE(broken.ok());
    CHECK(broken.error().code == 'a');
    CHECK(g_after_try == 2); // the digits after 'a' were never looked at
}

TEST_CASE("TRY on Result<void> propagates the error across value types") {
    auto good = doubled_if_positive(4);
    REQUIRE(good.ok());
    CHECK(good.value() == 8);
    auto bad = doubled_if_positive(-1);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error() == kstd::StringView("not positive"));

    kstd::Result<void, int> fine;
    CHECK(fine.ok());
    kstd::Result<void, int> failed = kstd::fail(3);
    CHECK_FALSE(failed.ok());
    CHECK(failed.error() == 3);
}
