// Discovery on trees edited with libfdt to carry what QEMU's own trees lack: an initrd,
// /memreserve/ entries, /reserved-memory, disabled harts, ISA variants, aliases, bus address
// translation. Each must be picked up exactly as the tree says.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <libfdt.h>

#include "catch_printers.hpp"
#include "fdt_blob.hpp"

using Catch::Matchers::Contains;
using tessera::PhysRange;
using tessera::ReservedKind;
using namespace tessera_test;

TEST_CASE("tree with timebase-frequency per cpu instead of in /cpus") {
    Blob blob = base_tree();
    remove_prop(blob, "/cpus", "timebase-frequency");
    set_prop(blob, "/cpus/cpu@0", "timebase-frequency", cells({0, 12345678}));
    set_prop(blob, "/cpus/cpu@1", "timebase-frequency", cells({12345678}));
    CHECK(discovery_success(blob).platform->timebase_hz == 12345678);
    set_prop(blob, "/cpus/cpu@1", "timebase-frequency", cells({1000}));
    CHECK_THAT(discovery_failure(blob), Contains("/cpus/cpu@1") && Contains("differs"));
}

TEST_CASE("tree with an initrd reserves it and reports it") {
    Blob blob = base_tree();
    set_prop(blob, "/chosen", "linux,initrd-start", cells({0, 0x84000000})); // 64-bit form
    set_prop(blob, "/chosen", "linux,initrd-end", cells({0x84123456}));      // 32-bit form
    auto discovery = discovery_success(blob);
    const auto& platform = *discovery.platform;
    REQUIRE(platform.initrd.has_value());
    CHECK(*platform.initrd == PhysRange{0x84000000, 0x84123456});
    bool reserved = false;
    for (const auto& range : platform.reserved)
        reserved |= range.kind == ReservedKind::Initrd && range.range == PhysRange{0x84000000, 0x84123456};
    CHECK(reserved);
}

TEST_CASE("tree with an empty initrd (start == end) has none") {
    Blob blob = base_tree();
    set_prop(blob, "/chosen", "linux,initrd-start", cells({0x84000000}));
    set_prop(blob, "/chosen", "linux,initrd-end", cells({0x84000000}));
    auto discovery = discovery_success(blob);
    CHECK_FALSE(discovery.platform->initrd.has_value());
    for (const auto& range : discovery.platform->reserved) CHECK(range.kind != ReservedKind::Initrd);
}

TEST_CASE("tree with /memreserve/ entries reserves them") {
    Blob blob = base_tree();
    fdt_ok(fdt_add_mem_rsv(blob.data(), 0x80100000, 0x2000));
    fdt_ok(fdt_add_mem_rsv(blob.data(), 0x90000000, 0x10));
    auto discovery = discovery_success(blob);
    std::vector<PhysRange> found;
    for (const auto& range : discovery.platform->reserved)
        if (range.kind == ReservedKind::MemReserveBlock) found.push_back(range.range);
    CHECK(found == std::vector<PhysRange>{{0x80100000, 0x80102000}, {0x90000000, 0x90000010}});
}

TEST_CASE("tree with /reserved-memory: children with reg are reserved, others ignored") {
    Blob blob = base_tree();
    int parent = fdt_add_subnode(blob.data(), 0, "reserved-memory");
    fdt_ok(parent);
    fdt_ok(fdt_setprop_u32(blob.data(), parent, "#address-cells", 2));
    fdt_ok(fdt_setprop_u32(blob.data(), parent, "#size-cells", 2));
    fdt_ok(fdt_setprop(blob.data(), parent, "ranges", nullptr, 0));
    Blob firmware_reg = cells({0, 0x80000000, 0, 0x40000});
    int firmware = fdt_add_subnode(blob.data(), parent, "mmode_resources0@80000000");
    fdt_ok(firmware);
    fdt_ok(fdt_setprop(blob.data(), firmware, "reg", firmware_reg.data(), static_cast<int>(firmware_reg.size())));
    // A dynamic reservation (size only) is allocated by the OS later: nothing fixed yet.
    int dynamic = fdt_add_subnode(blob.data(), node_at(blob, "/reserved-memory"), "dynamic-pool");
    fdt_ok(dynamic);
    fdt_ok(fdt_setprop_u64(blob.data(), dynamic, "size", 0x100000));
    // A disabled child is ignored even with a reg.
    Blob off_reg = cells({0, 0x88000000, 0, 0x1000});
    int off = fdt_add_subnode(blob.data(), node_at(blob, "/reserved-memory"), "off@88000000");
    fdt_ok(off);
    fdt_ok(fdt_setprop(blob.data(), off, "reg", off_reg.data(), static_cast<int>(off_reg.size())));
    fdt_ok(fdt_setprop_string(blob.data(), off, "status", "disabled"));

    auto discovery = discovery_success(blob);
    std::vector<std::pair<PhysRange, std::string>> found;
    for (const auto& range : discovery.platform->reserved)
        if (range.kind == ReservedKind::ReservedMemoryNode)
            found.push_back({range.range, std::string(range.name.data(), range.name.size())});
    REQUIRE(found.size() == 1);
    CHECK(found[0].first == PhysRange{0x80000000, 0x80040000});
    CHECK(found[0].second == "mmode_resources0@80000000");
}

