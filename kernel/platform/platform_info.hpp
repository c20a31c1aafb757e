#pragma once
// What the kernel learns about the machine from the device tree: plain structs, filled
// once at boot by discover_platform() and read-only afterwards.
#include <kstd/bounded_vector.hpp>
#include <kstd/optional.hpp>
#include <kstd/string_view.hpp>
#include <memory/phys_range.hpp>
#include <memory/region_set.hpp>

namespace tessera {

inline constexpr usize kMaxDiscoveredHarts = 64;
inline constexpr usize kMaxMemoryRanges = 16;
inline constexpr usize kMaxReservedRanges = 32;

enum class ReservedKind : u8 {
    ReservedMemoryNode, // a child of /reserved-memory (OpenSBI puts its own region here)
    MemReserveBlock,    // an entry of the blob's memory reservation block
    DeviceTree,         // the blob itself
    KernelImage,
    Initrd,
    KernelAllocation,   // pages the kernel took at boot (page tables)
    RootTaskObjects,    // the root task's CNode, TCB, page tables and frames
};

struct ReservedRange {
    PhysRange range;
    ReservedKind kind;
    kstd::StringView name; // node name for ReservedMemoryNode, empty otherwise
};

struct HartInfo {
    u64 hart_id = 0;
    bool has_sstc = false;         // supervisor timer compare CSR (stimecmp)
    u32 intc_phandle = 0;          // the hart's local interrupt controller
    kstd::Optional<u32> plic_supervisor_context;
};

enum class InterruptControllerKind : u8 { None, Plic, Aplic };

// Lines of the interrupt controller that a device node names as its interrupt: the only
// lines IrqControl.Get hands out (a line nothing is wired to is no device's to drive).
class InterruptLineSet {
public:
    static constexpr u32 kLineLimit = 1024; // a PLIC numbers its sources 1..1023

    // False (and nothing added) for a line at or beyond kLineLimit.
    bool add(u32 line) {
        if (line >= kLineLimit) return false;
        bits_[line / 64] |= u64{1} << (line % 64);
        return true;
    }
    bool contains(u32 line) const { return line < kLineLimit && (bits_[line / 64] >> (line % 64) & 1) != 0; }
    u32 count() const {
        u32 total = 0;
        for (u64 word : bits_) total += static_cast<u32>(__builtin_popcountll(word));
        return total;
    }

private:
    u64 bits_[kLineLimit / 64] = {};
};

struct PlicInfo {
    PhysRange registers;
    u32 source_count = 0; // sources are numbered 1..source_count
    u32 phandle = 0;
    u32 context_count = 0;
    // The `interrupts` of enabled device nodes whose interrupt parent is this PLIC, within
    // 1..source_count. (PCI's interrupt-map and `interrupts-extended` are not read yet.)
    InterruptLineSet device_lines;
};

struct ConsoleInfo {
    kstd::StringView path;
    kstd::StringView compatible;
    PhysRange registers;
    kstd::Optional<u32> interrupt; // a line of the PLIC, when the UART is wired to it
};

struct PlatformInfo {
    kstd::StringView model;
    kstd::StringView bootargs;
    PhysRange device_tree;
    kstd::BoundedVector<PhysRange, kMaxMemoryRanges> memory;
    kstd::BoundedVector<ReservedRange, kMaxReservedRanges> reserved;
    kstd::BoundedVector<HartInfo, kMaxDiscoveredHarts> harts; // usable harts, in tree order
    usize disabled_harts = 0;
    u64 timebase_hz = 0;
    InterruptControllerKind interrupt_controller = InterruptControllerKind::None;
    PlicInfo plic;
    kstd::Optional<ConsoleInfo> console;
    kstd::Optional<PhysRange> initrd;
    // Page-rounded register ranges of the devices user space may drive (device Untyped).
    RegionSet device_regions;

    u64 memory_bytes() const {
        u64 total = 0;
        for (const PhysRange& range : memory) total += range.size();
        return total;
    }

    const HartInfo* find_hart(u64 hart_id) const {
        for (const HartInfo& hart : harts)
            if (hart.hart_id == hart_id) return &hart;
        return nullptr;
    }
};

} // namespace tessera
