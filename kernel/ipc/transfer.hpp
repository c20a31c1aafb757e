#pragma once
// Moving one message from a sender to a receiver: the words, then (with the grant right)
// the extra capabilities. Both threads are out of every queue when this runs.
#include <ipc/ipc_objects.hpp>
#include <ipc/thread_access.hpp>

namespace tessera {

// A message as its sender offers it: the info word's fields, and what the capability it
// was sent through says (its badge; whether it may grant).
struct OfferedMessage {
    MessageInfo info;
    u64 badge = 0;
    bool can_grant = false;
};

// Copies the words (truncated to what both threads can hold: 4 register words without an
// IPC buffer on either side, kMaxMessageLength with both) and transfers or unwraps the
// extra capabilities, then delivers the receiver's message info and the badge (status Ok).
// `endpoint` is what the message travels through (null for a Reply: nothing is unwrapped).
// Returns what was delivered.
ReceivedMessage transfer_message(Tcb& sender, const OfferedMessage& offer, const Endpoint* endpoint, Tcb& receiver);

} // namespace tessera
