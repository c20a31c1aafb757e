// The C functions the compiler and libfdt call, for a freestanding program: byte loops
// are enough for what user space copies today. Also the failure path of KASSERT.
#include <kstd/assert.hpp>
#include <userlib/print.hpp>
#include <userlib/start.hpp>

extern "C" {

void* memcpy(void* destination, const void* source, usize count) {
    auto* to = static_cast<u8*>(destination);
    const auto* from = static_cast<const u8*>(source);
    for (usize i = 0; i < count; ++i) to[i] = from[i];
    return destination;
}

void* memmove(void* destination, const void* source, usize count) {
    auto* to = static_cast<u8*>(destination);
    const auto* from = static_cast<const u8*>(source);
    if (to < from) {
        for (usize i = 0; i < count; ++i) to[i] = from[i];
    } else {
        for (usize i = count; i > 0; --i) to[i - 1] = from[i - 1];
    }
    return destination;
}

void* memset(void* destination, int value, usize count) {
    auto* to = static_cast<u8*>(destination);
    for (usize i = 0; i < count; ++i) to[i] = static_cast<u8>(value);
    return destination;
}

int memcmp(const void* a, const void* b, usize count) {
    const auto* x = static_cast<const u8*>(a);
    const auto* y = static_cast<const u8*>(b);
    for (usize i = 0; i < count; ++i)
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
}

void* memchr(const void* memory, int value, usize count) {
    const auto* bytes = static_cast<const u8*>(memory);
    for (usize i = 0; i < count; ++i)
        if (bytes[i] == static_cast<u8>(value)) return const_cast<u8*>(bytes + i);
    return nullptr;
}

usize strlen(const char* text) {
    usize length = 0;
    while (text[length] != '\0') ++length;
    return length;
}

usize strnlen(const char* text, usize limit) {
    usize length = 0;
    while (length < limit && text[length] != '\0') ++length;
    return length;
}

char* strchr(const char* text, int c) {
    for (;; ++text) {
        if (*text == static_cast<char>(c)) return const_cast<char*>(text);
        if (*text == '\0') return nullptr;
    }
}

char* strrchr(const char* text, int c) {
    const char* last = nullptr;
    for (;; ++text) {
        if (*text == static_cast<char>(c)) last = text;
        if (*text == '\0') return const_cast<char*>(last);
    }
}

} // extern "C"

// A failed KASSERT is a bug in this program: say where, then stop. The root task takes
// the machine down with it (status 2) so a test run cannot miss it; another task only
// stops its thread.
[[noreturn]] void kstd::assertion_failed(const char* condition, const char* file, int line) {
    tessera::user::println("assertion failed: {} at {}:{}", condition, file, line);
    if (tessera::user::task_start().is_root_task()) tessera::user::debug_halt(2);
    tessera::user::end_current_thread();
}
