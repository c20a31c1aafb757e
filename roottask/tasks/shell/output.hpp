#pragma once
// The shell's console output: text collects in a buffer as large as one console write
// request, so a command's output costs a few IPCs rather than one per line, plus the
// column and number formats the commands' tables use. Portable (host tests).
#include <kstd/format.hpp>
#include <kstd/span.hpp>
#include <userlib/services/console.hpp>

namespace tessera::shell {

// Where finished output goes: the console service on the machine, a string in tests.
class TextWriter {
public:
    virtual void write_text(kstd::StringView text) = 0;

protected:
    ~TextWriter() = default;
};

class Output {
public:
    static constexpr usize kCapacity = user::kConsoleMaxTransfer;

    explicit Output(TextWriter& writer) : writer_(writer) {}
    Output(const Output&) = delete;
    Output& operator=(const Output&) = delete;

    void put(char c) {
        if (length_ == kCapacity) flush();
        buffer_[length_++] = c;
    }
    void flush() {
        if (length_ == 0) return;
        writer_.write_text(kstd::StringView(buffer_, length_));
        length_ = 0;
    }

    template <typename... Args> void print(kstd::StringView pattern, const Args&... args) {
        kstd::format_to(*this, pattern, args...);
    }
    template <typename... Args> void println(kstd::StringView pattern, const Args&... args) {
        kstd::format_to(*this, pattern, args...);
        put('\n');
    }

private:
    TextWriter& writer_;
    char buffer_[kCapacity];
    usize length_ = 0;
};

// Table cells: text or a number padded with spaces to `width` (never cut).
struct LeftAligned {
    kstd::StringView text;
    usize width;
};
struct RightAligned {
    u64 value;
    usize width;
};
// A decimal number with leading zeros to `digits` (dates, times).
struct ZeroPadded {
    u64 value;
    unsigned digits;
};
// Hexadecimal digits without the "0x", zero-padded to `digits` (the hex dump).
struct BareHex {
    u64 value;
    unsigned digits;
};

usize decimal_digits(u64 value);

template <kstd::CharSink S> constexpr void put_spaces(S& sink, usize count) {
    for (usize i = 0; i < count; ++i) sink.put(' ');
}

template <kstd::CharSink S> void format_value(S& sink, LeftAligned cell) {
    kstd::format_value(sink, cell.text);
    if (cell.text.size() < cell.width) put_spaces(sink, cell.width - cell.text.size());
}

template <kstd::CharSink S> void format_value(S& sink, RightAligned cell) {
    usize digits = decimal_digits(cell.value);
    if (digits < cell.width) put_spaces(sink, cell.width - digits);
    kstd::format_unsigned(sink, cell.value, 10, 1);
}

template <kstd::CharSink S> void format_value(S& sink, ZeroPadded number) {
    kstd::format_unsigned(sink, number.value, 10, number.digits);
}

template <kstd::CharSink S> void format_value(S& sink, BareHex number) {
    kstd::format_unsigned(sink, number.value, 16, number.digits);
}

inline constexpr usize kHexDumpBytesPerLine = 16;

// One line per 16 bytes: the offset, the bytes in hex (a gap after the eighth), and the
// printable ones as text, e.g.
//   0010  48 65 6c 6c 6f 00 00 00  00 00 00 00 00 00 00 00  |Hello...........|
void hex_dump(Output& out, kstd::Bytes data);

} // namespace tessera::shell
