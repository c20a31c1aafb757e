#include <libfdt.h>
#include <userlib/device_tree.hpp>

namespace tessera::user {

Result<DeviceTree> DeviceTree::from(kstd::Bytes bytes) {
    if (bytes.size() < sizeof(fdt_header)) return kstd::fail(Error::of(LibraryError::BadDeviceTree));
    int checked = fdt_check_header(bytes.data());
    if (checked != 0) return kstd::fail(Error::of(LibraryError::BadDeviceTree, static_cast<u64>(-checked)));
    if (fdt_totalsize(bytes.data()) > bytes.size()) return kstd::fail(Error::of(LibraryError::BadDeviceTree));
    return DeviceTree(bytes.data());
}

kstd::StringView DeviceTree::bootargs() const {
    int chosen = fdt_path_offset(blob_, "/chosen");
    if (chosen < 0) return {};
    int length = 0;
    const auto* text = static_cast<const char*>(fdt_getprop(blob_, chosen, "bootargs", &length));
    if (text == nullptr || length <= 0) return {};
    // The property is NUL-terminated; do not trust that it is.
    usize size = 0;
    while (size < static_cast<usize>(length) && text[size] != '\0') ++size;
    return kstd::StringView(text, size);
}

namespace {

u64 read_cells(const fdt32_t* cells, int count) {
    u64 value = 0;
    for (int i = 0; i < count; ++i) value = (value << 32) | fdt32_to_cpu(cells[i]);
    return value;
}

// `#address-cells` or `#size-cells` of `node`, or the specification's default. Read here
// rather than with libfdt's fdt_address_cells(): that one lives in fdt_addresses.c, which
// also needs the read-write half of libfdt that user programs do not link.
int cell_count(const void* blob, int node, const char* name, int fallback) {
    int length = 0;
    const auto* cells = static_cast<const fdt32_t*>(fdt_getprop(blob, node, name, &length));
    if (cells == nullptr || length != static_cast<int>(sizeof(fdt32_t))) return fallback;
    return static_cast<int>(fdt32_to_cpu(cells[0]));
}

} // namespace

kstd::Optional<DeviceNode> DeviceTree::find_compatible(kstd::StringView compatible, int previous) const {
    // libfdt wants a NUL-terminated string.
    char name[128];
    if (compatible.size() >= sizeof(name)) return kstd::none;
    for (usize i = 0; i < compatible.size(); ++i) name[i] = compatible[i];
    name[compatible.size()] = '\0';
    int node = fdt_node_offset_by_compatible(blob_, previous, name);
    if (node < 0) return kstd::none;
    DeviceNode device;
    device.offset = node;
    int parent = fdt_parent_offset(blob_, node);
    int address_cells = parent >= 0 ? cell_count(blob_, parent, "#address-cells", 2) : 2;
    int size_cells = parent >= 0 ? cell_count(blob_, parent, "#size-cells", 1) : 1;
    int length = 0;
    const auto* reg = static_cast<const fdt32_t*>(fdt_getprop(blob_, node, "reg", &length));
    if (reg != nullptr && address_cells >= 1 && address_cells <= 2 && size_cells >= 0 && size_cells <= 2 &&
        length >= static_cast<int>(sizeof(fdt32_t)) * (address_cells + size_cells)) {
        device.address = read_cells(reg, address_cells);
        device.size = read_cells(reg + address_cells, size_cells);
        device.has_reg = true;
    }
    const auto* interrupts = static_cast<const fdt32_t*>(fdt_getprop(blob_, node, "interrupts", &length));
    if (interrupts != nullptr && length >= static_cast<int>(sizeof(fdt32_t)))
        device.interrupt = static_cast<u32>(fdt32_to_cpu(interrupts[0]));
    return device;
}

bool has_boot_option(kstd::StringView command_line, kstd::StringView option) {
    while (!command_line.empty()) {
        usize space = command_line.find(' ');
        kstd::StringView word = command_line.substr(0, space);
        command_line = command_line.substr(space == command_line.size() ? space : space + 1);
        if (word.empty()) continue;
        kstd::StringView name = word.substr(0, word.find('='));
        if (word == option || name == option) return true;
    }
    return false;
}

} // namespace tessera::user
