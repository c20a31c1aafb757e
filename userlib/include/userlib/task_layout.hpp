#pragma once
// What a task started by userlib's loader finds (docs/userlib.md): its initial CSpace and
// the TaskInfo block its first argument register points at. Shared by the loader and the
// task's own crt0, so the layout is checked here.
#include <abi/bootinfo.hpp>
#include <kstd/types.hpp>

namespace tessera::user {

// A task's CNode: 2^kTaskCNodeRadix slots, guarded so a capability pointer is a slot number.
inline constexpr unsigned kTaskCNodeRadix = 8;

enum class TaskSlot : u64 {
    Null = 0,
    CNode = 1,          // this CNode
    VSpace = 2,         // the root page table
    Tcb = 3,            // the task's first thread
    IpcBufferFrame = 4, // the frame of that thread's IPC buffer
    FirstGiven = 5,     // the capabilities the starter listed, in its order; then empty slots
};

constexpr u64 slot_of(TaskSlot slot) { return static_cast<u64>(slot); }

inline constexpr u64 kTaskInfoMagic = 0x6f666e696b736174; // "taskinfo"
inline constexpr u64 kTaskInfoVersion = 1;
inline constexpr usize kTaskNameBytes = 32;

struct TaskInfo {
    u64 magic;
    u64 version;
    u64 cnode_radix;
    u64 ipc_buffer;       // user address of the first thread's IPC buffer
    SlotRange given;      // the capabilities the starter gave, from TaskSlot::FirstGiven
    SlotRange empty;      // free slots of the task's CNode
    u64 stack_top;        // where the stack began, above this block
    u64 argument;         // one word from the starter
    char name[kTaskNameBytes]; // NUL-terminated
};
static_assert(__builtin_offsetof(TaskInfo, given) == 32);
static_assert(__builtin_offsetof(TaskInfo, stack_top) == 64);
static_assert(__builtin_offsetof(TaskInfo, name) == 80);
static_assert(sizeof(TaskInfo) == 112);

// A task's address space: the ELF image low (text at 0x10000), the IPC buffer and the
// stack high, the same addresses the root task uses; TaskInfo sits at the top of the
// stack, and the first stack page below kTaskStackTop holds it.
inline constexpr u64 kTaskIpcBufferAddress = kRootIpcBufferAddress;
inline constexpr u64 kTaskStackTop = kRootStackTop;
inline constexpr u64 kTaskDefaultStackPages = 16;

} // namespace tessera::user
