#include "manifest.hpp"

namespace tessera::roottask {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

kstd::StringView trim(kstd::StringView text) {
    usize start = 0, end = text.size();
    while (start < end && is_space(text[start])) ++start;
    while (end > start && is_space(text[end - 1])) --end;
    return text.substr(start, end - start);
}

// The next whitespace-separated word of `text`, which advances past it.
kstd::StringView take_word(kstd::StringView& text) {
    text = trim(text);
    usize end = 0;
    while (end < text.size() && !is_space(text[end])) ++end;
    kstd::StringView word = text.substr(0, end);
    text = text.substr(end);
    return word;
}

kstd::Optional<u64> parse_decimal(kstd::StringView text, u64 max) {
    if (text.empty() || text.size() > 10) return kstd::none;
    u64 value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return kstd::none;
        value = value * 10 + static_cast<u64>(c - '0');
    }
    if (value > max) return kstd::none;
    return value;
}

} // namespace

user::Result<kstd::Optional<ManifestEntry>> ManifestReader::next() {
    while (!rest_.empty()) {
        usize newline = rest_.find('\n');
        kstd::StringView line = rest_.substr(0, newline);
        rest_ = rest_.substr(newline == rest_.size() ? newline : newline + 1);
        ++line_;
        line = trim(line.substr(0, line.find('#')));
        if (line.empty()) continue;
        auto bad = [&] { return user::Error::of(user::LibraryError::BadManifest, line_); };
        ManifestEntry entry;
        entry.file = take_word(line);
        for (kstd::StringView word = take_word(line); !word.empty(); word = take_word(line)) {
            usize equals = word.find('=');
            kstd::StringView key = word.substr(0, equals), value = word.substr(equals + 1);
            if (equals == word.size()) return kstd::fail(bad());
            kstd::Optional<u64> number;
            if (key == "priority" && (number = parse_decimal(value, 255))) entry.priority = *number;
            else if (key == "stack" && (number = parse_decimal(value, kMaxTaskStackPages)) && *number > 0)
                entry.stack_pages = *number;
            else return kstd::fail(bad());
        }
        return kstd::Optional<ManifestEntry>(entry);
    }
    return kstd::Optional<ManifestEntry>();
}

} // namespace tessera::roottask
