#pragma once
// The invocation ABI: what a user thread passes when it invokes a capability, and how the
// kernel answers. The trap path (the user-mode issue) builds an Invocation from registers
// and the IPC buffer; everything from decoding on is here and host-tested.
#include <abi/invocation_labels.hpp>
#include <abi/message_info.hpp>
#include <kstd/result.hpp>
#include <kstd/span.hpp>
#include <object/delete.hpp>
#include <object/errors.hpp>
#include <object/slot.hpp>

namespace tessera {

struct Tcb;

// Where a successful invocation puts the words of its reply (ReadRegisters, GetAddress).
struct ReplyWords {
    kstd::Span<u64> room;
    u64 length = 0;

    [[nodiscard]] bool push(u64 word) {
        if (length >= room.size()) return false;
        room[length++] = word;
        return true;
    }
};

// Who invokes, beyond the capability: the thread (null for the kernel's own tests) and
// where reply words go.
struct InvocationContext {
    Tcb* caller = nullptr;
    const Capability* caller_cspace = nullptr; // resolves capability pointers in arguments
    ReplyWords* reply = nullptr;
};

struct Invocation {
    MessageInfo info;
    kstd::Span<const u64> words;        // the message, info.length words
    Slot* invoked = nullptr;            // the slot of the invoked capability
    kstd::Span<Slot* const> extra_caps; // slots of the extra capabilities, already looked up
    InvocationContext context;
};

// Invocations of object types whose decoders live outside the portable core (the
// architecture's address-space objects); registered at boot, null until then.
using ObjectInvoker = kstd::Result<void, InvocationError> (*)(const Invocation& invocation);
struct ObjectInvokers {
    ObjectInvoker address_space = nullptr; // Frame, PageTable, AsidControl, AsidPool
    bool (*is_vspace_root)(const Capability& cap) = nullptr;
};
ObjectInvokers& object_invokers();

// A capability pointer that did not resolve while setting up an invocation. The faults
// issue delivers it to the thread's fault handler; it never reaches the invoked object.
struct CapabilityFault {
    u64 pointer = 0;
    bool in_receive_phase = false;
    LookupFailure failure;
};

enum class InvocationOutcome : u8 {
    Success,         // reply with `info` (label 0) and the context's reply words
    Error,           // reply with `info` (label = error code) and `words`
    CapabilityFault, // the invoked or an extra capability pointer did not resolve
    Restart,         // preempted: take the interrupt, then run the same invocation again
};

struct InvocationReply {
    InvocationOutcome outcome = InvocationOutcome::Success;
    MessageInfo info;
    u64 words[6] = {};
    CapabilityFault fault;
};

// Everything between the trap and the object: resolves the invoked capability and the
// extra capabilities in the caller's CSpace, decodes, performs, and encodes the reply.
InvocationReply handle_invocation(const Capability& cspace_root, u64 invoked_pointer, MessageInfo info,
                                  kstd::Span<const u64> words, kstd::Span<const u64> extra_pointers,
                                  PreemptionPoint& preemption, const InvocationContext& context = {});

// Decodes and, when every argument is valid, performs the invocation. ErrorCode::Preempted
// (inside the error) means: take the pending interrupt and restart the same invocation.
kstd::Result<void, InvocationError> invoke_capability(const Invocation& invocation, PreemptionPoint& preemption);

// Writes an error reply: returns its message info (label = error code) and fills `words`
// with the details (layout in docs/invocations.md). `words` must hold 6 words.
MessageInfo encode_error_reply(const InvocationError& error, kstd::Span<u64> words);

// Per-type decoders, called by invoke_capability.
kstd::Result<void, InvocationError> invoke_untyped(const Invocation& invocation);
kstd::Result<void, InvocationError> invoke_cnode(const Invocation& invocation, PreemptionPoint& preemption);
kstd::Result<void, InvocationError> invoke_tcb(const Invocation& invocation, PreemptionPoint& preemption);
kstd::Result<void, InvocationError> invoke_irq_control(const Invocation& invocation);
kstd::Result<void, InvocationError> invoke_irq_handler(const Invocation& invocation);

} // namespace tessera
