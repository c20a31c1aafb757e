// Discovery on the device trees QEMU's virt machine really produces (dumped at build time in
// several configurations, see meson.build). Every fact discover_platform reports is
// recomputed here independently with plain libfdt calls, and checked against what the QEMU
// command line fixed (-smp, -m, -append, -initrd).
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <libfdt.h>

#include "catch_printers.hpp"
#include "fdt_blob.hpp"

using tessera::InterruptControllerKind;
using tessera::PhysRange;
using tessera::ReservedKind;
using tessera_test::QemuDtb;
using tessera_test::read_cells;

namespace {

std::string to_string(kstd::StringView view) { return std::string(view.data(), view.size()); }

// A string property, or nullopt when absent.
std::optional<std::string> string_prop(const void* fdt, int node, const char* name) {
    int length = 0;
    const char* value = static_cast<const char*>(fdt_getprop(fdt, node, name, &length));
    if (value == nullptr) return std::nullopt;
    REQUIRE(length > 0);
    REQUIRE(value[length - 1] == '\0');
    return std::string(value);
}

// A one- or two-cell number property, or nullopt when absent.
std::optional<std::uint64_t> number_prop(const void* fdt, int node, const char* name) {
    int length = 0;
    const void* value = fdt_getprop(fdt, node, name, &length);
    if (value == nullptr) return std::nullopt;
    REQUIRE((length == 4 || length == 8));
    return read_cells(value, length / 4);
}

// `reg` decoded with libfdt's own cell-count helpers. The QEMU trees map every bus one to
// one (`ranges;`), which this checks instead of translating.
std::vector<PhysRange> reg_of(const void* fdt, int node) {
    int parent = fdt_parent_offset(fdt, node);
    REQUIRE(parent >= 0);
    for (int bus = parent; bus > 0; bus = fdt_parent_offset(fdt, bus)) {
        int length = -1;
        REQUIRE(fdt_getprop(fdt, bus, "ranges", &length) != nullptr);
        REQUIRE(length == 0);
    }
    int address_cells = fdt_address_cells(fdt, parent), size_cells = fdt_size_cells(fdt, parent);
    int length = 0;
    const auto* reg = static_cast<const std::uint8_t*>(fdt_getprop(fdt, node, "reg", &length));
    REQUIRE(reg != nullptr);
    int entry = 4 * (address_cells + size_cells);
    REQUIRE(length % entry == 0);
    std::vector<PhysRange> ranges;
    for (int offset = 0; offset < length; offset += entry) {
        std::uint64_t base = read_cells(reg + offset, address_cells);
        std::uint64_t size = read_cells(reg + offset + 4 * address_cells, size_cells);
        ranges.push_back({base, base + size});
    }
    return ranges;
}

bool is_okay(const void* fdt, int node) {
    auto status = string_prop(fdt, node, "status");
    return !status || *status == "okay" || *status == "ok";
}

struct ExpectedHart {
    std::uint64_t id = 0;
    std::uint32_t intc_phandle = 0;
    bool sstc = false;
    std::optional<std::uint32_t> context;
};

struct Expected {
    std::string model;
    std::vector<PhysRange> memory;
    std::vector<ExpectedHart> harts;
    std::size_t disabled_harts = 0;
    std::uint64_t timebase = 0;
    std::optional<int> plic;
    PhysRange plic_registers;
    std::uint32_t plic_sources = 0, plic_phandle = 0, plic_contexts = 0;
    bool aplic = false;
    std::optional<std::string> console_path;
    std::string console_compatible;
    PhysRange console_registers;
    std::optional<std::uint32_t> console_irq;
    std::set<std::uint32_t> device_lines; // `interrupts` of okay nodes whose parent is the PLIC
    std::string bootargs;
    std::optional<PhysRange> initrd;
    std::vector<PhysRange> memreserve;
};

Expected expected_from_libfdt(const void* fdt) {
    Expected e;
    e.model = string_prop(fdt, 0, "model").value_or("unknown");

    for (int node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", sizeof("memory")); node >= 0;
         node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory", sizeof("memory")))
        if (is_okay(fdt, node))
            for (PhysRange range : reg_of(fdt, node))
                if (!range.empty()) e.memory.push_back(range);

    int cpus = fdt_path_offset(fdt, "/cpus");
    REQUIRE(cpus >= 0);
    e.timebase = number_prop(fdt, cpus, "timebase-frequency").value_or(0);
    int cpu = 0;
    fdt_for_each_subnode(cpu, fdt, cpus) {
        if (string_prop(fdt, cpu, "device_type") != "cpu") continue;
        if (!is_okay(fdt, cpu)) {
            ++e.disabled_harts;
            continue;
        }
        ExpectedHart hart;
        int length = 0;
        const void* reg = fdt_getprop(fdt, cpu, "reg", &length);
        REQUIRE(length == 4 * fdt_address_cells(fdt, cpus));
        hart.id = read_cells(reg, length / 4);
        hart.sstc = string_prop(fdt, cpu, "riscv,isa").value_or("").find("_sstc") != std::string::npos;
        int child = 0;
        fdt_for_each_subnode(child, fdt, cpu) if (fdt_node_check_compatible(fdt, child, "riscv,cpu-intc") == 0)
            hart.intc_phandle = fdt_get_phandle(fdt, child);
        e.harts.push_back(hart);
    }

    int plic = fdt_node_offset_by_compatible(fdt, -1, "riscv,plic0");
    if (plic >= 0) {
        e.plic = plic;
        auto registers = reg_of(fdt, plic);
        REQUIRE(registers.size() == 1);
        e.plic_registers = registers[0];
        e.plic_sources = static_cast<std::uint32_t>(number_prop(fdt, plic, "riscv,ndev").value_or(0));
        e.plic_phandle = fdt_get_phandle(fdt, plic);
        int length = 0;
        const auto* pairs = static_cast<const std::uint8_t*>(fdt_getprop(fdt, plic, "interrupts-extended", &length));
        REQUIRE(pairs != nullptr);
        e.plic_contexts = static_cast<std::uint32_t>(length / 8);
        // Context n is the n-th (controller, cause) pair; a hart's S-mode one has cause 9.
        for (ExpectedHart& hart : e.harts)
            for (std::uint32_t n = 0; n < e.plic_contexts; ++n)
                if (read_cells(pairs + 8 * n, 1) == hart.intc_phandle && read_cells(pairs + 8 * n + 4, 1) == 9)
                    hart.context = n;
    }
    e.aplic = fdt_node_offset_by_compatible(fdt, -1, "riscv,aplic") >= 0;

    if (e.plic) {
        for (int node = fdt_next_node(fdt, 0, nullptr); node >= 0; node = fdt_next_node(fdt, node, nullptr)) {
            int length = 0;
            const auto* lines = static_cast<const std::uint8_t*>(fdt_getprop(fdt, node, "interrupts", &length));
            if (lines == nullptr || !is_okay(fdt, node)) continue;
            std::optional<std::uint64_t> parent;
            for (int up = node; up >= 0 && !parent; up = fdt_parent_offset(fdt, up))
                parent = number_prop(fdt, up, "interrupt-parent");
            if (!parent || *parent != e.plic_phandle) continue;
            for (int offset = 0; offset < length; offset += 4)
                e.device_lines.insert(static_cast<std::uint32_t>(read_cells(lines + offset, 1)));
        }
    }

    int chosen = fdt_path_offset(fdt, "/chosen");
    if (chosen >= 0) {
        e.bootargs = string_prop(fdt, chosen, "bootargs").value_or("");
        auto start = number_prop(fdt, chosen, "linux,initrd-start");
        auto end = number_prop(fdt, chosen, "linux,initrd-end");
        if (start && end && *end > *start) e.initrd = PhysRange{*start, *end};
        if (auto stdout_path = string_prop(fdt, chosen, "stdout-path")) {
            std::string path = stdout_path->substr(0, stdout_path->find(':'));
            int uart = fdt_path_offset(fdt, path.c_str());
            REQUIRE(uart >= 0);
            e.console_path = path;
            e.console_compatible = string_prop(fdt, uart, "compatible").value_or("unknown");
            e.console_registers = reg_of(fdt, uart).at(0);
            auto line = number_prop(fdt, uart, "interrupts");
            std::optional<std::uint64_t> parent;
            for (int node = uart; node >= 0 && !parent; node = fdt_parent_offset(fdt, node))
                parent = number_prop(fdt, node, "interrupt-parent");
            if (line && parent && e.plic && *parent == e.plic_phandle) e.console_irq = static_cast<std::uint32_t>(*line);
        }
    }

    for (int i = 0; i < fdt_num_mem_rsv(fdt); ++i) {
        std::uint64_t address = 0, size = 0;
        REQUIRE(fdt_get_mem_rsv(fdt, i, &address, &size) == 0);
        if (size != 0) e.memreserve.push_back({address, address + size});
    }
    return e;
}

// Runs discovery on one dump and requires success; the message says which dump failed.
tessera_test::Discovery discover_ok(const QemuDtb& dtb) {
    auto discovery = tessera_test::discover(dtb.file);
    INFO("dtb " << dtb.name << ": " << discovery.error);
    REQUIRE(discovery.ok);
    return discovery;
}

} // namespace

TEST_CASE("QEMU trees: every configuration was dumped and given to the test") {
    std::set<std::string> names;
    for (const QemuDtb& dtb : tessera_test::qemu_dtbs()) names.insert(dtb.name);
    for (const char* required : {"smp1-128m", "smp2-512m", "smp4-2g", "smp8-3g", "aia-smp2-512m", "initrd-smp2-256m"}) {
        INFO("missing --dtb for " << required);
        CHECK(names.count(required) == 1);
    }
}

TEST_CASE("QEMU trees: memory matches libfdt and the -m size") {
    for (const QemuDtb& dtb : tessera_test::qemu_dtbs()) {
        INFO("dtb " << dtb.name);
        auto discovery = discover_ok(dtb);
        Expected expected = expected_from_libfdt(dtb.file.data());
        const auto& platform = *discovery.platform;
        CHECK(std::vector<PhysRange>(platform.memory.begin(), platform.memory.end()) == expected.memory);
        CHECK(platform.memory_bytes() == dtb.memory_bytes);
    }
}

TEST_CASE("QEMU trees: harts, hart ids and timebase match libfdt and -smp") {
    for (const QemuDtb& dtb : tessera_test::qemu_dtbs()) {
        INFO("dtb " << dtb.name);
        auto discovery = discover_ok(dtb);
        Expected expected = expected_from_libfdt(dtb.file.data());
        const auto& platform = *discovery.platform;
        REQUIRE(platform.harts.size() == expected.harts.size());
        CHECK(platform.harts.size() == dtb.harts);
        CHECK(platform.disabled_harts == expected.disabled_harts);
        for (std::size_t i = 0; i < expected.harts.size(); ++i) {
            INFO("hart index " << i);
            CHECK(platform.harts[i].hart_id == expected.harts[i].id);
            CHECK(platform.harts[i].hart_id == i); // QEMU numbers its harts 0..S-1
            CHECK(platform.harts[i].intc_phandle == expected.harts[i].intc_phandle);
            CHECK(platform.harts[i].intc_phandle != 0);
            CHECK(platform.harts[i].has_sstc == expected.harts[i].sstc);
            CHECK(platform.find_hart(i) == &platform.harts[i]);
        }
        CHECK(platform.timebase_hz == expected.timebase);
        CHECK(platform.timebase_hz != 0);
        CHECK(to_string(platform.model) == expected.model);
    }
}

TEST_CASE("QEMU trees: PLIC registers, sources and per-hart S-mode contexts match libfdt") {
    std::size_t checked = 0;
    for (const QemuDtb& dtb : tessera_test::qemu_dtbs()) {
        if (dtb.controller != "plic") continue;
        INFO("dtb " << dtb.name);
        auto discovery = discover_ok(dtb);
        Expected expected = expected_from_libfdt(dtb.file.data());
        const auto& platform = *discovery.platform;
        REQUIRE(expected.plic.has_value());
        CHECK(platform.interrupt_controller == InterruptControllerKind::Plic);
        CHECK(platform.plic.registers == expected.plic_registers);
        CHECK(platform.plic.source_count == expected.plic_sources);
        CHECK(platform.plic.phandle == expected.plic_phandle);
        CHECK(platform.plic.context_count == expected.plic_contexts);
        // QEMU gives each hart an M-mode and an S-mode context.
        CHECK(platform.plic.context_count == 2 * dtb.harts);
        for (std::size_t i = 0; i < expected.harts.size(); ++i) {
            INFO("hart index " << i);
            REQUIRE(expected.harts[i].context.has_value());
            REQUIRE(platform.harts[i].plic_supervisor_context.has_value());
            CHECK(*platform.harts[i].plic_supervisor_context == *expected.harts[i].context);
        }
        ++checked;
    }
    CHECK(checked >= 5);
}

TEST_CASE("QEMU trees: the device lines are the PLIC lines device nodes name, as libfdt finds them") {
    for (const QemuDtb& dtb : tessera_test::qemu_dtbs()) {
        INFO("dtb " << dtb.name);
        auto discovery = discover_ok(dtb);
        Expected expected = expected_from_libfdt(dtb.file.data());
        const auto& lines = discovery.platform->plic.device_lines;
        if (dtb.controller != "plic") {
            CHECK(lines.count() == 0); // the APLIC's lines are no PLIC's
            continue;
        }
        std::set<std::uint32_t> found;
        for (std::uint32_t line = 0; line < tessera::InterruptLineSet::kLineLimit; ++line)
            if (lines.contains(line)) found.insert(line);
        CHECK(found == expected.device_lines);
        // QEMU virt: eight virtio-mmio slots, the UART and the RTC. PCI's INTx lines come
        // through its interrupt-map, which is not read.
        CHECK(found == std::set<std::uint32_t>{1, 2, 3, 4, 5, 6, 7, 8, 10, 11});
    }
}

TEST_CASE("QEMU trees: the AIA configuration reports an APLIC and no PLIC") {
    std::size_t checked = 0;
    for (const QemuDtb& dtb : tessera_test::qemu_dtbs()) {
        if (dtb.controller != "aplic") continue;
        INFO("dtb " << dtb.name);
        auto discovery = discover_ok(dtb);
        Expected expected = expected_from_libfdt(dtb.file.data());
        const auto& platform = *discovery.platform;
        REQUIRE_FALSE(expected.plic.has_value());
        REQUIRE(expected.aplic);
        CHECK(platform.interrupt_controller == InterruptControllerKind::Aplic);
        CHECK(platform.plic.context_count == 0);
        for (const auto& hart : platform.harts) CHECK_FALSE(hart.plic_supervisor_context.has_value());
        // The UART is wired to the APLIC, which the kernel does not drive: no console line.
        REQUIRE(platform.console.has_value());
        CHECK_FALSE(platform.console->interrupt.has_value());
        ++checked;
    }
    CHECK(checked == 1);
}

TEST_CASE("QEMU trees: console from /chosen/stdout-path matches libfdt") {
    for (const QemuDtb& dtb : tessera_test::qemu_dtbs()) {
        INFO("dtb " << dtb.name);
        auto discovery = discover_ok(dtb);
        Expected expected = expected_from_libfdt(dtb.file.data());
        const auto& platform = *discovery.platform;
        REQUIRE(expected.console_path.has_value());
        REQUIRE(platform.console.has_value());
        CHECK(to_string(platform.console->path) == *expected.console_path);
        CHECK(to_string(platform.console->compatible) == expected.console_compatible);
        CHECK(to_string(platform.console->compatible) == "ns16550a");
        CHECK(platform.console->registers == expected.console_registers);
        CHECK(platform.console->interrupt.has_value() == expected.console_irq.has_value());
        if (expected.console_irq) {
            CHECK(*platform.console->interrupt == *expected.console_irq);
            CHECK(*platform.console->interrupt <= platform.plic.source_count);
        }
    }
}

TEST_CASE("QEMU trees: bootargs and initrd match libfdt and the QEMU command line") {
    for (const QemuDtb& dtb : tessera_test::qemu_dtbs()) {
        INFO("dtb " << dtb.name);
        auto discovery = discover_ok(dtb);
        Expected expected = expected_from_libfdt(dtb.file.data());
        const auto& platform = *discovery.platform;
        CHECK(to_string(platform.bootargs) == expected.bootargs);
        CHECK(to_string(platform.bootargs) == (dtb.has_bootargs ? dtb.bootargs : ""));
        CHECK(platform.initrd.has_value() == expected.initrd.has_value());
        CHECK(platform.initrd.has_value() == (dtb.initrd_bytes != 0));
        if (expected.initrd) {
            CHECK(*platform.initrd == *expected.initrd);
            CHECK(platform.initrd->size() == dtb.initrd_bytes);
        }
    }
}

TEST_CASE("QEMU trees: reserved ranges are the blob itself, /memreserve/ entries and the initrd") {
    for (const QemuDtb& dtb : tessera_test::qemu_dtbs()) {
        INFO("dtb " << dtb.name);
        auto discovery = discover_ok(dtb);
        Expected expected = expected_from_libfdt(dtb.file.data());
        const auto& platform = *discovery.platform;
        PhysRange blob{tessera_test::kBlobPhysical, tessera_test::kBlobPhysical + fdt_totalsize(dtb.file.data())};
        CHECK(platform.device_tree == blob);

        std::vector<std::pair<PhysRange, ReservedKind>> wanted{{blob, ReservedKind::DeviceTree}};
        for (PhysRange range : expected.memreserve) wanted.push_back({range, ReservedKind::MemReserveBlock});
        if (expected.initrd) wanted.push_back({*expected.initrd, ReservedKind::Initrd});
        std::vector<std::pair<PhysRange, ReservedKind>> found;
        for (const auto& reserved : platform.reserved) found.push_back({reserved.range, reserved.kind});
        auto by_base = [](const auto& a, const auto& b) { return a.first.base < b.first.base; };
        std::sort(wanted.begin(), wanted.end(), by_base);
        std::sort(found.begin(), found.end(), by_base);
        REQUIRE(found.size() == wanted.size());
        for (std::size_t i = 0; i < found.size(); ++i) {
            CHECK(found[i].first == wanted[i].first);
            CHECK(found[i].second == wanted[i].second);
        }
    }
}

TEST_CASE("QEMU trees: device regions cover every ordinary device and no privileged one") {
    const char* const privileged[] = {"riscv,plic0",         "sifive,plic-1.0.0", "riscv,clint0",
                                      "sifive,clint0",       "riscv,aclint-mswi", "riscv,aclint-sswi",
                                      "riscv,aclint-mtimer", "riscv,aplic",       "riscv,imsics",
                                      "sifive,test0",        "sifive,test1",      "syscon",
                                      "qemu,fw-cfg-mmio"};
    for (const QemuDtb& dtb : tessera_test::qemu_dtbs()) {
        INFO("dtb " << dtb.name);
        auto discovery = discover_ok(dtb);
        const auto& regions = discovery.platform->device_regions;
        const void* fdt = dtb.file.data();
        REQUIRE(!regions.empty());
        for (const PhysRange& range : regions) {
            CHECK(range.base % 4096 == 0);
            CHECK(range.end % 4096 == 0);
            for (const PhysRange& ram : discovery.platform->memory) CHECK(!ram.overlaps(range));
        }
        int soc = fdt_path_offset(fdt, "/soc");
        REQUIRE(soc >= 0);
        std::size_t ordinary = 0;
        int node = 0;
        fdt_for_each_subnode(node, fdt, soc) {
            if (fdt_getprop(fdt, node, "reg", nullptr) == nullptr) continue;
            bool is_privileged = std::any_of(std::begin(privileged), std::end(privileged), [&](const char* c) {
                return fdt_node_check_compatible(fdt, node, c) == 0;
            });
            for (const PhysRange& reg : reg_of(fdt, node)) {
                INFO("node " << fdt_get_name(fdt, node, nullptr));
                if (is_privileged) {
                    CHECK(!regions.intersects(reg));
                } else {
                    CHECK(regions.contains(reg.base));
                    CHECK(regions.contains(reg.end - 1));
                    ++ordinary;
                }
            }
        }
        CHECK(ordinary >= 10); // serial, rtc, 8 virtio-mmio slots, flash, pci
        CHECK(regions.contains(0x10000000));  // the UART
        CHECK(!regions.contains(0x0c000000)); // the PLIC (or the APLIC in the AIA tree)
        CHECK(!regions.contains(0x02000000)); // the CLINT
        CHECK(!regions.contains(0x00100000)); // the reset / power-off device
        CHECK(!regions.contains(0x10100000)); // QEMU's fw-cfg
    }
}
