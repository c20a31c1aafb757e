#pragma once
// Typed wrappers for every invocation of abi/invocation_labels.hpp. Each names its
// object by the capability pointer it holds; arguments follow docs/invocations.md, and
// every call returns a Result whose Error carries the kernel's decoded details.
#include <abi/introspection.hpp>
#include <abi/irq.hpp>
#include <abi/object_types.hpp>
#include <abi/vm.hpp>
#include <arch/user_context.hpp>
#include <kstd/string_view.hpp>
#include <userlib/message.hpp>

namespace tessera::user {

// What every typed wrapper is: the capability pointer it invokes.
class CapabilityHandle {
public:
    constexpr CapabilityHandle() = default;
    constexpr explicit CapabilityHandle(CPtr cap) : cap_(cap) {}
    constexpr CPtr cap() const { return cap_; }

private:
    CPtr cap_;
};

class CNode;
class PageTable;

// A slot's capability as CNode.Describe reports it (abi/introspection.hpp).
struct CapabilityReport {
    CapabilityKind kind = CapabilityKind::Null;
    u64 rights = 0;
    u64 data = 0;   // badge, guard word, IRQ line, mapped address, watermark
    u64 object = 0; // the object's address as the kernel names it
    u64 size_bits = 0;
};

// A thread as TCB.GetStatus reports it.
struct ThreadReport {
    ThreadStatus state = ThreadStatus::Inactive;
    u64 priority = 0;
    u64 max_controlled_priority = 0;
    char name[17] = {};
};
class Frame;
class Notification; // userlib/ipc_message.hpp

class Untyped : public CapabilityHandle {
public:
    using CapabilityHandle::CapabilityHandle;

    // `count` objects of `type` into consecutive slots from `first_slot` of the CNode at
    // (`node_index`, `node_depth`) in `root`'s CSpace (depth 0: `root` itself).
    // `size_bits`: an Untyped's size or a CNode's radix; 0 for other types.
    Result<void> retype(ObjectType type, u64 size_bits, CNode root, u64 node_index, u64 node_depth, u64 first_slot,
                        u64 count) const;
};

class CNode : public CapabilityHandle {
public:
    using CapabilityHandle::CapabilityHandle;

    Result<void> revoke(SlotPath slot) const;
    Result<void> delete_(SlotPath slot) const;
    Result<void> copy(SlotPath destination, CNode source_root, SlotPath source, CapRights rights) const;
    // `data`: the badge (Endpoint, Notification) or cnode_guard_data() (CNode).
    Result<void> mint(SlotPath destination, CNode source_root, SlotPath source, CapRights rights, u64 data) const;
    Result<void> move(SlotPath destination, CNode source_root, SlotPath source) const;
    Result<void> mutate(SlotPath destination, CNode source_root, SlotPath source, u64 guard_data) const;
    // Moves the pivot to `destination` (with `pivot_new_data`) and the source to the pivot
    // (with `source_new_data`).
    Result<void> rotate(SlotPath destination, u64 pivot_new_data, CNode pivot_root, SlotPath pivot,
                        u64 source_new_data, CNode source_root, SlotPath source) const;
    // Every sender queued on the endpoint with the badge of the capability at `endpoint` (a
    // badged Endpoint capability with every right) stops waiting: its Send or Call returns
    // IpcStatus::Cancelled.
    Result<void> cancel_badged_sends(SlotPath endpoint) const;
    // What the slot holds (kind Null when it is empty). Needs the caller's IPC buffer.
    Result<CapabilityReport> describe(SlotPath slot) const;
};

class PageTable : public CapabilityHandle {
public:
    using CapabilityHandle::CapabilityHandle;

    // Installs this table in `vspace` at the level that covers `vaddr` and still lacks one.
    Result<void> map(PageTable vspace, u64 vaddr, u64 attributes = kVmAttributesNone) const;
    Result<void> unmap() const;
};

class Frame : public CapabilityHandle {
public:
    using CapabilityHandle::CapabilityHandle;

    // `rights`: VmRights bits. Fails with FailedLookup while a page table is missing.
    Result<void> map(PageTable vspace, u64 vaddr, u64 rights, u64 attributes = kVmAttributesNone) const;
    Result<void> remap(u64 rights, u64 attributes = kVmAttributesNone) const;
    Result<void> unmap() const;
    Result<u64> get_address() const;
};

struct TcbCopyRegisterSets {
    bool suspend_source = false;
    bool resume_target = false;
    bool frame = true;   // pc, ra, sp, gp, tp, s0..s11
    bool integer = true; // t0..t6, a0..a7
};

class Tcb : public CapabilityHandle {
public:
    using CapabilityHandle::CapabilityHandle;

