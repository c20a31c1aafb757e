// CNode.Describe and TCB.GetStatus: what a capability holder may learn about the
// capabilities it can reach and the threads it controls, so that a root task can show
// them (the shell's `caps` and `ps`). Layouts in abi/introspection.hpp.
//   CNode.Describe(index, depth)   reply: CapabilityDescription words
//   TCB.GetStatus()                reply: ThreadStatusWord words
// Neither changes anything; a capability to the CNode or the TCB is authority enough, as
// it already allows reading registers or copying the capability out.
#include <abi/introspection.hpp>
#include <object/introspection.hpp>
#include <object/tcb.hpp>

namespace tessera {

namespace {

static_assert(static_cast<u64>(CapabilityKind::Zombie) == static_cast<u64>(CapType::Zombie));
static_assert(kCapTypeCount == static_cast<u64>(CapabilityKind::Zombie) + 1);
static_assert(static_cast<u64>(ThreadStatus::BlockedOnReply) == static_cast<u64>(ThreadState::BlockedOnReply));

// The type-specific word a holder can use: what minting or mapping chose.
u64 description_data(const Capability& cap) {
    switch (cap.type()) {
    case CapType::Endpoint:
    case CapType::Notification: return cap.badge();
    case CapType::Untyped: return cap.untyped_watermark();
    case CapType::Frame: return cap.frame_is_mapped() ? cap.frame_mapped_address() : 0;
    case CapType::IrqHandler: return cap.word1() & kIrqLineMask;
    case CapType::CNode:
    case CapType::PageTable:
    case CapType::AsidPool: return cap.word1();
    default: return 0;
    }
}

unsigned description_size_bits(const Capability& cap) {
    switch (cap.type()) {
    case CapType::Untyped: return cap.untyped_size_bits();
    case CapType::Frame: return cap.frame_size_bits();
    case CapType::CNode: return cap.cnode_radix() + kCNodeSlotSizeBits;
    case CapType::Tcb: return kTcbSizeBits;
    case CapType::Endpoint: return kEndpointSizeBits;
    case CapType::Notification: return kNotificationSizeBits;
    case CapType::Reply: return kReplySizeBits;
    case CapType::PageTable: return kPageTableSizeBits;
    case CapType::AsidPool: return kAsidPoolSizeBits;
    default: return 0;
    }
}

bool has_object(CapType type) {
    return type != CapType::Null && type != CapType::AsidControl && type != CapType::IrqControl &&
           type != CapType::IrqHandler;
}

} // namespace

bool describe_capability(const Capability& cap, ReplyWords& reply) {
    return reply.push(static_cast<u64>(cap.type())) && reply.push(has_object(cap.type()) ? cap.rights().bits : 0) &&
           reply.push(description_data(cap)) && reply.push(has_object(cap.type()) ? cap.address() : 0) &&
           reply.push(description_size_bits(cap));
}

bool describe_thread(const Tcb& thread, ReplyWords& reply) {
    u64 name_words[2] = {};
    for (u64 i = 0; i < sizeof(thread.name); ++i) name_words[i / 8] |= u64{static_cast<u8>(thread.name[i])} << (8 * (i % 8));
    return reply.push(static_cast<u64>(thread.state)) && reply.push(thread.schedule.priority) &&
           reply.push(thread.max_controlled_priority) && reply.push(name_words[0]) && reply.push(name_words[1]);
}

} // namespace tessera
