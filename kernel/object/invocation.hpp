#pragma once
// The invocation ABI: what a user thread passes when it invokes a capability, and how the
// kernel answers. The trap path (the user-mode issue) builds an Invocation from registers
// and the IPC buffer; everything from decoding on is here and host-tested.
#include <kstd/result.hpp>
#include <kstd/span.hpp>
#include <object/delete.hpp>
#include <object/errors.hpp>
#include <object/slot.hpp>

namespace tessera {

// The message-info word (seL4's layout):
//   bits 0..6   length: message words, at most kMaxMessageLength
//   bits 7..8   extra capabilities, at most kMaxExtraCaps
//   bits 9..11  capabilities unwrapped (a bit per extra capability, on receive)
//   bits 12..63 label: the operation, or the error code in a reply
struct MessageInfo {
    u64 label = 0;
    u64 length = 0;
    u64 extra_caps = 0;
    u64 caps_unwrapped = 0;

    static constexpr u64 kMaxMessageLength = 120;
    static constexpr u64 kMaxExtraCaps = 3;

    static constexpr MessageInfo from_word(u64 word) {
        MessageInfo info;
        info.length = word & 0x7f;
        info.extra_caps = (word >> 7) & 0x3;
        info.caps_unwrapped = (word >> 9) & 0x7;
        info.label = word >> 12;
        if (info.length > kMaxMessageLength) info.length = kMaxMessageLength;
        return info;
    }
    constexpr u64 to_word() const {
        return (label << 12) | ((caps_unwrapped & 0x7) << 9) | ((extra_caps & 0x3) << 7) | (length & 0x7f);
    }
    constexpr bool operator==(const MessageInfo&) const = default;
};

// Operation labels. Numbers are ABI; userlib uses the same values.
enum class InvocationLabel : u64 {
    UntypedRetype = 1,
    CNodeRevoke = 2,
    CNodeDelete = 3,
    CNodeCopy = 4,
    CNodeMint = 5,
    CNodeMove = 6,
    CNodeMutate = 7,
    CNodeRotate = 8,
};

struct Invocation {
    MessageInfo info;
    kstd::Span<const u64> words;        // the message, info.length words
    Slot* invoked = nullptr;            // the slot of the invoked capability
    kstd::Span<Slot* const> extra_caps; // slots of the extra capabilities, already looked up
};

// A capability pointer that did not resolve while setting up an invocation. The faults
// issue delivers it to the thread's fault handler; it never reaches the invoked object.
struct CapabilityFault {
    u64 pointer = 0;
    bool in_receive_phase = false;
    LookupFailure failure;
};

enum class InvocationOutcome : u8 {
    Success,         // reply with `info` (label 0, no words)
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
                                  PreemptionPoint& preemption);

// Decodes and, when every argument is valid, performs the invocation. ErrorCode::Preempted
// (inside the error) means: take the pending interrupt and restart the same invocation.
kstd::Result<void, InvocationError> invoke_capability(const Invocation& invocation, PreemptionPoint& preemption);

// Writes an error reply: returns its message info (label = error code) and fills `words`
// with the details (layout in docs/invocations.md). `words` must hold 6 words.
MessageInfo encode_error_reply(const InvocationError& error, kstd::Span<u64> words);

// Per-type decoders, called by invoke_capability.
kstd::Result<void, InvocationError> invoke_untyped(const Invocation& invocation);
kstd::Result<void, InvocationError> invoke_cnode(const Invocation& invocation, PreemptionPoint& preemption);

} // namespace tessera
