#pragma once
// What boot discovered and decided, kept for the rest of the kernel's life (read-only
// after boot) and for the boot self-tests.
#include <memory/memory_account.hpp>
#include <platform/platform_info.hpp>

namespace tessera {

struct BootState {
    PlatformInfo platform;
    MemoryAccount memory;
    kstd::BoundedVector<ReservedRange, 8> kernel_reservations; // image and boot allocations
    u64 boot_hardware_id = 0;
};

extern BootState boot_state;

void print_boot_summary(const BootState& state);

// "panic-test=<kind>" on the command line: deliberately breaks the kernel so the system
// suite can check that panics are reported and end the run. False for an unknown kind.
bool run_panic_test(kstd::StringView kind);

} // namespace tessera
