#include "command_line.hpp"

namespace tessera::shell {

CommandLine::CommandLine(kstd::StringView line) : line_(line) {
    usize i = 0;
    while (i < line.size() && count_ < kMaxWords) {
        while (i < line.size() && line[i] == ' ') ++i;
        if (i == line.size()) break;
        usize start = i;
        while (i < line.size() && line[i] != ' ') ++i;
        words_[count_++] = Word{start, i - start};
    }
}

kstd::StringView CommandLine::word(usize index) const {
    if (index >= count_) return {};
    return line_.substr(words_[index].start, words_[index].length);
}

kstd::StringView CommandLine::rest(usize index) const {
    if (index >= count_) return {};
    const Word& last = words_[count_ - 1];
    return line_.substr(words_[index].start, last.start + last.length - words_[index].start);
}

namespace {

int digit_value(char c, u64 base) {
    int value = -1;
    if (c >= '0' && c <= '9') value = c - '0';
    else if (c >= 'a' && c <= 'f') value = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') value = c - 'A' + 10;
    return value >= 0 && static_cast<u64>(value) < base ? value : -1;
}

} // namespace

kstd::Result<u64, NumberError> parse_number(kstd::StringView text) {
    u64 base = 10;
    if (text.starts_with("0x") || text.starts_with("0X")) {
        base = 16;
        text = text.substr(2);
    }
    if (text.empty()) return kstd::fail(NumberError::NotANumber);
    u64 value = 0;
    bool too_large = false;
    for (char c : text) {
        int digit = digit_value(c, base);
        if (digit < 0) return kstd::fail(NumberError::NotANumber);
        // Checked before the multiplication, so the value never wraps; the scan goes on so
        // that "99999999999999999999x" is reported as no number rather than as too large.
        if (value > (~u64{0} - static_cast<u64>(digit)) / base) too_large = true;
        else value = value * base + static_cast<u64>(digit);
    }
    if (too_large) return kstd::fail(NumberError::TooLarge);
    return value;
}

} // namespace tessera::shell
