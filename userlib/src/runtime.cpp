// The failure path of KASSERT in user programs. (The C memory and string functions the
// compiler and libfdt call are the kernel's own, kernel/lib/string.cpp, compiled again
// with user flags: see userlib/meson.build.)
#include <kstd/assert.hpp>
#include <userlib/print.hpp>
#include <userlib/start.hpp>

// A failed KASSERT is a bug in this program: say where, then stop. The root task takes
// the machine down with it (status 2) so a test run cannot miss it; another task only
// stops its thread.
[[noreturn]] void kstd::assertion_failed(const char* condition, const char* file, int line) {
    tessera::user::println("assertion failed: {} at {}:{}", condition, file, line);
    if (tessera::user::task_start().is_root_task()) tessera::user::debug_halt(2);
    tessera::user::end_current_thread();
}
