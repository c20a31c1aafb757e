#pragma once
// Type-safe formatting into any sink with put(char): "{}" takes the next argument.
// Integers print in decimal, Hex{} in hexadecimal; other types add a format_value overload
// beside their definition (found by argument-dependent lookup).
#include "string_view.hpp"
#include "utility.hpp"

namespace kstd {

template <typename S>
concept CharSink = requires(S& sink, char c) { sink.put(c); };

struct Hex {
    u64 value;
    unsigned min_digits = 1;
};

// A zero-padded 16-digit hexadecimal number: register dumps and addresses line up.
constexpr Hex hex64(u64 value) { return Hex{value, 16}; }

template <CharSink S> constexpr void format_value(S& sink, StringView text) {
    for (char c : text) sink.put(c);
}

template <CharSink S> constexpr void format_value(S& sink, const char* text) {
    format_value(sink, StringView(text));
}

template <CharSink S> constexpr void format_value(S& sink, char c) { sink.put(c); }

template <CharSink S> constexpr void format_value(S& sink, bool value) {
    format_value(sink, value ? StringView("true") : StringView("false"));
}

template <CharSink S> constexpr void format_unsigned(S& sink, u64 value, unsigned base, unsigned min_digits) {
    char digits[64];
    unsigned count = 0;
    do {
        unsigned digit = static_cast<unsigned>(value % base);
        digits[count++] = static_cast<char>(digit < 10 ? '0' + digit : 'a' + digit - 10);
        value /= base;
    } while (value != 0);
    while (count < min_digits && count < sizeof(digits)) digits[count++] = '0';
    while (count > 0) sink.put(digits[--count]);
}

template <CharSink S, typename T>
    requires(is_integral_v<T> && !is_same_v<T, bool> && !is_same_v<T, char>)
constexpr void format_value(S& sink, T value) {
    if constexpr (is_signed_v<T>) {
        if (value < 0) {
            sink.put('-');
            // Negate in unsigned arithmetic so the most negative value does not overflow.
            format_unsigned(sink, u64{0} - static_cast<u64>(value), 10, 1);
            return;
        }
    }
    format_unsigned(sink, static_cast<u64>(value), 10, 1);
}

template <CharSink S> constexpr void format_value(S& sink, Hex hex) {
    sink.put('0');
    sink.put('x');
    format_unsigned(sink, hex.value, 16, hex.min_digits);
}

template <CharSink S, typename T> constexpr void format_value(S& sink, T* pointer) {
    format_value(sink, Hex{reinterpret_cast<uptr>(pointer), 1});
}

namespace detail {

// Copies literal text up to the next "{}" (handling "{{" and "}}"); returns whether one was found.
template <CharSink S> constexpr bool copy_until_placeholder(S& sink, StringView& pattern) {
    usize i = 0;
    while (i < pattern.size()) {
        char c = pattern[i];
        if (c == '{' && i + 1 < pattern.size() && pattern[i + 1] == '{') {
            sink.put('{');
            i += 2;
        } else if (c == '}' && i + 1 < pattern.size() && pattern[i + 1] == '}') {
            sink.put('}');
            i += 2;
        } else if (c == '{' && i + 1 < pattern.size() && pattern[i + 1] == '}') {
            pattern = pattern.substr(i + 2);
            return true;
        } else {
            sink.put(c);
            ++i;
        }
    }
    pattern = pattern.substr(pattern.size());
    return false;
}

} // namespace detail

template <CharSink S> constexpr void format_to(S& sink, StringView pattern) {
    // Placeholders without arguments print as "{?}" so a mistake is visible, not silent.
    while (detail::copy_until_placeholder(sink, pattern)) format_value(sink, "{?}");
}

template <CharSink S, typename First, typename... Rest>
constexpr void format_to(S& sink, StringView pattern, const First& first, const Rest&... rest) {
    if (!detail::copy_until_placeholder(sink, pattern)) return;
    format_value(sink, first);
    format_to(sink, pattern, rest...);
}

// A sink writing into a fixed buffer, always NUL-terminated, dropping what does not fit.
class BufferSink {
public:
    BufferSink(char* buffer, usize capacity) : buffer_(buffer), capacity_(capacity) {
        if (capacity_ > 0) buffer_[0] = '\0';
    }
    void put(char c) {
        if (length_ + 1 < capacity_) {
            buffer_[length_++] = c;
            buffer_[length_] = '\0';
        } else {
            truncated_ = true;
        }
    }
    StringView view() const { return StringView(buffer_, length_); }
    bool truncated() const { return truncated_; }

private:
    char* buffer_;
    usize capacity_;
    usize length_ = 0;
    bool truncated_ = false;
};

} // namespace kstd
