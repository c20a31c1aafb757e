#pragma once
// The root task's user-mode tests. A test is one function in a file of its own:
//
//   #include "harness.hpp"
//   ROOTTASK_TEST(MAP0042, "what must be true, in one line") {
//       user::Frame frame = REQUIRE_OK(t, t.new_frame());
//       t.expect(condition, "what went wrong: {}", detail);
//   }
//
// and one line in roottask/meson.build. Tests run in order of their IDs; each prints
// "ok N - ID description" (or "not ok"), after its diagnostics "# ID: ...", as the
// kernel's self-tests do, so tools/qemu-test-runner.py --kernel-tap relays them. Each test
// gets its own Untyped and slots (t.objects), revoked and reset after it, so tests do not
// see each other's objects; page tables of the root task's own VSpace come from the root
// task's allocator and stay.
#include <userlib/print.hpp>

#include "../root_environment.hpp"

namespace tessera::roottask {

class TestContext {
public:
    TestContext(const char* id, RootEnvironment& root, user::ObjectAllocator& objects)
        : id_(id), root_(root), objects_(objects) {}

    template <typename... Args> void expect(bool condition, kstd::StringView pattern, const Args&... args) {
        if (condition) return;
        note(pattern, args...);
        ++failures_;
    }
    template <typename... Args> void note(kstd::StringView pattern, const Args&... args) {
        user::LineBuffer line(user::write_console);
        kstd::format_to(line, "# {}: ", id_);
        kstd::format_to(line, pattern, args...);
        line.put('\n');
    }
    void fail_with(kstd::StringView what, const user::Error& error) {
        note("{}: {}", what, error);
        ++failures_;
    }

    RootEnvironment& root() { return root_; }
    // This test's objects and slots (revoked after the test).
    user::ObjectAllocator& objects() { return objects_; }
    // Starting threads and tasks with this test's objects.
    user::StarterResources starter() { return user::StarterResources{root_.own_caps(), objects_, root_.addresses}; }
    user::CNode own_cnode() const { return root_.own_caps().cnode; }
    user::PageTable own_vspace() const { return root_.own_caps().vspace; }

    // A fresh frame mapped read-write in the root task's address space; returns its address.
    user::Result<u64> new_mapped_page(user::Frame* frame_out = nullptr);

    unsigned failures() const { return failures_; }

private:
    const char* id_;
    RootEnvironment& root_;
    user::ObjectAllocator& objects_;
    unsigned failures_ = 0;
};

using TestFunction = void (*)(TestContext& t);

struct RootTaskTest {
    RootTaskTest(const char* test_id, const char* test_description, TestFunction function);
    const char* id;
    const char* description;
    TestFunction run;
    RootTaskTest* next = nullptr;
};

// Runs every registered test; returns how many failed.
unsigned run_roottask_tests(RootEnvironment& root);

} // namespace tessera::roottask

// Registration runs as a static constructor (crt0 runs them before task_main).
#define ROOTTASK_TEST(ID, DESCRIPTION)                                                          \
    static void roottask_test_##ID(::tessera::roottask::TestContext& t);                       \
    static ::tessera::roottask::RootTaskTest roottask_test_registration_##ID(#ID, DESCRIPTION,  \
                                                                             roottask_test_##ID); \
    static void roottask_test_##ID(::tessera::roottask::TestContext& t)

// The value of a Result; on error, the test notes it, counts a failure and returns.
#define REQUIRE_OK(context, expression)                                                         \
    ({                                                                                          \
        auto require_result_ = (expression);                                                    \
        if (!require_result_.ok()) {                                                            \
            (context).fail_with(#expression, require_result_.error());                          \
            return;                                                                             \
        }                                                                                       \
        require_result_.release_value();                                                        \
    })
