#pragma once
// The pieces of discover_platform(), one per part of the tree, in the order it calls them.
#include <platform/fdt_reader.hpp>

namespace tessera {

kstd::Result<void, DiscoveryError> discover_harts(const FdtReader& reader, PlatformInfo& out);
// Needs the harts: PLIC contexts are matched to harts through their interrupt controllers.
kstd::Result<void, DiscoveryError> discover_interrupt_controller(const FdtReader& reader, PlatformInfo& out);
// Needs the interrupt controller: the console's line is a PLIC source.
kstd::Result<void, DiscoveryError> discover_console(const FdtReader& reader, PlatformInfo& out);
// Needs the interrupt controller: which device lines lead to the PLIC.
kstd::Result<void, DiscoveryError> discover_device_interrupts(const FdtReader& reader, PlatformInfo& out);
// Needs the memory nodes: device regions never overlap RAM.
kstd::Result<void, DiscoveryError> discover_device_regions(const FdtReader& reader, PlatformInfo& out);

} // namespace tessera
