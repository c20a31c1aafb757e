#pragma once
// Checks of the kernel's own invariants. A failed check is a kernel bug: the kernel build
// panics with a register dump, the host build aborts so the sanitizer runtime reports it.

namespace kstd {
[[noreturn]] void assertion_failed(const char* condition, const char* file, int line);
}

#define KASSERT(condition)                                                                 \
    do {                                                                                   \
        if (!(condition)) [[unlikely]]                                                     \
            ::kstd::assertion_failed(#condition, __FILE__, __LINE__);                      \
    } while (false)
