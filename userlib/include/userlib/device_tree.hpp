#pragma once
// The few device-tree questions user space asks, through the upstream libfdt (compiled
// for user space from the sources the kernel uses): the command line in /chosen/bootargs,
// and devices by their compatible string with their first register window and interrupt.
#include <kstd/optional.hpp>
#include <kstd/span.hpp>
#include <kstd/string_view.hpp>
#include <userlib/error.hpp>

namespace tessera::user {

struct DeviceNode {
    int offset = -1;    // libfdt's node offset
    u64 address = 0;    // the first (address, size) of `reg`, translated by nothing:
    u64 size = 0;       // the parent's #address-cells/#size-cells decide the widths
    bool has_reg = false;
    // The first cell of `interrupts`: on a PLIC (one cell per interrupt) the line to ask
    // IrqControl.Get for. Absent when the node has none.
    kstd::Optional<u32> interrupt;
};

class DeviceTree {
public:
    // Checks the header and that the blob fits in `bytes`.
    static Result<DeviceTree> from(kstd::Bytes bytes);

    // /chosen/bootargs without its NUL; empty when absent.
    kstd::StringView bootargs() const;

    // The first node after `previous` (-1: from the start) compatible with `compatible`.
    kstd::Optional<DeviceNode> find_compatible(kstd::StringView compatible, int previous = -1) const;

    DeviceTree() = default; // an empty Result slot; use from()
    const void* blob() const { return blob_; }

private:
    explicit DeviceTree(const void* blob) : blob_(blob) {}
    const void* blob_ = nullptr;
};

// Whether `option` is one of the space-separated words of `command_line` (an exact word,
// or the name before '=' of a "name=value" word).
bool has_boot_option(kstd::StringView command_line, kstd::StringView option);

} // namespace tessera::user