    // `ipc_buffer_address` 0 means no IPC buffer; then `ipc_buffer_frame` is not sent.
    Result<void> configure(CPtr fault_endpoint, CNode cspace_root, u64 cspace_root_data, PageTable vspace_root,
                           u64 vspace_root_data, u64 ipc_buffer_address, Frame ipc_buffer_frame) const;
    Result<void> set_priority(u64 priority, Tcb authority) const;
    Result<void> set_mc_priority(u64 mcp, Tcb authority) const;
    Result<void> set_ipc_buffer(u64 ipc_buffer_address, Frame ipc_buffer_frame) const;
    Result<void> set_space(CPtr fault_endpoint, CNode cspace_root, u64 cspace_root_data, PageTable vspace_root,
                           u64 vspace_root_data) const;
    Result<void> suspend() const;
    Result<void> resume() const;
    // The first `count` registers (UserContext order); the rest of `context` is zeroed.
    Result<arch::UserContext> read_registers(u64 count = arch::kUserContextWords) const;
    Result<void> write_registers(const arch::UserContext& context, bool resume,
                                 u64 count = arch::kUserContextWords) const;
    Result<void> copy_registers(Tcb source, TcbCopyRegisterSets sets) const;
    // At most kTcbNameBytes bytes are sent; a longer name is cut.
    Result<void> set_name(kstd::StringView name) const;
    // Binds `notification` (its capability needs the read right) to this thread: its
    // signals then also end the thread's Recv (IpcStatus::Signalled). One each way.
    Result<void> bind_notification(Notification notification) const;
    Result<void> unbind_notification() const;
    // Its state, priorities and name. Needs the caller's IPC buffer.
    Result<ThreadReport> get_status() const;
};

inline constexpr usize kTcbNameBytes = 15;

// The two words of TCB.SetName: bytes packed little-endian, zero-filled.
struct PackedName {
    u64 words[2] = {};
};
PackedName pack_tcb_name(kstd::StringView name);

class AsidControl : public CapabilityHandle {
public:
    using CapabilityHandle::CapabilityHandle;

    // Makes an ASID pool from a 4 KiB Untyped into the slot (index, depth) of `root`.
    Result<void> make_pool(Untyped untyped, CNode root, SlotPath destination) const;
};

class AsidPool : public CapabilityHandle {
public:
    using CapabilityHandle::CapabilityHandle;

    Result<void> assign(PageTable vspace_root) const;
};

class IrqControl : public CapabilityHandle {
public:
    using CapabilityHandle::CapabilityHandle;

    // An IrqHandler for controller line `line` into the slot (index, depth) of `root`. The
    // line must be one a device-tree node names; `shared` asks for one of several handlers
    // of a level-triggered line (all signalled, the line reopened when all have acked).
    Result<void> get(u64 line, IrqTrigger trigger, bool shared, CNode root, SlotPath destination) const;
};

// IrqHandler.GetStatus, decoded (abi/irq.hpp IrqStatusWord).
struct IrqHandlerStatus {
    bool bound = false;
    bool masked = false;
    u64 delivered = 0;     // interrupts signalled to this handler
    u64 last_time = 0;     // the timebase (rdtime) at the last one; 0 before any
    u64 line = 0;
    bool shared = false;
    bool awaiting_ack = false;
};

class IrqHandler : public CapabilityHandle {
public:
    using CapabilityHandle::CapabilityHandle;

    // The line's interrupts signal `notification` (write right) with its badge; replaces a
    // notification bound before.
    Result<void> set_notification(Notification notification) const;
    // The device is serviced: the line opens again once every handler of it has acked.
    Result<void> ack() const;
    // Unbinds the notification (and no longer holds the line shut).
    Result<void> clear() const;
    // The line's priority, 1..the controller's highest (RangeError says which).
    Result<void> set_priority(u64 priority) const;
    // Needs an IPC buffer: words 4..6 of the reply travel there.
    Result<IrqHandlerStatus> status() const;
};

} // namespace tessera::user
