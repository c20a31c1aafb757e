#pragma once
// Starting a task from an ELF image: its own CNode, VSpace (a root PageTable with an ASID
// from a pool), page tables, frames for each segment with the segment's rights, a stack
// with TaskInfo on top, an IPC buffer, and a TCB configured, named and prioritised;
// then only the capabilities the starter lists are copied in, and the thread resumes.
// Bytes reach the new frames through a temporary mapping in the starter's own VSpace.
#include <kstd/string_view.hpp>
#include <userlib/address_space.hpp>
#include <userlib/task_layout.hpp>

namespace tessera::user {

// The capabilities of the starter itself that starting needs.
struct OwnCaps {
    CNode cnode;       // its CSpace root (pointers resolve at depth 64)
    PageTable vspace;  // its VSpace (for temporary mappings)
    Tcb tcb;           // authority for priorities (its MCP is the ceiling)
    AsidPool asid_pool; // gives the new VSpace its ASID
};

// What the starter needs to allocate: objects, slots (through `objects`), and a scratch
// address range in its own VSpace.
struct StarterResources {
    OwnCaps own;
    ObjectAllocator& objects;
    VirtualRegionAllocator& own_addresses;
    // Where page tables of the starter's own VSpace (for its temporary mappings) come
    // from; null: `objects`. A starter that revokes a task's objects as a unit gives the
    // task an allocator of its own and keeps its own tables out of it.
    ObjectAllocator* own_tables = nullptr;

    ObjectAllocator& tables_for_own_space() { return own_tables != nullptr ? *own_tables : objects; }
};

// A capability copied into the new task, at TaskSlot::FirstGiven + its index in the list.
struct GivenCap {
    CPtr source; // in the starter's CSpace; 0 leaves the slot empty
    CapRights rights = CapRights::all();
    // Moved rather than copied: for what cannot be copied (Reply objects) or must have
    // one holder. `rights` then does not apply.
    bool move = false;
};

// A frame of the starter's mapped into the new task before it runs (a driver's device
// registers, its DMA buffers). The starter's capability stays its own: the mapping goes
// through a copy, as a capability maps one place only.
struct MappedFrame {
    CPtr frame;  // in the starter's CSpace
    u64 address; // in the task's VSpace, page-aligned, below kDynamicRegionBase
    u64 rights = VmRights::kReadWrite;
};

struct TaskSpec {
    kstd::StringView name;      // the TCB's name (first 15 bytes) and TaskInfo's (31)
    kstd::Bytes elf;            // the executable
    u64 priority = 100;
    u64 max_controlled_priority = 0;
    kstd::Span<const GivenCap> caps;
    u64 stack_pages = kTaskDefaultStackPages;
    u64 argument = 0;           // TaskInfo.argument
    kstd::Span<const MappedFrame> mappings;
    // The fault handler (TCB.Configure): an Endpoint capability in the starter's CSpace
    // with write and grant-reply; 0 for none.
    CPtr fault_endpoint;
};

// The starter's capabilities to what it made (kept so it can stop or inspect the task).
struct StartedTask {
    CNode cnode;     // unguarded capability to the task's CNode
    PageTable vspace;
    Tcb tcb;
    u64 entry = 0;
    u64 pages = 0;   // image, stack and IPC-buffer pages mapped
};

Result<StartedTask> start_task(StarterResources& starter, const TaskSpec& spec);

} // namespace tessera::user
