// Discovery on trees broken with libfdt, starting from QEMU's 2-hart virt tree: every
// malformation the kernel depends on must end in an error that names the problem (the boot
// then stops with that message), never in a fault or in silently wrong facts.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>

#include <libfdt.h>

#include "catch_printers.hpp"
#include "fdt_blob.hpp"

using Catch::Matchers::Contains;
using namespace tessera_test;

namespace {
constexpr const char* kMemory = "/memory@80000000";
} // namespace

TEST_CASE("broken tree: the base tree itself is accepted") {
    auto discovery = discovery_success(base_tree());
    CHECK(discovery.platform->harts.size() == 2);
}

TEST_CASE("broken tree: memory reg of the wrong length names reg and its size") {
    Blob blob = base_tree();
    set_prop(blob, kMemory, "reg", cells({0, 0x80000000, 0}));
    std::string message = discovery_failure(blob);
    CHECK_THAT(message, Contains(kMemory) && Contains("'reg'") && Contains("12 bytes") &&
                            Contains("not a multiple of 16"));
}

TEST_CASE("broken tree: no memory node") {
    Blob blob = base_tree();
    fdt_ok(fdt_del_node(blob.data(), node_at(blob, kMemory)));
    CHECK_THAT(discovery_failure(blob), Contains("no memory node"));
}

TEST_CASE("broken tree: memory reg empty or missing") {
    Blob empty = base_tree();
    set_prop(empty, kMemory, "reg", Blob{});
    CHECK_THAT(discovery_failure(empty), Contains(kMemory) && Contains("'reg' is empty"));
    Blob missing = base_tree();
    remove_prop(missing, kMemory, "reg");
    CHECK_THAT(discovery_failure(missing), Contains(kMemory) && Contains("'reg' is missing"));
}

TEST_CASE("broken tree: memory whose every size is zero describes no RAM") {
    Blob blob = base_tree();
    set_prop(blob, kMemory, "reg", cells({0, 0x80000000, 0, 0, 0, 0x90000000, 0, 0}));
    CHECK_THAT(discovery_failure(blob), Contains("describe no RAM") && Contains("every size is 0"));
}

TEST_CASE("broken tree: overlapping memory ranges") {
    Blob blob = base_tree();
    set_prop(blob, kMemory, "reg", cells({0, 0x80000000, 0, 0x2000000, 0, 0x81000000, 0, 0x1000}));
    CHECK_THAT(discovery_failure(blob), Contains("overlap"));
}

TEST_CASE("broken tree: header claims more bytes than are available") {
    Blob blob = tessera_test::trimmed(tessera_test::base_dtb().file);
    CHECK_THAT(discovery_failure(blob, blob.size() - 1), Contains("truncated"));
    // The same tree in a buffer that really is one byte short.
    Blob cut(blob.begin(), blob.end() - 1);
    CHECK_THAT(discovery_failure(cut), Contains("truncated"));
    CHECK_THAT(discovery_failure(blob, 16), Contains("smaller than its header"));
}

TEST_CASE("broken tree: header claims more than the 2 MiB limit") {
    Blob blob = tessera_test::editable(tessera_test::trimmed(tessera_test::base_dtb().file),
                                       tessera::kMaxDeviceTreeBytes); // totalsize is now just over 2 MiB
    CHECK_THAT(discovery_failure(blob), Contains("truncated"));
}

TEST_CASE("broken tree: corrupted header magic") {
    Blob blob = base_tree();
    blob[0] ^= 0xff;
    CHECK_THAT(discovery_failure(blob), Contains("bad header") && Contains("FDT_ERR_BADMAGIC"));
}

TEST_CASE("broken tree: scrambled structure block is an error, not a crash") {
    Blob blob = base_tree();
    // Overwrite the tag that opens /cpus: every walk of the tree runs into it.
    std::size_t tag = fdt_off_dt_struct(blob.data()) + static_cast<std::size_t>(node_at(blob, "/cpus"));
    const std::uint8_t garbage[] = {0xde, 0xad, 0xbe, 0xef};
    std::memcpy(&blob[tag], garbage, sizeof(garbage));
    CHECK_THAT(discovery_failure(blob), Contains("corrupt") && Contains("FDT_ERR_BADSTRUCTURE"));
}

TEST_CASE("broken tree: structure block that does not start with the root node") {
    Blob blob = base_tree();
    std::size_t first = fdt_off_dt_struct(blob.data());
    const std::uint8_t end_node[] = {0, 0, 0, 2}; // FDT_END_NODE where FDT_BEGIN_NODE belongs
    std::memcpy(&blob[first], end_node, sizeof(end_node));
    CHECK_THAT(discovery_failure(blob), Contains("does not start with the root node"));
}

