#pragma once
// What the kernel gives the root task: its initial CSpace (fixed slots, then ranges that
// the BootInfo page names) and the BootInfo page itself, mapped read-only at the address
// the root task receives in its first argument register. ABI; docs/boot.md describes it.
#include <kstd/types.hpp>

namespace tessera {

// The root task's CNode: 2^kRootCNodeRadix slots, with a guard that makes every 64-bit
// capability pointer resolve at full depth (a pointer is simply a slot number).
inline constexpr unsigned kRootCNodeRadix = 12;

enum class RootSlot : u64 {
    Null = 0,
    Tcb = 1,           // the root task's own thread
    CNode = 2,         // this CNode
    VSpace = 3,        // the root page table (with an ASID from the initial pool)
    IrqControl = 4,    // the authority to create IrqHandler capabilities
    AsidControl = 5,   // the authority to create ASID pools
    AsidPool = 6,      // the initial ASID pool, already serving the root task's VSpace
    BootInfoFrame = 7, // the frame of this BootInfo page
    IpcBufferFrame = 8, // the frame of the root task's IPC buffer
    FirstFree = 9,     // the ranges below follow from here
};

// A range of slots [start, end).
struct SlotRange {
    u64 start;
    u64 end;
    constexpr u64 count() const { return end - start; }
};

struct UntypedDescriptor {
    u64 physical;  // base address, aligned to its size
    u8 size_bits;  // 2^size_bits bytes
    u8 is_device;  // device memory (MMIO): only frames can be made from it
    u8 padding[6];
};
static_assert(sizeof(UntypedDescriptor) == 16);

inline constexpr u64 kBootInfoMagic = 0x6f666e69746f6f62; // "bootinfo"
inline constexpr u64 kBootInfoVersion = 1;
inline constexpr u64 kMaxBootUntypeds = 240;

struct BootInfo {
    u64 magic;
    u64 version;
    u64 root_cnode_radix;
    u64 ipc_buffer;             // user address of the root task's IPC buffer
    SlotRange empty;            // free slots of the root CNode
    SlotRange untyped;          // one Untyped capability per entry of untyped_list
    SlotRange image_frames;     // the frames of the root task's ELF segments and stack
    SlotRange page_tables;      // the page tables of the root task's address space
    SlotRange device_tree_frames; // the frames of the device-tree copy
    SlotRange boot_image_frames;  // the frames of the boot image (read-only mapping)
    u64 device_tree;            // user address of the device tree (read-only)
    u64 device_tree_size;
    u64 boot_image;             // user address of the boot image, a CPIO archive
    u64 boot_image_size;
    u64 stack_top;              // initial stack pointer of the root task
    u64 untyped_count;
    UntypedDescriptor untyped_list[kMaxBootUntypeds];
    u64 kernel_entry_cycle;     // the cycle counter at the kernel's first instruction
};

static_assert(__builtin_offsetof(BootInfo, untyped_list) == 176);
static_assert(sizeof(BootInfo) <= 4096, "BootInfo fits one page");

// Where the kernel places the root task's boot data (above its ELF image, below the
// user address limit).
inline constexpr u64 kRootBootInfoAddress = 0x3f00000000;
inline constexpr u64 kRootIpcBufferAddress = 0x3f00001000;
inline constexpr u64 kRootStackTop = 0x3f00100000;   // 256 KiB of stack below, a guard page below that
inline constexpr u64 kRootStackPages = 64;
inline constexpr u64 kRootDeviceTreeAddress = 0x3f00200000;
inline constexpr u64 kRootBootImageAddress = 0x3f10000000;

} // namespace tessera
