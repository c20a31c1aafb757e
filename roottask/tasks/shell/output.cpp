#include "output.hpp"

namespace tessera::shell {

usize decimal_digits(u64 value) {
    usize digits = 1;
    for (; value >= 10; value /= 10) ++digits;
    return digits;
}

namespace {

bool is_printable(u8 byte) { return byte >= 0x20 && byte < 0x7f; }

} // namespace

void hex_dump(Output& out, kstd::Bytes data) {
    for (usize offset = 0; offset < data.size(); offset += kHexDumpBytesPerLine) {
        usize count = data.size() - offset < kHexDumpBytesPerLine ? data.size() - offset : kHexDumpBytesPerLine;
        out.print("{} ", BareHex{offset, 4});
        for (usize i = 0; i < kHexDumpBytesPerLine; ++i) {
            // The gap after the eighth byte makes a column easy to find by eye.
            if (i == kHexDumpBytesPerLine / 2) out.put(' ');
            if (i < count) out.print(" {}", BareHex{data[offset + i], 2});
            else out.print("   ");
        }
        out.print("  |");
        for (usize i = 0; i < count; ++i) {
            u8 byte = data[offset + i];
            out.put(is_printable(byte) ? static_cast<char>(byte) : '.');
        }
        out.println("|");
    }
}

} // namespace tessera::shell
