#pragma once
// The kernel stops only for its own bugs: a message, a register dump, a power-off.
#include <arch/trap_frame.hpp>
#include <kstd/format.hpp>

namespace tessera {

[[noreturn]] void panic_with_frame(kstd::StringView reason, const arch::TrapFrame& frame);

// Formats the reason, captures the caller's registers and panics with them.
[[noreturn]] void panic_message(kstd::StringView reason);

template <typename... Args> [[noreturn]] void panic(kstd::StringView pattern, const Args&... args) {
    char reason[192];
    kstd::BufferSink sink(reason, sizeof(reason));
    kstd::format_to(sink, pattern, args...);
    panic_message(sink.view());
}

} // namespace tessera
