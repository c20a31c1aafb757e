#pragma once
// A command line split into words at spaces, and the numbers commands take as arguments.
// Portable.
#include <kstd/result.hpp>
#include <kstd/string_view.hpp>

namespace tessera::shell {

class CommandLine {
public:
    // Enough for a line of the editor's longest (every other byte a space).
    static constexpr usize kMaxWords = 101;

    explicit CommandLine(kstd::StringView line);

    usize count() const { return count_; }
    // The word at `index`; empty past the last.
    kstd::StringView word(usize index) const;
    // The line from word `index` to its last word, spaces inside kept as typed (the text
    // of echo and blk write); empty past the last word.
    kstd::StringView rest(usize index) const;

private:
    struct Word {
        usize start = 0;
        usize length = 0;
    };

    kstd::StringView line_;
    Word words_[kMaxWords];
    usize count_ = 0;
};

enum class NumberError {
    NotANumber, // empty, a character that is no digit, or "0x" with nothing after it
    TooLarge,   // more than 64 bits
};

// A number in decimal ("4096") or hexadecimal with "0x" ("0x1000").
kstd::Result<u64, NumberError> parse_number(kstd::StringView text);

} // namespace tessera::shell
