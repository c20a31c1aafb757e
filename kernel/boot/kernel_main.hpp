#pragma once
// The architecture-independent part of boot. The architecture's entry code calls
// kernel_main() once paging runs at the kernel's linked address and the boot CPU has its
// per-CPU record.
#include <memory/address.hpp>

namespace tessera {

struct BootHandoff {
    u64 hardware_id;              // the boot CPU's hart id
    PhysAddr device_tree;         // where the firmware left the blob
    const void* device_tree_view; // the same, readable by the kernel (null when unreachable)
    u64 device_tree_window;       // bytes readable from device_tree_view
};

[[noreturn]] void kernel_main(const BootHandoff& handoff);

} // namespace tessera
