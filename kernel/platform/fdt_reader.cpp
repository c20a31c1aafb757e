#include <libfdt.h>
#include <platform/fdt_reader.hpp>

namespace tessera {

namespace {

bool is_nul_terminated(kstd::Bytes bytes) {
    for (u8 byte : bytes)
        if (byte == 0) return true;
    return false;
}

} // namespace

bool FdtReader::fdt_get_path_into(int node, char* buffer, int size) const {
    return fdt_get_path(blob_, node, buffer, size) == 0;
}

kstd::StringView FdtReader::node_name(int node) const {
    int length = 0;
    const char* name = fdt_get_name(blob_, node, &length);
    if (name == nullptr || length < 0) return kstd::StringView("?");
    return kstd::StringView(name, static_cast<usize>(length));
}

kstd::Optional<kstd::Bytes> FdtReader::property(int node, const char* name) const {
    int length = 0;
    const void* data = fdt_getprop(blob_, node, name, &length);
    if (data == nullptr || length < 0) return kstd::none;
    return kstd::Bytes(static_cast<const u8*>(data), static_cast<usize>(length));
}

kstd::Result<kstd::Optional<kstd::StringView>, DiscoveryError>
FdtReader::string_property(int node, const char* name) const {
    auto bytes = property(node, name);
    if (!bytes) return kstd::Optional<kstd::StringView>{};
    if (bytes->empty() || !is_nul_terminated(*bytes))
        return kstd::fail(error_at(node, "property '{}' is not a NUL-terminated string", name));
    return kstd::Optional<kstd::StringView>(kstd::StringView(reinterpret_cast<const char*>(bytes->data())));
}

u64 FdtReader::read_cells(const u8* cells, u32 count) {
    u64 value = 0;
    for (u32 i = 0; i < count * 4; ++i) value = (value << 8) | cells[i];
    return value;
}

kstd::Result<kstd::Optional<u64>, DiscoveryError> FdtReader::number_property(int node, const char* name) const {
    auto bytes = property(node, name);
    if (!bytes) return kstd::Optional<u64>{};
    if (bytes->size() != 4 && bytes->size() != 8)
        return kstd::fail(error_at(node, "property '{}' is {} bytes long, expected 4 or 8", name, bytes->size()));
    return kstd::Optional<u64>(read_cells(bytes->data(), static_cast<u32>(bytes->size() / 4)));
}

kstd::Result<kstd::Optional<u32>, DiscoveryError> FdtReader::u32_property(int node, const char* name) const {
    auto bytes = property(node, name);
    if (!bytes) return kstd::Optional<u32>{};
    if (bytes->size() != 4)
        return kstd::fail(error_at(node, "property '{}' is {} bytes long, expected 4", name, bytes->size()));
    return kstd::Optional<u32>(static_cast<u32>(read_cells(bytes->data(), 1)));
}

bool FdtReader::is_disabled(int node) const {
    auto status = property(node, "status");
    if (!status || !is_nul_terminated(*status)) return false;
    kstd::StringView text(reinterpret_cast<const char*>(status->data()));
    return !(text == "okay" || text == "ok");
}

bool FdtReader::is_compatible(int node, const char* compatible) const {
    return fdt_node_check_compatible(blob_, node, compatible) == 0;
}

kstd::Result<void, DiscoveryError> FdtReader::cell_counts(int parent, u32& address_cells, u32& size_cells) const {
    // The specification's defaults when a node does not say: 2 address cells, 1 size cell.
    auto address = TRY(u32_property(parent, "#address-cells"));
    auto size = TRY(u32_property(parent, "#size-cells"));
    address_cells = address.value_or(2);
    size_cells = size.value_or(1);
    if (address_cells < 1 || address_cells > 2)
        return kstd::fail(error_at(parent, "#address-cells is {}, expected 1 or 2", address_cells));
    if (size_cells > 2)
        return kstd::fail(error_at(parent, "#size-cells is {}, expected 0, 1 or 2", size_cells));
    return {};
}

kstd::Result<u64, DiscoveryError> FdtReader::translate_address(int node, u64 address) const {
    int parent = fdt_parent_offset(blob_, node);
    if (parent < 0) return address;
    int grandparent = fdt_parent_offset(blob_, parent);
    if (grandparent < 0) return address; // children of the root are in the CPU's address space
    auto ranges = property(parent, "ranges");
    // An empty `ranges` is an identity mapping; a missing one, strictly, means the bus is
    // not addressable from the CPU, which no device the kernel uses relies on.
    if (!ranges || ranges->empty()) return address;
    u32 child_address_cells = 0, child_size_cells = 0, parent_address_cells = 0, parent_size_cells = 0;
    TRY(cell_counts(parent, child_address_cells, child_size_cells));
    TRY(cell_counts(grandparent, parent_address_cells, parent_size_cells));
    usize entry_bytes = 4 * (child_address_cells + parent_address_cells + child_size_cells);
    if (ranges->size() % entry_bytes != 0)
        return kstd::fail(error_at(parent, "property 'ranges' is {} bytes long, not a multiple of {}",
                                   ranges->size(), entry_bytes));
    for (usize offset = 0; offset < ranges->size(); offset += entry_bytes) {
        const u8* entry = ranges->data() + offset;
        u64 child_base = read_cells(entry, child_address_cells);
        u64 parent_base = read_cells(entry + 4 * child_address_cells, parent_address_cells);
        u64 size = read_cells(entry + 4 * (child_address_cells + parent_address_cells), child_size_cells);
        if (address >= child_base && address - child_base < size)
            return translate_address(parent, parent_base + (address - child_base));
    }
    return kstd::fail(error_at(node, "address {} is outside every entry of the parent's 'ranges'",
                               kstd::Hex{address, 1}));
}

kstd::Result<usize, DiscoveryError> FdtReader::reg(int node, kstd::Span<RegEntry> out) const {
    int parent = fdt_parent_offset(blob_, node);
    if (parent < 0) return kstd::fail(error_at(node, "has no parent node"));
    u32 address_cells = 0, size_cells = 0;
    TRY(cell_counts(parent, address_cells, size_cells));
    auto bytes = property(node, "reg");
    if (!bytes) return kstd::fail(error_at(node, "property 'reg' is missing"));
    if (bytes->empty()) return kstd::fail(error_at(node, "property 'reg' is empty"));
    usize entry_bytes = 4 * (address_cells + size_cells);
    if (bytes->size() % entry_bytes != 0)
        return kstd::fail(error_at(node,
                                   "property 'reg' is {} bytes long, not a multiple of {} "
                                   "({} address cells + {} size cells)",
                                   bytes->size(), entry_bytes, address_cells, size_cells));
    usize count = bytes->size() / entry_bytes;
    if (count > out.size())
        return kstd::fail(error_at(node, "property 'reg' has {} entries, at most {} are supported", count,
                                   out.size()));
    for (usize i = 0; i < count; ++i) {
        const u8* entry = bytes->data() + i * entry_bytes;
        u64 address = read_cells(entry, address_cells);
        u64 size = size_cells == 0 ? 0 : read_cells(entry + 4 * address_cells, size_cells);
        out[i] = RegEntry{TRY(translate_address(node, address)), size};
    }
    return count;
}

kstd::Optional<u32> FdtReader::interrupt_parent(int node) const {
    for (int current = node; current >= 0; current = fdt_parent_offset(blob_, current)) {
        auto bytes = property(current, "interrupt-parent");
        if (bytes && bytes->size() == 4) return static_cast<u32>(read_cells(bytes->data(), 1));
    }
    return kstd::none;
}

} // namespace tessera