TEST_CASE("broken tree: a stray END_NODE closing the root before the end of the block") {
    // Turn "BEGIN_NODE soc" into "END_NODE NOP": the root closes there, and /soc's contents
    // (the PLIC, the UART) float after it. libfdt's searches still find them, and
    // fdt_get_path() on such a node reads before the start of its buffer.
    Blob blob = base_tree();
    int soc = node_at(blob, "/soc");
    REQUIRE(std::string(fdt_get_name(blob.data(), soc, nullptr)) == "soc"); // the name fills one word
    std::size_t tag = fdt_off_dt_struct(blob.data()) + static_cast<std::size_t>(soc);
    const std::uint8_t end_node_then_nop[] = {0, 0, 0, 2, 0, 0, 0, 4};
    std::memcpy(&blob[tag], end_node_then_nop, sizeof(end_node_then_nop));
    CHECK_THAT(discovery_failure(blob), Contains("root node ends") && Contains("before the structure block does"));
}

TEST_CASE("broken tree: cpu reg of the wrong length") {
    Blob blob = base_tree();
    set_prop(blob, "/cpus/cpu@1", "reg", cells({0, 1}));
    CHECK_THAT(discovery_failure(blob), Contains("/cpus/cpu@1") && Contains("'reg'") && Contains("8 bytes") &&
                                  Contains("expected 4"));
    Blob missing = base_tree();
    remove_prop(missing, "/cpus/cpu@0", "reg");
    CHECK_THAT(discovery_failure(missing), Contains("/cpus/cpu@0") && Contains("0 bytes"));
}

TEST_CASE("broken tree: timebase-frequency missing or zero") {
    Blob missing = base_tree();
    remove_prop(missing, "/cpus", "timebase-frequency");
    CHECK_THAT(discovery_failure(missing), Contains("timebase-frequency is missing or 0"));
    Blob zero = base_tree();
    set_prop(zero, "/cpus", "timebase-frequency", cells({0}));
    CHECK_THAT(discovery_failure(zero), Contains("timebase-frequency is missing or 0"));
    Blob odd = base_tree();
    set_prop(odd, "/cpus", "timebase-frequency", Blob{0, 0x98, 0x96});
    CHECK_THAT(discovery_failure(odd), Contains("timebase-frequency") && Contains("3 bytes") && Contains("expected 4 or 8"));
}

TEST_CASE("broken tree: duplicate hart id") {
    Blob blob = base_tree();
    set_prop(blob, "/cpus/cpu@1", "reg", cells({0}));
    CHECK_THAT(discovery_failure(blob), Contains("/cpus/cpu@1") && Contains("hart id 0 appears twice"));
}

TEST_CASE("broken tree: no usable hart, or no /cpus at all") {
    Blob disabled = base_tree();
    set_string_prop(disabled, "/cpus/cpu@0", "status", "disabled");
    set_string_prop(disabled, "/cpus/cpu@1", "status", "fail");
    CHECK_THAT(discovery_failure(disabled), Contains("no usable hart"));
    Blob gone = base_tree();
    fdt_ok(fdt_del_node(gone.data(), node_at(gone, "/cpus")));
    CHECK_THAT(discovery_failure(gone), Contains("/cpus is missing"));
}

TEST_CASE("broken tree: stdout-path names a node that does not exist") {
    Blob blob = base_tree();
    set_string_prop(blob, "/chosen", "stdout-path", "/soc/serial@deadbeef:115200n8");
    CHECK_THAT(discovery_failure(blob), Contains("stdout-path") && Contains("'/soc/serial@deadbeef'") &&
                                  Contains("not in the tree"));
}

TEST_CASE("broken tree: address-cells of 3 in the root or in /cpus, size-cells of 3") {
    Blob root = base_tree();
    set_prop(root, "/", "#address-cells", cells({3}));
    CHECK_THAT(discovery_failure(root), Contains("#address-cells is 3"));
    Blob cpus = base_tree();
    set_prop(cpus, "/cpus", "#address-cells", cells({3}));
    CHECK_THAT(discovery_failure(cpus), Contains("/cpus") && Contains("#address-cells is 3"));
    Blob size = base_tree();
    set_prop(size, "/", "#size-cells", cells({3}));
    CHECK_THAT(discovery_failure(size), Contains("#size-cells is 3"));
}

TEST_CASE("broken tree: PLIC riscv,ndev missing, zero or too large") {
    Blob missing = base_tree();
    fdt_ok(fdt_delprop(missing.data(), plic_node(missing), "riscv,ndev"));
    CHECK_THAT(discovery_failure(missing), Contains("plic") && Contains("'riscv,ndev' is missing"));
    Blob zero = base_tree();
    fdt_ok(fdt_setprop_u32(zero.data(), plic_node(zero), "riscv,ndev", 0));
    CHECK_THAT(discovery_failure(zero), Contains("riscv,ndev is 0"));
    Blob large = base_tree();
    fdt_ok(fdt_setprop_u32(large.data(), plic_node(large), "riscv,ndev", 1024));
    CHECK_THAT(discovery_failure(large), Contains("riscv,ndev is 1024"));
}

