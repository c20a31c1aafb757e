#include "fdt_blob.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include <libfdt.h>

#include "test_support.hpp"

namespace tessera_test {

namespace {

std::uint64_t parse_number(const std::string& text, const std::string& spec) {
    std::size_t used = 0;
    std::uint64_t value = 0;
    try {
        value = std::stoull(text, &used, 0);
    } catch (const std::exception&) {
        used = 0;
    }
    INFO("--dtb spec '" << spec << "'");
    REQUIRE((used == text.size() && !text.empty()));
    return value;
}

// SPEC is "key=value;key=value;..."; bootargs, which may contain '=' and spaces, is one
// such value (it must not contain ';').
QemuDtb parse_spec(const DtbArgument& argument) {
    QemuDtb dtb;
    dtb.path = argument.path;
    std::size_t start = 0;
    const std::string& spec = argument.spec;
    while (start <= spec.size()) {
        std::size_t end = spec.find(';', start);
        if (end == std::string::npos) end = spec.size();
        std::string field = spec.substr(start, end - start);
        start = end + 1;
        if (field.empty()) continue;
        std::size_t equals = field.find('=');
        INFO("--dtb spec '" << spec << "', field '" << field << "'");
        REQUIRE(equals != std::string::npos);
        std::string key = field.substr(0, equals), value = field.substr(equals + 1);
        if (key == "name") dtb.name = value;
        else if (key == "harts") dtb.harts = static_cast<unsigned>(parse_number(value, spec));
        else if (key == "memory_mib") dtb.memory_bytes = parse_number(value, spec) << 20;
        else if (key == "controller") dtb.controller = value;
        else if (key == "initrd_bytes") dtb.initrd_bytes = parse_number(value, spec);
        else if (key == "bootargs") {
            dtb.has_bootargs = true;
            dtb.bootargs = value;
        } else
            FAIL("unknown key '" << key << "' in --dtb spec '" << spec << "'");
    }
    INFO("--dtb spec '" << spec << "'");
    REQUIRE(!dtb.name.empty());
    REQUIRE(dtb.harts > 0);
    REQUIRE(dtb.memory_bytes > 0);
    return dtb;
}

std::vector<QemuDtb> load_all() {
    std::vector<QemuDtb> dtbs;
    for (const DtbArgument& argument : dtb_arguments()) {
        QemuDtb dtb = parse_spec(argument);
        std::ifstream file(dtb.path, std::ios::binary);
        INFO("reading " << dtb.path);
        REQUIRE(file.good());
        dtb.file.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
        REQUIRE(fdt_check_header(dtb.file.data()) == 0);
        REQUIRE(fdt_totalsize(dtb.file.data()) <= dtb.file.size());
        dtbs.push_back(std::move(dtb));
    }
    return dtbs;
}

} // namespace

const std::vector<QemuDtb>& qemu_dtbs() {
    static const std::vector<QemuDtb> dtbs = load_all();
    if (dtbs.empty())
        FAIL("no QEMU device trees given: run through meson test, or pass --dtb SPEC PATH (see tests/unit/meson.build)");
    return dtbs;
}

const QemuDtb& base_dtb() {
    for (const QemuDtb& dtb : qemu_dtbs())
        if (dtb.name == "smp2-512m") return dtb;
    FAIL("the --dtb arguments lack the base tree 'smp2-512m'");
    std::abort(); // unreachable: FAIL throws
}

Blob trimmed(const Blob& blob) {
    REQUIRE(blob.size() >= sizeof(fdt_header));
    std::size_t total = fdt_totalsize(blob.data());
    REQUIRE(total <= blob.size());
    return Blob(blob.begin(), blob.begin() + static_cast<std::ptrdiff_t>(total));
}

Blob editable(const Blob& blob, std::size_t room) {
    std::size_t total = fdt_totalsize(blob.data());
    Blob copy(total + room);
    REQUIRE(fdt_open_into(blob.data(), copy.data(), static_cast<int>(copy.size())) == 0);
    return copy;
}

Discovery discover(const Blob& blob, std::uint64_t available_bytes) {
    Discovery discovery;
    auto result = tessera::discover_platform(blob.data(), kBlobPhysical, available_bytes, *discovery.platform);
    discovery.ok = result.ok();
    if (!result.ok()) discovery.error = std::string(result.error().text().data(), result.error().text().size());
    return discovery;
}

Blob cells(std::initializer_list<std::uint32_t> values) {
    Blob bytes;
    for (std::uint32_t value : values)
        for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<std::uint8_t>(value >> shift));
    return bytes;
}

std::uint64_t read_cells(const void* data, int count) {
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    std::uint64_t value = 0;
    for (int i = 0; i < 4 * count; ++i) value = (value << 8) | bytes[i];
    return value;
}

Blob base_tree() { return editable(trimmed(base_dtb().file)); }

void fdt_ok(int status) {
    INFO("libfdt: " << fdt_strerror(status));
    REQUIRE(status >= 0);
}

int node_at(const Blob& blob, const char* path) {
    int offset = fdt_path_offset(blob.data(), path);
    INFO("node " << path << ": " << fdt_strerror(offset));
    REQUIRE(offset >= 0);
    return offset;
}

int plic_node(const Blob& blob) {
    int offset = fdt_node_offset_by_compatible(blob.data(), -1, "riscv,plic0");
    REQUIRE(offset >= 0);
    return offset;
}

void set_prop(Blob& blob, const char* path, const char* name, const Blob& value) {
    fdt_ok(fdt_setprop(blob.data(), node_at(blob, path), name, value.data(), static_cast<int>(value.size())));
}

void set_string_prop(Blob& blob, const char* path, const char* name, const char* value) {
    fdt_ok(fdt_setprop_string(blob.data(), node_at(blob, path), name, value));
}

void remove_prop(Blob& blob, const char* path, const char* name) {
    fdt_ok(fdt_delprop(blob.data(), node_at(blob, path), name));
}

std::string discovery_failure(const Blob& blob, std::uint64_t available_bytes) {
    auto discovery = discover(blob, available_bytes);
    INFO("discovery succeeded on a broken tree");
    REQUIRE_FALSE(discovery.ok);
    return discovery.error;
}

Discovery discovery_success(const Blob& blob) {
    auto discovery = discover(blob);
    INFO("discovery failed: " << discovery.error);
    REQUIRE(discovery.ok);
    return discovery;
}

} // namespace tessera_test
