#pragma once
// Formatted console output: print("{} of {}", a, b) with kstd::format patterns; println
// adds the newline. Each call writes its text in whole lines, to the console service once
// the task called use_console() (userlib/services/console.hpp), else (and whenever the
// console fails) through the kernel's DebugPutString.
#include <userlib/line_buffer.hpp>
#include <userlib/syscalls.hpp>

namespace tessera::user {

// Where print's lines go; defined beside the console client (src/console_client.cpp).
void write_console(kstd::StringView text);

template <typename... Args> void print(kstd::StringView pattern, const Args&... args) {
    LineBuffer line(write_console);
    kstd::format_to(line, pattern, args...);
}

template <typename... Args> void println(kstd::StringView pattern, const Args&... args) {
    LineBuffer line(write_console);
    kstd::format_to(line, pattern, args...);
    line.put('\n');
}

} // namespace tessera::user
