// Message transfer, seL4's semantics: words are copied up to what the receiver can take;
// extra capabilities need the sender's grant right and an IPC buffer on both sides. One
// capability at most is transferred (the receiver names one receive slot); extra
// capabilities to the endpoint the message travels through are unwrapped (their badge
// delivered instead) whatever their number. The first capability that can be neither
// transferred nor unwrapped ends the list: extra_caps counts those handled before it.
#include <abi/syscalls.hpp>
#include <ipc/transfer.hpp>
#include <kstd/utility.hpp>
#include <object/cspace.hpp>
#include <object/derivation.hpp>
#include <object/derive.hpp>
#include <object/tcb.hpp>

namespace tessera {

IpcThreadAccess& ipc_thread_access() {
    static IpcThreadAccess hooks;
    return hooks;
}

namespace {

u64 copy_words(Tcb& sender, u64 length, Tcb& receiver) {
    IpcThreadAccess& access = ipc_thread_access();
    IpcBuffer* from = access.ipc_buffer(sender);
    IpcBuffer* to = access.ipc_buffer(receiver);
    u64 count = kstd::min(length, MessageInfo::kMaxMessageLength);
    if (from == nullptr || to == nullptr) count = kstd::min(count, kMessageRegisterCount);
    for (u64 i = 0; i < count; ++i) {
        u64 word = i < kMessageRegisterCount ? access.message_register(sender, i) : from->message[i];
        if (i < kMessageRegisterCount)
            access.set_message_register(receiver, i, word);
        else
            to->message[i] = word;
    }
    return count;
}

// The empty slot the receiver named for a capability: (receive_cnode, receive_index,
// receive_depth) in its own CSpace, as CNode operations resolve them. Null when there is
// none; the message then goes without capabilities (not an error, as in seL4).
Slot* receive_slot(Tcb& receiver, const IpcBuffer& buffer) {
    const Capability& root = receiver.slot(TcbSlot::CSpaceRoot).cap;
    if (root.type() != CapType::CNode) return nullptr;
    auto node = lookup_slot(root, buffer.receive_cnode);
    if (!node.ok() || node.value()->cap.type() != CapType::CNode) return nullptr;
    auto slot = lookup_slot_for_cnode_op(false, node.value()->cap, buffer.receive_index, buffer.receive_depth);
    if (!slot.ok() || !slot.value()->is_empty()) return nullptr;
    return slot.value();
}

// The sender's extra capabilities, looked up in its CSpace when the message moves (a
// blocked sender's CSpace may have changed meanwhile). False when one does not resolve:
// then none moves, and the message still goes.
bool look_up_extra_caps(Tcb& sender, const IpcBuffer& buffer, u64 count, Slot** sources) {
    const Capability& root = sender.slot(TcbSlot::CSpaceRoot).cap;
    for (u64 i = 0; i < count; ++i) {
        auto slot = lookup_slot(root, buffer.caps_or_badges[i]);
        if (!slot.ok()) return false;
        sources[i] = slot.value();
    }
    return true;
}

void transfer_capabilities(Tcb& sender, u64 count, const Endpoint* endpoint, Tcb& receiver, MessageInfo& info) {
    IpcThreadAccess& access = ipc_thread_access();
    IpcBuffer* from = access.ipc_buffer(sender);
    IpcBuffer* to = access.ipc_buffer(receiver);
    if (count == 0 || from == nullptr || to == nullptr) return;
    Slot* sources[MessageInfo::kMaxExtraCaps] = {};
    if (!look_up_extra_caps(sender, *from, count, sources)) return;
    Slot* destination = receive_slot(receiver, *to);
    for (u64 i = 0; i < count; ++i) {
        const Capability cap = sources[i]->cap;
        if (endpoint != nullptr && cap.type() == CapType::Endpoint && cap.address() == reinterpret_cast<u64>(endpoint)) {
            to->caps_or_badges[i] = cap.badge();
            info.caps_unwrapped |= u64{1} << i;
        } else {
            if (destination == nullptr) break;
            Capability copy = derive_capability(cap);
            if (copy.is_null()) break;
            insert_child(copy, *sources[i], *destination, is_revocable_derivation(copy, cap));
            destination = nullptr; // one receive slot: one capability per message
        }
        info.extra_caps = i + 1;
    }
}

// A fault message comes from the kernel's record, not from the thread's registers (which
// are the faulting context). Words beyond the registers need the receiver's IPC buffer.
u64 copy_fault_words(const PendingFault& fault, Tcb& receiver) {
    IpcThreadAccess& access = ipc_thread_access();
    IpcBuffer* to = access.ipc_buffer(receiver);
    u64 count = to == nullptr ? kstd::min(fault.length, kMessageRegisterCount) : fault.length;
    for (u64 i = 0; i < count; ++i) {
        if (i < kMessageRegisterCount) access.set_message_register(receiver, i, fault.words[i]);
        else to->message[i] = fault.words[i];
    }
    return count;
}

} // namespace

ReceivedMessage transfer_message(Tcb& sender, const OfferedMessage& offer, const Endpoint* endpoint, Tcb& receiver) {
    ReceivedMessage received;
    if (sender.fault.pending()) {
        received.info.label = sender.fault.label;
        received.info.length = copy_fault_words(sender.fault, receiver);
        received.badge = offer.badge;
        ipc_thread_access().deliver(receiver, received);
        return received;
    }
    received.info.label = offer.info.label;
    received.info.length = copy_words(sender, offer.info.length, receiver);
    received.badge = offer.badge;
    if (offer.can_grant) {
        u64 count = kstd::min(offer.info.extra_caps, MessageInfo::kMaxExtraCaps);
        transfer_capabilities(sender, count, endpoint, receiver, received.info);
    }
    ipc_thread_access().deliver(receiver, received);
    return received;
}

} // namespace tessera
