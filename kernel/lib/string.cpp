// The C string and memory functions the compiler and libfdt expect. The kernel is
// freestanding, so it brings its own; simple byte loops suffice for boot-time use. userlib
// compiles this same file for user programs.
#include <kstd/types.hpp>

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
    const auto* left = static_cast<const u8*>(a);
    const auto* right = static_cast<const u8*>(b);
    for (usize i = 0; i < count; ++i)
        if (left[i] != right[i]) return left[i] < right[i] ? -1 : 1;
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

char* strrchr(const char* text, int c) {
    const char* found = nullptr;
    for (;; ++text) {
        if (*text == static_cast<char>(c)) found = text;
        if (*text == '\0') return const_cast<char*>(found);
    }
}

char* strchr(const char* text, int c) {
    for (;; ++text) {
        if (*text == static_cast<char>(c)) return const_cast<char*>(text);
        if (*text == '\0') return nullptr;
    }
}

} // extern "C"
