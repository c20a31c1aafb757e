#pragma once
// Formatted console output over DebugPutString: print("{} of {}", a, b) with kstd::format
// patterns; println adds the newline. Each call writes its text in whole lines.
#include <userlib/line_buffer.hpp>
#include <userlib/syscalls.hpp>

namespace tessera::user {

inline void write_console(kstd::StringView text) { debug_put_string(text); }

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