TEST_CASE("tree with a disabled cpu counts it and leaves it out") {
    Blob blob = base_tree();
    set_string_prop(blob, "/cpus/cpu@1", "status", "disabled");
    auto discovery = discovery_success(blob);
    REQUIRE(discovery.platform->harts.size() == 1);
    CHECK(discovery.platform->harts[0].hart_id == 0);
    CHECK(discovery.platform->disabled_harts == 1);
}

TEST_CASE("tree riscv,isa and riscv,isa-extensions decide has_sstc") {
    struct Case {
        const char* isa;
        bool sstc;
    };
    for (Case c : {Case{"rv64imac_zicsr_sstc", true}, Case{"rv64imac_sstc_zicsr", true}, Case{"rv64imac", false},
                   Case{"rv64imac_zicsr", false}, Case{"rv64imac_zsstc", false}, Case{"rv64imac_sstcx", false},
                   Case{"rv64imacsstc", false}}) {
        INFO("riscv,isa = " << c.isa);
        Blob blob = base_tree();
        set_string_prop(blob, "/cpus/cpu@0", "riscv,isa", c.isa);
        CHECK(discovery_success(blob).platform->harts[0].has_sstc == c.sstc);
    }
    Blob list = base_tree();
    set_string_prop(list, "/cpus/cpu@0", "riscv,isa", "rv64imac");
    const char extensions[] = "i\0m\0a\0c\0sstc";
    set_prop(list, "/cpus/cpu@0", "riscv,isa-extensions", Blob(extensions, extensions + sizeof(extensions)));
    CHECK(discovery_success(list).platform->harts[0].has_sstc);
    // An ISA string without its NUL is ignored rather than read past its end.
    Blob unterminated = base_tree();
    set_prop(unterminated, "/cpus/cpu@0", "riscv,isa", Blob{'r', 'v', '_', 's', 's', 't', 'c'});
    CHECK_FALSE(discovery_success(unterminated).platform->harts[0].has_sstc);
}

TEST_CASE("tree stdout-path with options or through an alias finds the console") {
    Blob options = base_tree();
    set_string_prop(options, "/chosen", "stdout-path", "/soc/serial@10000000:115200n8");
    auto with_options = discovery_success(options);
    REQUIRE(with_options.platform->console.has_value());
    CHECK(with_options.platform->console->registers.base == 0x10000000);

    Blob alias = base_tree();
    int aliases = fdt_add_subnode(alias.data(), 0, "aliases");
    fdt_ok(aliases);
    fdt_ok(fdt_setprop_string(alias.data(), aliases, "serial0", "/soc/serial@10000000"));
    set_string_prop(alias, "/chosen", "stdout-path", "serial0:115200n8");
    auto through_alias = discovery_success(alias);
    REQUIRE(through_alias.platform->console.has_value());
    CHECK(through_alias.platform->console->registers.base == 0x10000000);
    CHECK(through_alias.platform->console->interrupt.has_value());
}

TEST_CASE("tree without stdout-path or /chosen has no console and no bootargs") {
    Blob blob = base_tree();
    fdt_ok(fdt_del_node(blob.data(), node_at(blob, "/chosen")));
    auto discovery = discovery_success(blob);
    CHECK_FALSE(discovery.platform->console.has_value());
    CHECK(discovery.platform->bootargs.empty());
}

TEST_CASE("tree bootargs come from /chosen/bootargs") {
    Blob blob = base_tree();
    set_string_prop(blob, "/chosen", "bootargs", "selftest panic-test=none");
    auto discovery = discovery_success(blob);
    const auto& bootargs = discovery.platform->bootargs;
    CHECK(std::string(bootargs.data(), bootargs.size()) == "selftest panic-test=none");
    Blob broken = base_tree();
    set_prop(broken, "/chosen", "bootargs", Blob{'a', 'b'});
    CHECK_THAT(discovery_failure(broken), Contains("'bootargs' is not a NUL-terminated string"));
}

