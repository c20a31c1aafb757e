#pragma once
// Building the root task from the boot image: the one user task the kernel makes by
// itself. Everything else is made by user space from the Untyped memory it receives.
#include <boot/boot_state.hpp>
#include <kstd/result.hpp>

namespace tessera {

struct RootTaskError {
    char message[160] = {};
    kstd::StringView text() const { return kstd::StringView(message); }
};

// The ELF file in the boot image that becomes the root task.
inline constexpr kstd::StringView kRootTaskFileName = "roottask";

// Builds the root task (its CNode, TCB, address space, BootInfo) from the boot image the
// firmware loaded as the initrd, hands every remaining byte of free RAM and every device
// region to it as Untyped, and makes it runnable. Call after memory accounting; updates
// `state` (the root task's objects become reserved memory).
kstd::Result<void, RootTaskError> build_root_task(BootState& state);

} // namespace tessera
