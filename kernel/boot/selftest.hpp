#pragma once
// In-kernel boot self-tests, registered where they are written:
//
//   KERNEL_SELFTEST(MM0001, "kernel text is executable and not writable") { t.expect(...); }
//
// With "selftest" on the command line the kernel runs them all after boot and reports TAP
// on the console, which the system-suite runner reads.
#include <console/console.hpp>

namespace tessera {

class SelfTestContext {
public:
    explicit SelfTestContext(const char* id) : id_(id) {}

    // Records a failure (with a message) when `condition` is false; returns `condition`.
    template <typename... Args> bool expect(bool condition, kstd::StringView pattern, const Args&... args) {
        if (!condition) {
            ++failures_;
            ConsoleSink sink;
            kstd::format_to(sink, "# {}: ", id_);
            kstd::format_to(sink, pattern, args...);
            sink.put('\n');
        }
        return condition;
    }

    unsigned failures() const { return failures_; }

private:
    const char* id_;
    unsigned failures_ = 0;
};

struct SelfTestCase {
    const char* id;
    const char* description;
    void (*run)(SelfTestContext& t);
};

// Runs every registered test; returns the number that failed.
unsigned run_selftests();

} // namespace tessera

#define KERNEL_SELFTEST(test_id, description)                                                        \
    static void selftest_body_##test_id(::tessera::SelfTestContext& t);                               \
    [[gnu::used, gnu::section("kernel_selftests")]] static const ::tessera::SelfTestCase             \
        selftest_case_##test_id{#test_id, description, selftest_body_##test_id};                      \
    static void selftest_body_##test_id([[maybe_unused]] ::tessera::SelfTestContext& t)
