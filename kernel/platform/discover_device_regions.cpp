// The device regions: every register range of an enabled device node, page-rounded, that
// user space may reach as device Untyped memory. Left out are RAM, the devices that the
// kernel or the firmware drive themselves (interrupt controllers, the CLINT and ACLINT
// timers and software interrupts, the power-off/reset device), and QEMU's firmware
// configuration interface: a frame over those would let a task undermine the kernel. The
// console UART stays in: the firmware prints through it only until the user-level UART
// driver takes it over. Devices that can do DMA (virtio, PCI) are trusted like the
// drivers that hold them: there is no IOMMU to confine them.
#include <kstd/bit.hpp>
#include <libfdt.h>
#include <memory/address.hpp>
#include <platform/discover_parts.hpp>

namespace tessera {

namespace {

constexpr const char* kPrivilegedCompatibles[] = {
    "riscv,plic0",        "sifive,plic-1.0.0",  "riscv,clint0",        "sifive,clint0",
    "riscv,aclint-mswi",  "riscv,aclint-sswi",  "riscv,aclint-mtimer", "riscv,aplic",
    "riscv,imsics",       "sifive,test0",       "sifive,test1",        "syscon",
    "qemu,fw-cfg-mmio",
};

bool is_privileged_device(const void* blob, int node) {
    for (const char* compatible : kPrivilegedCompatibles)
        if (fdt_node_check_compatible(blob, node, compatible) == 0) return true;
    return false;
}

// Nodes whose `reg` is not device registers: RAM, CPUs, reservations, and their children.
bool is_outside_devices(const FdtReader& reader, int node) {
    for (int current = node; current > 0; current = fdt_parent_offset(reader.blob(), current)) {
        kstd::StringView name = reader.node_name(current);
        if (name.starts_with("memory") || name == "cpus" || name == "reserved-memory" || name == "chosen")
            return true;
    }
    return false;
}

} // namespace

kstd::Result<void, DiscoveryError> discover_device_regions(const FdtReader& reader, PlatformInfo& out) {
    const void* blob = reader.blob();
    for (int node = fdt_next_node(blob, 0, nullptr); node >= 0; node = fdt_next_node(blob, node, nullptr)) {
        if (reader.is_disabled(node) || !reader.property(node, "reg")) continue;
        if (is_outside_devices(reader, node) || is_privileged_device(blob, node)) continue;
        // A device whose registers do not decode (or do not translate through its bus) is
        // left out rather than stopping the boot: the kernel itself does not need it.
        RegEntry entries[8];
        auto decoded = reader.reg(node, kstd::Span<RegEntry>(entries));
        if (!decoded) continue;
        usize count = decoded.value();
        for (usize i = 0; i < count; ++i) {
            if (entries[i].size == 0) continue;
            u64 base = kstd::align_down(entries[i].address, kPageSize);
            u64 end = entries[i].address + entries[i].size;
            if (end < entries[i].address || end > ~u64{0} - kPageSize)
                return kstd::fail(reader.error_at(node, "register range {} + {} overflows", kstd::Hex{entries[i].address, 1},
                                                  kstd::Hex{entries[i].size, 1}));
            PhysRange range{base, kstd::align_up(end, kPageSize)};
            bool overlaps_ram = false;
            for (const PhysRange& ram : out.memory) overlaps_ram = overlaps_ram || ram.overlaps(range);
            if (overlaps_ram) continue;
            if (!out.device_regions.add(range))
                return kstd::fail(reader.error_at(node, "more than {} separate device regions", RegionSet::kCapacity));
        }
    }
    // A privileged device sharing a page with an ordinary one must not leak through it.
    for (int node = fdt_next_node(blob, 0, nullptr); node >= 0; node = fdt_next_node(blob, node, nullptr)) {
        if (!is_privileged_device(blob, node) || !reader.property(node, "reg")) continue;
        RegEntry entries[8];
        usize count = TRY(reader.reg(node, kstd::Span<RegEntry>(entries)));
        for (usize i = 0; i < count; ++i) {
            PhysRange range{kstd::align_down(entries[i].address, kPageSize),
                            kstd::align_up(entries[i].address + entries[i].size, kPageSize)};
            if (!out.device_regions.remove(range))
                return kstd::fail(reader.error_at(node, "more than {} separate device regions", RegionSet::kCapacity));
        }
    }
    return {};
}

} // namespace tessera
