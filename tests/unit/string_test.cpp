// The kernel's (and userlib's) memcpy, memmove and memset, compiled for the host under
// other names (kernel_memcpy, ...), against the C library's, for every alignment of source
// and destination, lengths around the word size, overlapping moves both ways, and values
// that fill a word.
#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include <kstd/types.hpp>

extern "C" {
void* kernel_memcpy(void* destination, const void* source, usize count);
void* kernel_memmove(void* destination, const void* source, usize count);
void* kernel_memset(void* destination, int value, usize count);
}

namespace {

constexpr usize kArena = 96;

std::vector<u8> pattern(usize size, u8 seed) {
    std::vector<u8> bytes(size);
    for (usize i = 0; i < size; ++i) bytes[i] = static_cast<u8>(seed + i * 7);
    return bytes;
}

} // namespace

TEST_CASE("memcpy copies exactly the bytes asked for at every alignment") {
    for (usize from = 0; from < 9; ++from)
        for (usize to = 0; to < 9; ++to)
            for (usize count : {0u, 1u, 7u, 8u, 9u, 15u, 16u, 17u, 31u, 64u, 70u}) {
                std::vector<u8> source = pattern(kArena, 3), ours = pattern(kArena, 100), theirs = ours;
                void* returned = kernel_memcpy(ours.data() + to, source.data() + from, count);
                std::memcpy(theirs.data() + to, source.data() + from, count);
                INFO("from " << from << " to " << to << " count " << count);
                CHECK(returned == ours.data() + to);
                CHECK(ours == theirs);
            }
}

TEST_CASE("memmove handles overlap in both directions at every alignment") {
    for (usize from = 0; from < 17; ++from)
        for (usize to = 0; to < 17; ++to)
            for (usize count : {0u, 1u, 5u, 8u, 13u, 16u, 24u, 41u, 64u}) {
                std::vector<u8> ours = pattern(kArena, 11), theirs = ours;
                void* returned = kernel_memmove(ours.data() + to, ours.data() + from, count);
                std::memmove(theirs.data() + to, theirs.data() + from, count);
                INFO("from " << from << " to " << to << " count " << count);
                CHECK(returned == ours.data() + to);
                CHECK(ours == theirs);
            }
}

TEST_CASE("memset fills exactly the bytes asked for, with the low byte of the value") {
    for (usize to = 0; to < 9; ++to)
        for (usize count : {0u, 1u, 7u, 8u, 9u, 16u, 23u, 64u, 80u})
            for (int value : {0, 0x5a, 0xff, 0x1234}) {
                std::vector<u8> ours = pattern(kArena, 42), theirs = ours;
                void* returned = kernel_memset(ours.data() + to, value, count);
                std::memset(theirs.data() + to, value, count);
                INFO("to " << to << " count " << count << " value " << value);
                CHECK(returned == ours.data() + to);
                CHECK(ours == theirs);
            }
}
