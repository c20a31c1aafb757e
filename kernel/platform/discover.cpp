// Discovery entry point: validates the blob, then memory, reservations and /chosen.
// Harts live in discover_cpus.cpp, devices in discover_devices.cpp.
#include <libfdt.h>
#include <platform/discover_parts.hpp>

namespace tessera {

namespace {

// libfdt's accessors are bounds-checked, but a blob whose structure block is cut short or
// scrambled would surface as scattered "not found" results. One walk over every node and
// property up front turns such damage into one precise message.
kstd::Result<void, DiscoveryError> check_structure(const FdtReader& reader) {
    const void* blob = reader.blob();
    int depth = 0;
    int node = 0;
    int after_root_tag = 0;
    if (fdt_next_tag(blob, 0, &after_root_tag) != FDT_BEGIN_NODE)
        return kstd::fail(reader.error_at(-1, "the structure block does not start with the root node"));
    // fdt_next_node() leaves the root with depth -1; a negative offset is an error or the end.
    while (node >= 0 && depth >= 0) {
        int property = fdt_first_property_offset(blob, node);
        while (property >= 0) {
            int length = 0;
            const char* name = nullptr;
            if (fdt_getprop_by_offset(blob, property, &name, &length) == nullptr)
                return kstd::fail(reader.error_at(node, "property at offset {} is corrupt ({}): damaged blob?",
                                                  property, fdt_strerror(length)));
            property = fdt_next_property_offset(blob, property);
        }
        if (property != -FDT_ERR_NOTFOUND)
            return kstd::fail(reader.error_at(node, "the structure block is cut short or corrupt inside this node "
                                                    "({}): truncated blob?",
                                              fdt_strerror(property)));
        node = fdt_next_node(blob, node, &depth);
    }
    if (node < 0 && node != -FDT_ERR_NOTFOUND)
        return kstd::fail(reader.error_at(-1, "structure block is truncated or corrupt ({})", fdt_strerror(node)));
    // The walk stops where the root node closes; only NOPs and the end tag may follow. Nodes
    // after a stray END_NODE would be skipped here yet found by libfdt's searches, and
    // fdt_get_path() on one of them runs backwards off the caller's buffer.
    if (node >= 0) {
        int next = node;
        u32 tag = 0;
        do tag = fdt_next_tag(blob, next, &next);
        while (tag == FDT_NOP && next >= 0);
        if (tag != FDT_END || next < 0)
            return kstd::fail(reader.error_at(-1, "the root node ends at structure offset {}, before the "
                                                  "structure block does: corrupt blob?",
                                              node));
    }
    return {};
}

kstd::Result<void, DiscoveryError> add_reserved(const FdtReader& reader, PlatformInfo& out, ReservedRange range) {
    if (!out.reserved.push_back(range))
        return kstd::fail(reader.error_at(-1, "more than {} reserved ranges", kMaxReservedRanges));
    return {};
}

kstd::Result<void, DiscoveryError> discover_memory(const FdtReader& reader, PlatformInfo& out) {
    const void* blob = reader.blob();
    usize memory_nodes = 0;
    for (int node = fdt_node_offset_by_prop_value(blob, -1, "device_type", "memory", sizeof("memory"));
         node >= 0; node = fdt_node_offset_by_prop_value(blob, node, "device_type", "memory", sizeof("memory"))) {
        if (reader.is_disabled(node)) continue;
        ++memory_nodes;
        RegEntry entries[kMaxMemoryRanges];
        usize count = TRY(reader.reg(node, kstd::Span<RegEntry>(entries)));
        for (usize i = 0; i < count; ++i) {
            if (entries[i].size == 0) continue;
            if (!out.memory.push_back(PhysRange::from_size(entries[i].address, entries[i].size)))
                return kstd::fail(reader.error_at(node, "more than {} memory ranges", kMaxMemoryRanges));
        }
    }
    if (memory_nodes == 0)
        return kstd::fail(reader.error_at(-1, "no memory node (a node with device_type = \"memory\")"));
    if (out.memory.empty()) return kstd::fail(reader.error_at(-1, "the memory nodes describe no RAM (every size is 0)"));
    for (usize i = 0; i < out.memory.size(); ++i)
        for (usize j = i + 1; j < out.memory.size(); ++j)
            if (out.memory[i].overlaps(out.memory[j]))
                return kstd::fail(reader.error_at(-1, "memory ranges {} and {} overlap", out.memory[i], out.memory[j]));
    return {};
}

kstd::Result<void, DiscoveryError> discover_reserved(const FdtReader& reader, PlatformInfo& out) {
    const void* blob = reader.blob();
    int count = fdt_num_mem_rsv(blob);
    if (count < 0) return kstd::fail(reader.error_at(-1, "memory reservation block: {}", fdt_strerror(count)));
    for (int i = 0; i < count; ++i) {
        u64 address = 0, size = 0;
        int err = fdt_get_mem_rsv(blob, i, &address, &size);
        if (err < 0) return kstd::fail(reader.error_at(-1, "memory reservation {}: {}", i, fdt_strerror(err)));
        if (size == 0) continue;
        TRY(add_reserved(reader, out, {PhysRange::from_size(address, size), ReservedKind::MemReserveBlock, {}}));
    }

    int parent = fdt_path_offset(blob, "/reserved-memory");
    if (parent < 0) return {};
    int child = 0;
    fdt_for_each_subnode(child, blob, parent) {
        if (reader.is_disabled(child)) continue;
        // A child without `reg` asks the OS to allocate a region later; nothing is fixed yet.
        if (!reader.property(child, "reg")) continue;
        RegEntry entries[8];
        usize entry_count = TRY(reader.reg(child, kstd::Span<RegEntry>(entries)));
        for (usize i = 0; i < entry_count; ++i) {
            if (entries[i].size == 0) continue;
            TRY(add_reserved(reader, out,
                             {PhysRange::from_size(entries[i].address, entries[i].size),
                              ReservedKind::ReservedMemoryNode, reader.node_name(child)}));
        }
    }
    return {};
}

kstd::Result<void, DiscoveryError> discover_chosen(const FdtReader& reader, PlatformInfo& out) {
    int chosen = fdt_path_offset(reader.blob(), "/chosen");
    if (chosen < 0) return {};
    auto bootargs = TRY(reader.string_property(chosen, "bootargs"));
    out.bootargs = bootargs.value_or(kstd::StringView());

    auto start = TRY(reader.number_property(chosen, "linux,initrd-start"));
    auto end = TRY(reader.number_property(chosen, "linux,initrd-end"));
    if (start.has_value() != end.has_value())
        return kstd::fail(reader.error_at(chosen, "has only one of linux,initrd-start and linux,initrd-end"));
    if (start && *end < *start)
        return kstd::fail(reader.error_at(chosen, "initrd ends ({}) before it starts ({})", kstd::Hex{*end, 1},
                                          kstd::Hex{*start, 1}));
    if (start && *end > *start) {
        out.initrd = PhysRange{*start, *end};
        TRY(add_reserved(reader, out, {*out.initrd, ReservedKind::Initrd, {}}));
    }
    return {};
}

} // namespace

kstd::Result<void, DiscoveryError> discover_platform(const void* blob, u64 blob_physical, u64 available_bytes,
                                                     PlatformInfo& out) {
    FdtReader reader(blob);
    out = PlatformInfo{};
    if (available_bytes < sizeof(fdt_header))
        return kstd::fail(reader.error_at(-1, "blob of {} bytes is smaller than its header", available_bytes));
    int header = fdt_check_header(blob);
    if (header != 0)
        return kstd::fail(reader.error_at(-1, "bad header at {}: {}", kstd::Hex{blob_physical, 1}, fdt_strerror(header)));
    u64 total = fdt_totalsize(blob);
    if (total > available_bytes || total > kMaxDeviceTreeBytes)
        return kstd::fail(reader.error_at(-1, "header claims {} bytes, but at most {} are available (truncated blob?)",
                                          total, kstd::min(available_bytes, kMaxDeviceTreeBytes)));
    TRY(check_structure(reader));

    out.device_tree = PhysRange::from_size(blob_physical, total);
    auto model = TRY(reader.string_property(0, "model"));
    out.model = model.value_or(kstd::StringView("unknown"));

    TRY(discover_memory(reader, out));
    TRY(add_reserved(reader, out, {out.device_tree, ReservedKind::DeviceTree, {}}));
    TRY(discover_reserved(reader, out));
    TRY(discover_chosen(reader, out));
    TRY(discover_harts(reader, out));
    TRY(discover_interrupt_controller(reader, out));
    TRY(discover_console(reader, out));
    TRY(discover_device_interrupts(reader, out));
    TRY(discover_device_regions(reader, out));
    return {};
}

} // namespace tessera
