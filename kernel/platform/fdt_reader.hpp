#pragma once
// A thin checked layer over libfdt: every accessor either returns the value or produces a
// DiscoveryError that names the node and the property.
#include <kstd/format.hpp>
#include <kstd/optional.hpp>
#include <kstd/result.hpp>
#include <platform/device_tree.hpp>

namespace tessera {

struct RegEntry {
    u64 address;
    u64 size;
};

class FdtReader {
public:
    explicit FdtReader(const void* blob) : blob_(blob) {}

    const void* blob() const { return blob_; }

    // Formats "device tree: <node path>: <message>" into a DiscoveryError.
    template <typename... Args>
    DiscoveryError error_at(int node, kstd::StringView pattern, const Args&... args) const {
        DiscoveryError error;
        kstd::BufferSink sink(error.message, sizeof(error.message));
        kstd::format_to(sink, "device tree: ");
        char path[96];
        if (node >= 0 && fdt_get_path_into(node, path, sizeof(path)))
            kstd::format_to(sink, "{}: ", kstd::StringView(path));
        kstd::format_to(sink, pattern, args...);
        return error;
    }

    kstd::StringView node_name(int node) const;

    // Raw property bytes, or none when the property is absent.
    kstd::Optional<kstd::Bytes> property(int node, const char* name) const;

    // A NUL-terminated string property (the first string of a list).
    kstd::Result<kstd::Optional<kstd::StringView>, DiscoveryError> string_property(int node,
                                                                                   const char* name) const;

    // A 32- or 64-bit number: 4 or 8 bytes, anything else is an error.
    kstd::Result<kstd::Optional<u64>, DiscoveryError> number_property(int node, const char* name) const;

    // A property that must be exactly one 32-bit cell.
    kstd::Result<kstd::Optional<u32>, DiscoveryError> u32_property(int node, const char* name) const;

    bool is_disabled(int node) const;
    bool is_compatible(int node, const char* compatible) const;

    // #address-cells and #size-cells that apply to the children of `parent`.
    kstd::Result<void, DiscoveryError> cell_counts(int parent, u32& address_cells, u32& size_cells) const;

    // Decodes `reg` of `node` with the cell counts of its parent and translates the
    // addresses through the parent's `ranges`. Returns the number of entries written.
    kstd::Result<usize, DiscoveryError> reg(int node, kstd::Span<RegEntry> out) const;

    // The interrupt parent of `node` (its own or an ancestor's interrupt-parent).
    kstd::Optional<u32> interrupt_parent(int node) const;

    // Reads `count` big-endian cells (1 or 2) as one number.
    static u64 read_cells(const u8* cells, u32 count);

private:
    bool fdt_get_path_into(int node, char* buffer, int size) const;
    kstd::Result<u64, DiscoveryError> translate_address(int node, u64 address) const;

    const void* blob_;
};

} // namespace tessera
