#pragma once
// Device trees for the discovery tests: the QEMU dumps named on the command line, copies
// that libfdt may edit, and a wrapper that runs discover_platform on a blob.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <platform/device_tree.hpp>

namespace tessera_test {

using Blob = std::vector<std::uint8_t>;

// Where the tests pretend the firmware put the blob: inside every QEMU configuration's RAM.
inline constexpr std::uint64_t kBlobPhysical = 0x87e00000;

// One QEMU dump and the facts its configuration fixes (from the SPEC of its --dtb argument).
struct QemuDtb {
    std::string name;               // "smp4-2g"
    std::string path;
    unsigned harts = 0;             // -smp
    std::uint64_t memory_bytes = 0; // -m
    std::string controller = "plic";
    bool has_bootargs = false;      // -append given
    std::string bootargs;
    std::uint64_t initrd_bytes = 0; // -initrd size, 0 without one
    Blob file;                      // the whole file, as QEMU wrote it
};

// Every --dtb argument, loaded. Fails the calling test when there are none or a file
// cannot be read: discovery must never go untested because the build lost the dumps.
const std::vector<QemuDtb>& qemu_dtbs();

// The tree the broken-blob and fuzz tests start from: QEMU's virt with 2 harts and a PLIC.
const QemuDtb& base_dtb();

// The blob cut to its header's totalsize, and a copy opened with `room` spare bytes for
// libfdt edits (fdt_open_into). Both are exactly as large as the tree, so AddressSanitizer
// catches any read past the end.
Blob trimmed(const Blob& blob);
Blob editable(const Blob& blob, std::size_t room = 0x4000);

struct Discovery {
    bool ok = false;
    std::string error; // the DiscoveryError text when !ok
    std::unique_ptr<tessera::PlatformInfo> platform = std::make_unique<tessera::PlatformInfo>();
};

// discover_platform(blob, kBlobPhysical, available_bytes). The PlatformInfo refers into
// `blob`, which must outlive the result.
Discovery discover(const Blob& blob, std::uint64_t available_bytes);
inline Discovery discover(const Blob& blob) { return discover(blob, blob.size()); }

// Big-endian cells, as the tree stores numbers.
Blob cells(std::initializer_list<std::uint32_t> values);
std::uint64_t read_cells(const void* data, int count);

// Editing a tree for one test. Each helper fails the test when libfdt refuses, so a test
// can never pass because its edit silently did not happen.
Blob base_tree();                           // editable(trimmed(base_dtb().file))
void fdt_ok(int status);                    // REQUIRE(status >= 0), naming libfdt's error
int node_at(const Blob& blob, const char* path);
int plic_node(const Blob& blob);
void set_prop(Blob& blob, const char* path, const char* name, const Blob& value);
void set_string_prop(Blob& blob, const char* path, const char* name, const char* value);
void remove_prop(Blob& blob, const char* path, const char* name);

// Discovery must fail (returns the message) or succeed (returns the result).
std::string discovery_failure(const Blob& blob, std::uint64_t available_bytes);
inline std::string discovery_failure(const Blob& blob) { return discovery_failure(blob, blob.size()); }
Discovery discovery_success(const Blob& blob);

} // namespace tessera_test
