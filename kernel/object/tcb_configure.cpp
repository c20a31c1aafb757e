// TCB.Configure, SetSpace and SetIpcBuffer: the CSpace, VSpace, IPC buffer and fault
// endpoint a thread uses.
//   Configure(fault_endpoint, cspace_root_data, vspace_root_data, ipc_buffer_address)
//       extra: CSpace root, VSpace root, IPC-buffer frame (only when the address is not 0)
//   SetSpace(fault_endpoint, cspace_root_data, vspace_root_data)   extra: CSpace, VSpace
//   SetIpcBuffer(ipc_buffer_address)        extra: the frame (only when the address is not 0)
//
// The TCB keeps copies of the given capabilities in its own slots, as children of the given
// ones in the derivation tree, so revoking what it was given takes them away again. What a
// slot held before is deleted with the ordinary machinery, and that deletion can reach far:
// it may delete the last capability to a CNode that held the last capability to this very
// TCB, or to a capability about to be installed. As seL4 does, the kernel therefore checks
// after every deletion that the invoked slot still names this TCB and the source slot still
// names the decoded object, and installs the copy only then. A deletion may also stop for a
// pending interrupt; the invocation then restarts, decodes again and continues, since every
// step can be repeated.
#include <abi/ipc_buffer.hpp>
#include <kstd/bit.hpp>
#include <object/cspace.hpp>
#include <object/derivation.hpp>
#include <object/derive.hpp>
#include <object/tcb_invocations.hpp>