TEST_CASE("tree device lines: several per node, a declared cell count, and what is left out") {
    Blob blob = base_tree();
    const std::uint32_t plic = static_cast<std::uint32_t>(fdt_get_phandle(blob.data(), plic_node(blob)));
    // Several interrupts in one node; one beyond the PLIC's 96 sources is left out.
    set_prop(blob, "/soc/rtc@101000", "interrupts", cells({20, 21, 97}));
    // A disabled device's line is no device's.
    set_string_prop(blob, "/soc/virtio_mmio@10008000", "status", "disabled");
    // A property that does not decode leaves that device out, not the boot.
    set_prop(blob, "/soc/virtio_mmio@10007000", "interrupts", Blob{0, 0, 7});
    // A line of another interrupt controller (here: a hart's) is no PLIC line.
    set_prop(blob, "/soc/virtio_mmio@10006000", "interrupt-parent", cells({plic + 1000}));
    auto discovery = discovery_success(blob);
    const auto& lines = discovery.platform->plic.device_lines;
    std::vector<std::uint32_t> found;
    for (std::uint32_t line = 0; line < tessera::InterruptLineSet::kLineLimit; ++line)
        if (lines.contains(line)) found.push_back(line);
    CHECK(found == std::vector<std::uint32_t>{1, 2, 3, 4, 5, 10, 20, 21});

    // Two cells per interrupt: the line is each entry's first cell.
    Blob two_cells = base_tree();
    set_prop(two_cells, "/soc/plic@c000000", "#interrupt-cells", cells({2}));
    set_prop(two_cells, "/soc/rtc@101000", "interrupts", cells({30, 4, 31, 4}));
    set_prop(two_cells, "/soc/serial@10000000", "interrupts", cells({10}));
    auto wide = discovery_success(two_cells);
    CHECK(wide.platform->plic.device_lines.contains(30));
    CHECK(wide.platform->plic.device_lines.contains(31));
    CHECK_FALSE(wide.platform->plic.device_lines.contains(4));
    CHECK_FALSE(wide.platform->plic.device_lines.contains(1)); // virtio's one cell does not decode
    Blob broken = base_tree();
    set_prop(broken, "/soc/plic@c000000", "#interrupt-cells", cells({0}));
    CHECK_THAT(discovery_failure(broken), Contains("#interrupt-cells is 0"));
}

TEST_CASE("tree with a translating bus: device addresses go through the parent's ranges") {
    // /soc's children at bus address 0 appear at 0x40000000 to the CPU.
    Blob blob = base_tree();
    set_prop(blob, "/soc", "ranges", cells({0, 0, 0, 0x40000000, 0, 0x20000000}));
    auto discovery = discovery_success(blob);
    const auto& platform = *discovery.platform;
    REQUIRE(platform.console.has_value());
    CHECK(platform.console->registers == PhysRange{0x50000000, 0x50000100});
    CHECK(platform.plic.registers.base == 0x4c000000);
}

TEST_CASE("tree with several memory nodes and ranges, zero-sized ones skipped") {
    Blob blob = base_tree();
    set_prop(blob, "/memory@80000000", "reg", cells({0, 0x80000000, 0, 0x10000000, 0, 0xa0000000, 0, 0}));
    int second = fdt_add_subnode(blob.data(), 0, "memory@100000000");
    fdt_ok(second);
    fdt_ok(fdt_setprop_string(blob.data(), second, "device_type", "memory"));
    Blob reg = cells({1, 0, 0, 0x20000000});
    fdt_ok(fdt_setprop(blob.data(), second, "reg", reg.data(), static_cast<int>(reg.size())));
    int off = fdt_add_subnode(blob.data(), 0, "memory@200000000");
    fdt_ok(off);
    fdt_ok(fdt_setprop_string(blob.data(), off, "device_type", "memory"));
    fdt_ok(fdt_setprop_string(blob.data(), off, "status", "disabled"));
    Blob off_reg = cells({2, 0, 0, 0x1000});
    fdt_ok(fdt_setprop(blob.data(), off, "reg", off_reg.data(), static_cast<int>(off_reg.size())));

    auto discovery = discovery_success(blob);
    const auto& memory = discovery.platform->memory;
    // In tree order, which fdt_add_subnode decides; the set of ranges is what matters.
    std::vector<PhysRange> found(memory.begin(), memory.end());
    std::sort(found.begin(), found.end(), [](PhysRange a, PhysRange b) { return a.base < b.base; });
    CHECK(found ==
          std::vector<PhysRange>{{0x80000000, 0x90000000}, {0x100000000, 0x120000000}});
    CHECK(discovery.platform->memory_bytes() == 0x30000000);
}
