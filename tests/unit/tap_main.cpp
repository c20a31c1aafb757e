// The main of both unit-test executables. Meson reads TAP on stdout, one line per Catch
// TEST_CASE; Catch2 2.x's own TAP reporter reports per assertion, so a listener prints the
// TAP lines while the console reporter (with the failure details) writes to stderr, which
// meson keeps in the test log.
#define CATCH_CONFIG_RUNNER
#define CATCH_CONFIG_NOSTDOUT // Catch::cout() below sends the reporters' output to stderr
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include <kstd/assert.hpp>

#include "test_support.hpp"

namespace Catch {
std::ostream& cout() { return std::cerr; }
std::ostream& cerr() { return std::cerr; }
std::ostream& clog() { return std::cerr; }
} // namespace Catch

// A failed KASSERT in kernel code is a kernel bug: abort, so the test dies visibly and the
// missing TAP plan line marks the run as failed.
[[noreturn]] void kstd::assertion_failed(const char* condition, const char* file, int line) {
    std::fprintf(stderr, "KASSERT(%s) failed at %s:%d\n", condition, file, line);
    std::fflush(stderr);
    std::abort();
}

namespace tessera_test {

namespace {

constexpr std::uint64_t kDefaultSeed = 0x7e55e7a5eedull;
std::vector<DtbArgument> g_dtb_arguments;

std::uint64_t read_seed() {
    const char* text = std::getenv("TESSERA_TEST_SEED");
    if (text == nullptr || *text == '\0') return kDefaultSeed;
    char* end = nullptr;
    std::uint64_t value = std::strtoull(text, &end, 0);
    if (end == text || *end != '\0') {
        std::fprintf(stderr, "TESSERA_TEST_SEED='%s' is not a number\n", text);
        std::exit(2);
    }
    return value;
}

} // namespace

std::uint64_t test_seed() {
    static const std::uint64_t seed = read_seed();
    return seed;
}

std::mt19937_64 make_rng(std::uint64_t salt) {
    // splitmix64 of (seed, salt): nearby salts still give unrelated streams.
    std::uint64_t z = test_seed() + 0x9e3779b97f4a7c15ull * (salt + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return std::mt19937_64(z ^ (z >> 31));
}

const std::vector<DtbArgument>& dtb_arguments() { return g_dtb_arguments; }

} // namespace tessera_test

namespace {

class TapListener : public Catch::TestEventListenerBase {
public:
    using TestEventListenerBase::TestEventListenerBase;

    void testCaseEnded(const Catch::TestCaseStats& stats) override {
        ++count_;
        // The per-test-case delta: failed counts a test case with any failed assertion
        // (or, with -w NoAssertions, one that asserted nothing).
        bool ok = stats.totals.testCases.failed == 0 && stats.totals.assertions.failed == 0;
        std::cout << (ok ? "ok " : "not ok ") << count_ << " - " << tap_safe(stats.testInfo.name) << '\n'
                  << std::flush;
        TestEventListenerBase::testCaseEnded(stats);
    }

    void testRunEnded(const Catch::TestRunStats& stats) override {
        std::cout << "1.." << count_ << '\n' << std::flush;
        TestEventListenerBase::testRunEnded(stats);
    }

private:
    // '#' would start a TAP directive; test names are plain text.
    static std::string tap_safe(std::string name) {
        for (char& c : name)
            if (c == '#' || c == '\n') c = ' ';
        return name;
    }

    std::size_t count_ = 0;
};

} // namespace

CATCH_REGISTER_LISTENER(TapListener)

int main(int argc, char** argv) {
    // Our own arguments ("--dtb SPEC PATH") come out before Catch parses the rest.
    std::vector<char*> catch_arguments;
    for (int i = 0; i < argc; ++i) {
        if (i > 0 && std::strcmp(argv[i], "--dtb") == 0) {
            if (i + 2 >= argc) {
                std::fprintf(stderr, "--dtb needs SPEC and PATH\n");
                return 2;
            }
            tessera_test::g_dtb_arguments.push_back({argv[i + 1], argv[i + 2]});
            i += 2;
            continue;
        }
        catch_arguments.push_back(argv[i]);
    }

    Catch::Session session;
    int status = session.applyCommandLine(static_cast<int>(catch_arguments.size()), catch_arguments.data());
    if (status != 0) return status;
    // A test case that asserts nothing cannot fail, so it counts as a failure here.
    session.configData().warnings =
        static_cast<Catch::WarnAbout::What>(session.configData().warnings | Catch::WarnAbout::NoAssertions);
    std::fprintf(stderr, "TESSERA_TEST_SEED=%llu\n", static_cast<unsigned long long>(tessera_test::test_seed()));
    return session.run();
}