namespace tessera {

namespace {

// A capability for one of the TCB's slots: a copy of the one in `source`. A null source
// means the slot is to be left empty.
struct Installation {
    Slot* source = nullptr;
    Capability copy;
};

struct SpacePlan {
    Installation fault_handler;
    Installation cspace;
    Installation vspace;
};

struct IpcBufferPlan {
    u64 address = 0;
    Installation frame;
};

// Message words of each operation, and which word holds the IPC-buffer address.
constexpr u64 kConfigureWords = 4;
constexpr u64 kSetSpaceWords = 3;
constexpr u64 kFaultEndpointWord = 0;
constexpr u64 kCSpaceDataWord = 1;
constexpr u64 kVSpaceDataWord = 2;
constexpr u64 kConfigureIpcBufferWord = 3;

// The fault endpoint is a capability pointer into the caller's CSpace, resolved now (not
// when a fault happens); the TCB keeps a copy, so a later change of either CSpace does not
// redirect the thread's faults. A failed lookup is reported as a source (the TCB's slot is
// the destination).
kstd::Result<Installation, InvocationError> decode_fault_endpoint(const Invocation& invocation) {
    u64 pointer = invocation.words[kFaultEndpointWord];
    if (pointer == 0) return Installation{};
    const Capability* cspace = invocation.context.caller_cspace;
    if (cspace == nullptr)
        return kstd::fail(InvocationError::failed_lookup(true, LookupFailure{LookupFailureType::InvalidRoot}));
    auto found = lookup_slot(*cspace, pointer);
    if (!found) return kstd::fail(InvocationError::failed_lookup(true, found.error()));
    Slot* slot = found.value();
    if (slot->is_empty()) {
        LookupFailure failure{LookupFailureType::MissingCapability};
        failure.bits_left = 0;
        return kstd::fail(InvocationError::failed_lookup(true, failure));
    }
    if (slot->cap.type() != CapType::Endpoint || !slot->cap.rights().can_write())
        return kstd::fail(InvocationError::invalid_argument(kFaultEndpointWord));
    return Installation{slot, derive_capability(slot->cap)};
}

// The CSpace root: a CNode, with a new guard when `cspace_root_data` is not 0 (the format
// CNode.Mutate takes; 0 keeps the capability's own guard, as in seL4).
kstd::Result<Installation, InvocationError> decode_cspace(const Invocation& invocation) {
    Slot* slot = extra_slot(invocation, 0);
    Capability cap = slot->cap;
    if (cap.type() != CapType::CNode) return kstd::fail(InvocationError::invalid_capability(1));
    u64 data = invocation.words[kCSpaceDataWord];
    if (data != 0) {
        cap = update_capability_data(true, data, cap);
        if (cap.is_null()) return kstd::fail(InvocationError::invalid_argument(kCSpaceDataWord));
    }
    return Installation{slot, derive_capability(cap)};
}

// The VSpace root: whatever the architecture accepts as one (a root PageTable with an
// ASID on riscv64). Without the architecture's check nothing is accepted.
kstd::Result<Installation, InvocationError> decode_vspace(const Invocation& invocation) {
    Slot* slot = extra_slot(invocation, 1);
    auto is_vspace_root = object_invokers().is_vspace_root;
    if (is_vspace_root == nullptr || !is_vspace_root(slot->cap))
        return kstd::fail(InvocationError::invalid_capability(2));
    if (invocation.words[kVSpaceDataWord] != 0) return kstd::fail(InvocationError::invalid_argument(kVSpaceDataWord));
    Capability copy = derive_capability(slot->cap);
    if (copy.is_null()) return kstd::fail(InvocationError::invalid_capability(2));
    return Installation{slot, copy};
}

// The IPC buffer: 1 KiB, aligned to its size, inside a writable RAM frame. The kernel
// reaches it through the frame (its address plus the buffer's offset in the frame), never
// through the user address, so it works whatever is mapped where.
kstd::Result<IpcBufferPlan, InvocationError> decode_ipc_buffer(const Invocation& invocation, u64 word,
                                                              u64 extra_index) {
    IpcBufferPlan plan;
    plan.address = invocation.words[word];
    if (plan.address == 0) return plan;
    Slot* slot = extra_slot(invocation, extra_index);
    if (slot == nullptr) return kstd::fail(truncated_message());
    if (!kstd::is_aligned(plan.address, kstd::bit(kIpcBufferSizeBits)))
        return kstd::fail(InvocationError::of(ErrorCode::AlignmentError));
    const Capability& cap = slot->cap;
    if (cap.type() != CapType::Frame || cap.is_device() || !cap.rights().can_write())
        return kstd::fail(InvocationError::invalid_capability(extra_index + 1));
    plan.frame = Installation{slot, derive_capability(cap)};
    return plan;
}

kstd::Result<SpacePlan, InvocationError> decode_space(const Invocation& invocation) {
    SpacePlan plan;
    plan.fault_handler = TRY(decode_fault_endpoint(invocation));
    plan.cspace = TRY(decode_cspace(invocation));
    plan.vspace = TRY(decode_vspace(invocation));
    return plan;
}

// Whether `slot` still holds a capability to the object `cap` names.
bool still_names(const Slot& slot, const Capability& cap) {
    return slot.cap.type() == cap.type() && same_object_as(cap, slot.cap);
}

// Deletes what the TCB's slot holds and installs the copy, if its source is still there.
// False when the thread did not survive the deletion: nothing more may be done to it.
kstd::Result<bool, InvocationError> replace_slot(const Invocation& invocation, Capability tcb_cap,
                                                 TcbSlot which, const Installation& installation,
                                                 PreemptionPoint& preemption) {
    Slot& slot = tcb_of(tcb_cap)->slot(which);
    auto deleted = delete_slot(slot, preemption);
    if (!deleted) return kstd::fail(InvocationError::of(deleted.error()));
    if (!still_names(*invocation.invoked, tcb_cap)) return false;
    Slot* source = installation.source;
    if (source != nullptr && slot.is_empty() && still_names(*source, installation.copy))
        insert_child(installation.copy, *source, slot, is_revocable_derivation(installation.copy, source->cap));
    return true;
}

kstd::Result<bool, InvocationError> perform_space(const Invocation& invocation, Capability tcb_cap,
                                                  const SpacePlan& plan, PreemptionPoint& preemption) {
    if (!TRY(replace_slot(invocation, tcb_cap, TcbSlot::FaultHandler, plan.fault_handler, preemption))) return false;
    if (!TRY(replace_slot(invocation, tcb_cap, TcbSlot::CSpaceRoot, plan.cspace, preemption))) return false;
    return replace_slot(invocation, tcb_cap, TcbSlot::VSpaceRoot, plan.vspace, preemption);
}

kstd::Result<void, InvocationError> perform_ipc_buffer(const Invocation& invocation, Capability tcb_cap,
                                                       const IpcBufferPlan& plan, PreemptionPoint& preemption) {
    if (!TRY(replace_slot(invocation, tcb_cap, TcbSlot::IpcBuffer, plan.frame, preemption))) return {};
    tcb_of(tcb_cap)->ipc_buffer = plan.address;
    return {};
}

} // namespace

kstd::Result<void, InvocationError> invoke_tcb_configure(const Invocation& invocation, PreemptionPoint& preemption) {
    if (invocation.words.size() < kConfigureWords || extra_slot(invocation, 0) == nullptr ||
        extra_slot(invocation, 1) == nullptr ||
        (invocation.words[kConfigureIpcBufferWord] != 0 && extra_slot(invocation, 2) == nullptr))
        return kstd::fail(truncated_message());
    SpacePlan space = TRY(decode_space(invocation));
    IpcBufferPlan buffer = TRY(decode_ipc_buffer(invocation, kConfigureIpcBufferWord, 2));
    Capability tcb_cap = invocation.invoked->cap;
    if (!TRY(perform_space(invocation, tcb_cap, space, preemption))) return {};
    return perform_ipc_buffer(invocation, tcb_cap, buffer, preemption);
}

kstd::Result<void, InvocationError> invoke_tcb_set_space(const Invocation& invocation, PreemptionPoint& preemption) {
    if (invocation.words.size() < kSetSpaceWords || extra_slot(invocation, 0) == nullptr ||
        extra_slot(invocation, 1) == nullptr)
        return kstd::fail(truncated_message());
    SpacePlan space = TRY(decode_space(invocation));
    auto performed = perform_space(invocation, invocation.invoked->cap, space, preemption);
    if (!performed) return kstd::fail(performed.error());
    return {};
}

kstd::Result<void, InvocationError> invoke_tcb_set_ipc_buffer(const Invocation& invocation,
                                                              PreemptionPoint& preemption) {
    if (invocation.words.empty()) return kstd::fail(truncated_message());
    IpcBufferPlan buffer = TRY(decode_ipc_buffer(invocation, 0, 0));
    return perform_ipc_buffer(invocation, invocation.invoked->cap, buffer, preemption);
}

} // namespace tessera
