// Untyped.Retype(type, size_bits, node_index, node_depth, node_offset, count), extra
// capability 0: the CSpace root for the destination. Carves `count` objects from the
// Untyped, each naturally aligned, above the watermark, into consecutive empty slots.
#include <kstd/bit.hpp>
#include <object/cspace.hpp>
#include <object/derivation.hpp>
#include <object/invocation.hpp>
#include <object/object_types.hpp>

namespace tessera {

namespace {

struct RetypePlan {
    Slot* untyped;
    ObjectType type;
    unsigned user_size_bits;
    unsigned object_bits;
    Slot* destination; // first of `count` consecutive slots
    u64 count;
    u64 first_object; // address of the first object
};

Capability make_object_capability(ObjectType type, u64 address, unsigned user_size_bits, bool device) {
    switch (type) {
    case ObjectType::Untyped: return Capability::untyped(address, user_size_bits, device);
    case ObjectType::Tcb: return Capability::tcb(address);
    case ObjectType::Endpoint: return Capability::endpoint(address, 0, Rights::all());
    case ObjectType::Notification: return Capability::notification(address, 0, Rights::all());
    case ObjectType::CNode: return Capability::cnode(address, user_size_bits, 0, 0);
    case ObjectType::Reply: return Capability::reply(address, Rights::all());
    case ObjectType::Frame4K:
    case ObjectType::Frame2M:
    case ObjectType::Frame1G:
        return Capability::frame(address, object_size_bits(type, user_size_bits), device, Rights::all());
    case ObjectType::PageTable: return Capability::page_table(address);
    }
    return Capability::null();
}

kstd::Result<RetypePlan, InvocationError> decode_retype(const Invocation& invocation) {
    const kstd::Span<const u64>& words = invocation.words;
    if (words.size() < 6 || invocation.extra_caps.empty() || invocation.extra_caps[0] == nullptr)
        return kstd::fail(InvocationError::of(ErrorCode::TruncatedMessage));
    Slot* untyped = invocation.invoked;
    const Capability& cap = untyped->cap;
    RetypePlan plan{};
    plan.untyped = untyped;

    if (words[0] >= kObjectTypeCount) return kstd::fail(InvocationError::invalid_argument(0));
    plan.type = static_cast<ObjectType>(words[0]);
    u64 user_size = words[1];
    if (user_size >= kWordBits - 5 || object_size_bits(plan.type, static_cast<unsigned>(user_size)) > kMaxUntypedBits)
        return kstd::fail(InvocationError::range(0, kMaxUntypedBits));
    plan.user_size_bits = static_cast<unsigned>(user_size);
    plan.object_bits = object_size_bits(plan.type, plan.user_size_bits);
    if (plan.type == ObjectType::CNode && user_size == 0) return kstd::fail(InvocationError::invalid_argument(1));
    if (plan.type == ObjectType::Untyped && user_size < kMinUntypedBits)
        return kstd::fail(InvocationError::range(kMinUntypedBits, kMaxUntypedBits));

    const Capability& root = invocation.extra_caps[0]->cap;
    u64 node_index = words[2];
    u64 node_depth = words[3];
    Slot* node_slot = invocation.extra_caps[0];
    if (node_depth != 0) node_slot = TRY(lookup_slot_for_cnode_op(false, root, node_index, node_depth));
    if (node_slot->cap.type() != CapType::CNode) {
        LookupFailure failure{LookupFailureType::MissingCapability};
        failure.bits_left = node_depth;
        return kstd::fail(InvocationError::failed_lookup(false, failure));
    }
    const Capability& node = node_slot->cap;
    u64 node_size = kstd::bit(node.cnode_radix());
    u64 offset = words[4];
    u64 count = words[5];
    if (offset > node_size - 1) return kstd::fail(InvocationError::range(0, node_size - 1));
    if (count < 1 || count > kRetypeFanOutLimit) return kstd::fail(InvocationError::range(1, kRetypeFanOutLimit));
    if (count > node_size - offset) return kstd::fail(InvocationError::range(1, node_size - offset));
    plan.destination = cnode_slots(node) + offset;
    plan.count = count;
    for (u64 i = 0; i < count; ++i)
        if (!plan.destination[i].is_empty()) return kstd::fail(InvocationError::of(ErrorCode::DeleteFirst));

    // An Untyped with no children starts again from its base: everything carved from it
    // before is gone.
    u64 watermark = has_children(*untyped) ? cap.untyped_watermark() : 0;
    u64 base = cap.address();
    u64 size = kstd::bit(cap.untyped_size_bits());
    u64 free_bytes = size - watermark;
    u64 start = kstd::align_up(base + watermark, kstd::bit(plan.object_bits));
    u64 needed = count << plan.object_bits;
    if (start - base > size || needed > size - (start - base) || (needed >> plan.object_bits) != count)
        return kstd::fail(InvocationError::not_enough_memory(free_bytes));
    if (cap.is_device() && !is_frame_type(plan.type) && plan.type != ObjectType::Untyped)
        return kstd::fail(InvocationError::invalid_argument(1));
    plan.first_object = start;
    return plan;
}

void perform_retype(const RetypePlan& plan) {
    Capability untyped_cap = plan.untyped->cap;
    bool device = untyped_cap.is_device();
    u64 object_size = kstd::bit(plan.object_bits);
    for (u64 i = 0; i < plan.count; ++i) {
        u64 address = plan.first_object + i * object_size;
        // Device memory is never touched by the kernel; RAM is zeroed before it becomes
        // an object, so nothing of a previous object can leak into a new one.
        if (!device) __builtin_memset(reinterpret_cast<void*>(address), 0, object_size);
        Capability object = make_object_capability(plan.type, address, plan.user_size_bits, device);
        insert_child(object, *plan.untyped, plan.destination[i], true);
    }
    u64 watermark = plan.first_object + plan.count * object_size - untyped_cap.address();
    plan.untyped->cap = Capability::untyped(untyped_cap.address(), untyped_cap.untyped_size_bits(), device, watermark);
}

} // namespace

kstd::Result<void, InvocationError> invoke_untyped(const Invocation& invocation) {
    if (invocation.info.label != static_cast<u64>(InvocationLabel::UntypedRetype))
        return kstd::fail(InvocationError::of(ErrorCode::IllegalOperation));
    RetypePlan plan = TRY(decode_retype(invocation));
    perform_retype(plan);
    return {};
}

} // namespace tessera
