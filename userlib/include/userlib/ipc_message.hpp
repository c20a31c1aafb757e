#pragma once
// IPC as user space sees it (docs/ipc.md): the message an IPC system call sends and what
// it returns, and the capability handles of the three IPC objects. This header is portable
// (host tests include it); the system calls themselves are inline `ecall`s in
// <userlib/ipc.hpp>, which defines the handles' IPC operations: code that calls them must
// include that header (clang's -Wundefined-inline makes forgetting it a compile error).
#include <abi/ipc_buffer.hpp>
#include <abi/syscalls.hpp>
#include <kstd/format.hpp>
#include <userlib/invocations.hpp>

namespace tessera {

// Found by argument-dependent lookup, so notes can print a status with "{}".
template <kstd::CharSink S> constexpr void format_value(S& sink, IpcStatus status) {
    kstd::format_to(sink, "{}", ipc_status_name(status));
}

} // namespace tessera

namespace tessera::user {

// One IPC system call's message, both ways. To send: `info_word` (label, length, extra
// capabilities) and the first four words; words 4.. go in the IPC buffer's message[] and
// the extra capabilities' pointers in its caps_or_badges[]. Returned: `badge` (a0), the
// received info word (a1), words 0..3 (a2..a5) and the status (a6).
struct IpcMessage {
    // a0 out: the sender's capability badge; a notification's word (Wait, Poll, Signalled);
    // after a refusal, which capability was at fault (0: the one in a0, 1: the one in a6).
    u64 badge = 0;
    u64 info_word = 0;
    u64 words[kMessageRegisterCount] = {};
    IpcStatus status = IpcStatus::Ok;

    constexpr IpcMessage() = default;
    constexpr explicit IpcMessage(MessageInfo info, u64 word0 = 0, u64 word1 = 0, u64 word2 = 0, u64 word3 = 0)
        : info_word(info.to_word()), words{word0, word1, word2, word3} {}

    constexpr MessageInfo info() const { return MessageInfo::from_word(info_word); }
    constexpr u64 label() const { return info().label; }
    constexpr u64 length() const { return info().length; }
    constexpr bool ok() const { return status == IpcStatus::Ok; }
};

// The handles' IPC operations are defined in <userlib/ipc.hpp> (inline, with the ecalls).
class ReplyObject : public CapabilityHandle {
public:
    using CapabilityHandle::CapabilityHandle;

    // Answers the caller parked on this Reply object (nothing if none waits): Ok, or
    // InvalidCapability when this is no Reply object.
    inline IpcStatus reply(const IpcMessage& answer) const;
};

class Endpoint : public CapabilityHandle {
public:
    using CapabilityHandle::CapabilityHandle;

    // Blocks until a receiver takes the message (write right).
    inline IpcMessage send(const IpcMessage& message) const;
    // Delivers only to a receiver already waiting; otherwise NothingPending (dropped).
    inline IpcMessage nb_send(const IpcMessage& message) const;
    // Sends and waits for the answer (write and grant or grant-reply): the answer's info,
    // words and Ok; NoReply when the receiver named no Reply object.
    inline IpcMessage call(const IpcMessage& message) const;
    // Blocks until a message (read right) or a signal of the bound notification
    // (Signalled). A Call that arrives is answered through `reply` (none: it gets NoReply).
    inline IpcMessage recv(ReplyObject reply = ReplyObject()) const;
    // Receives only what is already waiting; otherwise NothingPending.
    inline IpcMessage nb_recv(ReplyObject reply = ReplyObject()) const;
    // Answers through `reply`, then receives with it: a server's loop in one system call.
    inline IpcMessage reply_recv(ReplyObject reply, const IpcMessage& answer) const;
};

class Notification : public CapabilityHandle {
public:
    using CapabilityHandle::CapabilityHandle;

    // ORs this capability's badge into the word, or hands it to a waiter (write right).
    inline IpcStatus signal() const;
    // Takes the word (in `badge`), blocking until there is one (read right).
    inline IpcMessage wait() const;
    // Takes the word if any is pending, else NothingPending.
    inline IpcMessage poll() const;
};

// Where a capability a message carries lands: the empty slot `slot` of the CNode `cnode`
// (both in the receiver's own CSpace). One per message.
constexpr void set_receive_slot(IpcBuffer& buffer, CNode cnode, SlotPath slot) {
    buffer.receive_cnode = cnode.cap().value;
    buffer.receive_index = slot.index;
    buffer.receive_depth = slot.depth;
}

// Puts the extra capabilities a message is to carry into the sender's IPC buffer; their
// count goes into the message's info (MessageInfo::extra_caps), at most kMaxExtraCaps.
constexpr void set_extra_caps(IpcBuffer& buffer, kstd::Span<const CPtr> caps) {
    for (usize i = 0; i < caps.size() && i < MessageInfo::kMaxExtraCaps; ++i) buffer.caps_or_badges[i] = caps[i].value;
}

// Prints e.g. "Ok badge 0x5 label 0x12 length 2 caps 0/0x0 words 0x1 0x2".
template <kstd::CharSink S> constexpr void format_value(S& sink, const IpcMessage& message) {
    MessageInfo info = message.info();
    kstd::format_to(sink, "{} badge {} label {} length {} caps {}/{}", message.status, kstd::Hex{message.badge},
                    kstd::Hex{info.label}, info.length, info.extra_caps, kstd::Hex{info.caps_unwrapped});
    kstd::format_to(sink, " words {} {} {} {}", kstd::Hex{message.words[0]}, kstd::Hex{message.words[1]},
                    kstd::Hex{message.words[2]}, kstd::Hex{message.words[3]});
}

} // namespace tessera::user
