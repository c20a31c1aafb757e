// The C string and memory functions the compiler and libfdt expect. The kernel is
// freestanding, so it brings its own. userlib compiles this same file for user programs.
// memcpy, memmove and memset move whole words where source and destination share their
// alignment: the compiler calls them for every structure copy and zeroing (a fault's
// record, a 120-word message), and byte loops made those the largest part of the fault
// paths and of loading the root task (docs/performance.md). The host test
// tests/unit/string_test.cpp checks every alignment and length against the C library.
#include <kstd/types.hpp>

namespace {

// Words read and written through this type may alias anything, as memcpy's must.
using AliasedWord = u64 __attribute__((may_alias));
constexpr usize kWordBytes = sizeof(u64);

bool word_aligned(const void* pointer) { return (reinterpret_cast<usize>(pointer) & (kWordBytes - 1)) == 0; }

// Bytes until `pointer` is word-aligned, at most `count`.
usize bytes_to_alignment(const void* pointer, usize count) {
    usize misalignment = reinterpret_cast<usize>(pointer) & (kWordBytes - 1);
    usize head = misalignment == 0 ? 0 : kWordBytes - misalignment;
    return head < count ? head : count;
}

} // namespace

extern "C" {

// no_builtin: the loops below must not be turned back into calls to these very functions.
__attribute__((no_builtin("memcpy"))) void* memcpy(void* destination, const void* source, usize count) {
    auto* to = static_cast<u8*>(destination);
    const auto* from = static_cast<const u8*>(source);
    usize i = 0;
    if (((reinterpret_cast<usize>(to) ^ reinterpret_cast<usize>(from)) & (kWordBytes - 1)) == 0) {
        for (usize head = bytes_to_alignment(to, count); i < head; ++i) to[i] = from[i];
        for (; count - i >= kWordBytes; i += kWordBytes)
            *reinterpret_cast<AliasedWord*>(to + i) = *reinterpret_cast<const AliasedWord*>(from + i);
    }
    for (; i < count; ++i) to[i] = from[i];
    return destination;
}

__attribute__((no_builtin("memmove"))) void* memmove(void* destination, const void* source, usize count) {
    auto* to = static_cast<u8*>(destination);
    const auto* from = static_cast<const u8*>(source);
    if (to == from || count == 0) return destination;
    // Forward is safe when the destination starts below the source or past its end.
    if (to < from || to >= from + count) return memcpy(destination, source, count);
    usize i = count;
    if (((reinterpret_cast<usize>(to) ^ reinterpret_cast<usize>(from)) & (kWordBytes - 1)) == 0) {
        // Backwards: the tail bytes down to a word boundary, then words, then the head.
        for (; i > 0 && !word_aligned(to + i); --i) to[i - 1] = from[i - 1];
        for (; i >= kWordBytes; i -= kWordBytes)
            *reinterpret_cast<AliasedWord*>(to + i - kWordBytes) =
                *reinterpret_cast<const AliasedWord*>(from + i - kWordBytes);
    }
    for (; i > 0; --i) to[i - 1] = from[i - 1];
    return destination;
}

__attribute__((no_builtin("memset"))) void* memset(void* destination, int value, usize count) {
    auto* to = static_cast<u8*>(destination);
    const u8 byte = static_cast<u8>(value);
    usize i = 0;
    for (usize head = bytes_to_alignment(to, count); i < head; ++i) to[i] = byte;
    const u64 word = u64{byte} * 0x0101010101010101;
    for (; count - i >= kWordBytes; i += kWordBytes) *reinterpret_cast<AliasedWord*>(to + i) = word;
    for (; i < count; ++i) to[i] = byte;
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