TEST_CASE("broken tree: PLIC interrupts-extended not a list of pairs") {
    Blob blob = base_tree();
    Blob odd = cells({1, 9, 2});
    fdt_ok(fdt_setprop(blob.data(), plic_node(blob), "interrupts-extended", odd.data(), static_cast<int>(odd.size())));
    CHECK_THAT(discovery_failure(blob), Contains("interrupts-extended") && Contains("12 bytes"));
}

TEST_CASE("broken tree: console interrupt that is no PLIC source") {
    Blob blob = base_tree();
    set_prop(blob, "/soc/serial@10000000", "interrupts", cells({0x200}));
    CHECK_THAT(discovery_failure(blob), Contains("serial@10000000") && Contains("interrupt 512 is not a PLIC source"));
}

TEST_CASE("broken tree: initrd ending before it starts") {
    Blob blob = base_tree();
    set_prop(blob, "/chosen", "linux,initrd-start", cells({0, 0x84000000}));
    set_prop(blob, "/chosen", "linux,initrd-end", cells({0, 0x83000000}));
    CHECK_THAT(discovery_failure(blob), Contains("/chosen") && Contains("initrd ends (0x83000000) before it starts (0x84000000)"));
}

TEST_CASE("broken tree: only one of initrd start and end") {
    Blob start_only = base_tree();
    set_prop(start_only, "/chosen", "linux,initrd-start", cells({0x84000000}));
    CHECK_THAT(discovery_failure(start_only), Contains("only one of linux,initrd-start and linux,initrd-end"));
    Blob end_only = base_tree();
    set_prop(end_only, "/chosen", "linux,initrd-end", cells({0x84000000}));
    CHECK_THAT(discovery_failure(end_only), Contains("only one of linux,initrd-start and linux,initrd-end"));
}


TEST_CASE("broken tree: every memory node disabled counts as no memory node") {
    Blob blob = base_tree();
    set_string_prop(blob, kMemory, "status", "disabled");
    CHECK_THAT(discovery_failure(blob), Contains("no memory node"));
}

TEST_CASE("broken tree: more memory ranges than the kernel tracks") {
    Blob reg;
    for (std::uint32_t i = 0; i < tessera::kMaxMemoryRanges + 1; ++i) {
        Blob entry = cells({0, 0x80000000 + i * 0x100000, 0, 0x1000});
        reg.insert(reg.end(), entry.begin(), entry.end());
    }
    Blob blob = base_tree();
    set_prop(blob, kMemory, "reg", reg);
    CHECK_THAT(discovery_failure(blob), Contains(kMemory) && Contains("17 entries, at most 16"));
}

TEST_CASE("broken tree: more reserved ranges than the kernel tracks") {
    Blob blob = base_tree();
    for (std::uint64_t i = 0; i < tessera::kMaxReservedRanges; ++i)
        fdt_ok(fdt_add_mem_rsv(blob.data(), 0x80000000 + i * 0x10000, 0x1000));
    // With the blob's own entry that is one more than fits.
    CHECK_THAT(discovery_failure(blob), Contains("more than 32 reserved ranges"));
}

TEST_CASE("broken tree: bus ranges that do not cover a device, or of the wrong length") {
    Blob uncovered = base_tree();
    set_prop(uncovered, "/soc", "ranges", cells({0, 0, 0, 0, 0, 0x1000})); // only [0, 4 KiB)
    CHECK_THAT(discovery_failure(uncovered), Contains("plic@c000000") && Contains("address 0xc000000") &&
                                                  Contains("outside every entry of the parent's 'ranges'"));
    Blob odd = base_tree();
    set_prop(odd, "/soc", "ranges", cells({0, 0, 0, 0, 0}));
    CHECK_THAT(discovery_failure(odd), Contains("/soc") && Contains("'ranges' is 20 bytes long, not a multiple of 24"));
}

TEST_CASE("broken tree: stdout-path through an alias that names itself") {
    // libfdt resolves an alias by looking its value up as a path again, so an alias whose
    // value is not an absolute path would recurse until the stack overflows.
    Blob blob = base_tree();
    int aliases = fdt_add_subnode(blob.data(), 0, "aliases");
    fdt_ok(aliases);
    fdt_ok(fdt_setprop_string(blob.data(), aliases, "serial0", "serial0"));
    set_string_prop(blob, "/chosen", "stdout-path", "serial0:115200n8");
    CHECK_THAT(discovery_failure(blob), Contains("stdout-path") && Contains("'serial0'"));
}
