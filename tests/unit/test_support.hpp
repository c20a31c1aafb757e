#pragma once
// Shared by every host unit test: the random seed, the files given on the command line,
// and a character sink that collects kstd::format output into a std::string.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace tessera_test {

// Every randomized test derives its generator from this seed: TESSERA_TEST_SEED when that
// is set (decimal or 0x-hex), a fixed default otherwise. Tests INFO() it so a failure
// message says how to reproduce the run.
std::uint64_t test_seed();

// A generator for one test: the seed mixed with a per-test salt, so tests do not share a
// random stream and adding a test does not change what the others draw.
std::mt19937_64 make_rng(std::uint64_t salt);

// "--dtb SPEC PATH" arguments, in command-line order (meson passes the QEMU dumps this way).
struct DtbArgument {
    std::string spec; // "key=value;key=value", see device_tree_qemu_test.cpp
    std::string path;
};
const std::vector<DtbArgument>& dtb_arguments();

// A kstd::CharSink appending to a std::string.
struct StringSink {
    std::string text;
    void put(char c) { text.push_back(c); }
};

} // namespace tessera_test
