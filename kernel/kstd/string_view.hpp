#pragma once
// A non-owning view of characters; device-tree names and console text pass through it.
#include "types.hpp"

namespace kstd {

class StringView {
public:
    constexpr StringView() = default;
    constexpr StringView(const char* text, usize length) : text_(text), length_(length) {}
    constexpr StringView(const char* text) : text_(text), length_(text ? c_length(text) : 0) {}

    constexpr const char* data() const { return text_; }
    constexpr usize size() const { return length_; }
    constexpr bool empty() const { return length_ == 0; }
    constexpr const char* begin() const { return text_; }
    constexpr const char* end() const { return text_ + length_; }
    constexpr char operator[](usize index) const { return text_[index]; }

    constexpr StringView substr(usize offset, usize count = ~usize{0}) const {
        if (offset > length_) offset = length_;
        if (count > length_ - offset) count = length_ - offset;
        return StringView(text_ + offset, count);
    }

    constexpr bool starts_with(StringView prefix) const {
        return prefix.length_ <= length_ && substr(0, prefix.length_) == prefix;
    }

    constexpr bool ends_with(StringView suffix) const {
        return suffix.length_ <= length_ && substr(length_ - suffix.length_) == suffix;
    }

    // Index of the first occurrence of `c`, or size() when absent.
    constexpr usize find(char c) const {
        for (usize i = 0; i < length_; ++i)
            if (text_[i] == c) return i;
        return length_;
    }

    constexpr bool contains(char c) const { return find(c) != length_; }

    friend constexpr bool operator==(StringView a, StringView b) {
        if (a.length_ != b.length_) return false;
        for (usize i = 0; i < a.length_; ++i)
            if (a.text_[i] != b.text_[i]) return false;
        return true;
    }

private:
    static constexpr usize c_length(const char* text) {
        usize n = 0;
        while (text[n] != '\0') ++n;
        return n;
    }

    const char* text_ = "";
    usize length_ = 0;
};

} // namespace kstd
