#pragma once
// Discovery: reads a flattened device tree (through libfdt) into a PlatformInfo. Every
// malformation the kernel depends on is reported with the node, the property and what is
// wrong, so a bad blob ends the boot with a message instead of a fault.
#include <kstd/result.hpp>
#include <platform/platform_info.hpp>

namespace tessera {

struct DiscoveryError {
    char message[224] = {};
    kstd::StringView text() const { return kstd::StringView(message); }
};

// The largest blob accepted; anything bigger is taken as corruption.
inline constexpr u64 kMaxDeviceTreeBytes = 2 * 1024 * 1024;

// `blob` is where the kernel can read the tree; `blob_physical` is where it is in RAM, which
// is recorded as reserved. `available_bytes` bounds every read: a header claiming more is
// rejected before anything else is looked at.
kstd::Result<void, DiscoveryError> discover_platform(const void* blob, u64 blob_physical,
                                                     u64 available_bytes, PlatformInfo& out);

} // namespace tessera
