// AsidControl.MakePool(index, depth; extra: a 4 KiB Untyped, the destination CNode root)
// and AsidPool.Assign(extra: a PageTable). A pool is 512 ASIDs; the table has room for
// 128 pools (2^16 ASIDs), and ASID 0 (the kernel's) is never handed out.
#include <abi/object_types.hpp>
#include <arch/vspace_platform.hpp>
#include <object/cspace.hpp>
#include <object/derivation.hpp>

#include "vspace_internal.hpp"

namespace arch::vspace {

namespace {

using tessera::InvocationLabel;

struct MakePoolPlan {
    Slot* untyped;
    Slot* destination;
    u64 asid_base;
};

kstd::Result<MakePoolPlan, InvocationError> decode_make_pool(const Invocation& invocation) {
    const kstd::Span<const u64>& words = invocation.words;
    if (words.size() < 2 || invocation.extra_caps.size() < 2 || invocation.extra_caps[0] == nullptr ||
        invocation.extra_caps[1] == nullptr)
        return kstd::fail(error(ErrorCode::TruncatedMessage));
    Slot* untyped = invocation.extra_caps[0];
    const Capability& memory = untyped->cap;
    if (memory.type() != CapType::Untyped || memory.untyped_size_bits() != tessera::kAsidPoolSizeBits ||
        memory.is_device())
        return kstd::fail(InvocationError::invalid_capability(1));
    if (tessera::has_children(*untyped)) return kstd::fail(error(ErrorCode::RevokeFirst));
    Slot* destination = TRY(tessera::lookup_slot_for_cnode_op(false, invocation.extra_caps[1]->cap, words[0], words[1]));
    if (!destination->is_empty()) return kstd::fail(error(ErrorCode::DeleteFirst));
    kstd::Optional<u64> base = free_pool_base();
    if (!base) return kstd::fail(error(ErrorCode::DeleteFirst)); // all 2^16 ASIDs are in pools
    return MakePoolPlan{untyped, destination, *base};
}

Outcome make_pool(const Invocation& invocation) {
    MakePoolPlan plan = TRY(decode_make_pool(invocation));
    Capability memory = plan.untyped->cap;
    u64 pool_bytes = u64{1} << tessera::kAsidPoolSizeBits;
    __builtin_memset(reinterpret_cast<void*>(memory.address()), 0, pool_bytes);
    // The pool uses the whole Untyped, as a Retype of one object would.
    plan.untyped->cap = Capability::untyped(memory.address(), memory.untyped_size_bits(), false, pool_bytes);
    tessera::insert_child(Capability::asid_pool(memory.address(), plan.asid_base), *plan.untyped, *plan.destination,
                          true);
    install_pool(plan.asid_base, reinterpret_cast<AsidPoolObject*>(memory.address()));
    return {};
}

struct AssignPlan {
    Slot* table;
    u64 asid;
};

kstd::Result<AssignPlan, InvocationError> decode_assign(const Invocation& invocation) {
    if (invocation.extra_caps.empty() || invocation.extra_caps[0] == nullptr)
        return kstd::fail(error(ErrorCode::TruncatedMessage));
    const Capability& pool_cap = invocation.invoked->cap;
    AsidPoolObject* pool = pool_at(pool_cap.asid_base());
    if (pool == nullptr || reinterpret_cast<u64>(pool) != pool_cap.address())
        return kstd::fail(InvocationError::invalid_capability(0));
    Slot* table = invocation.extra_caps[0];
    if (table->cap.type() != CapType::PageTable || table->cap.page_table_is_mapped() || table->cap.page_table_is_root())
        return kstd::fail(InvocationError::invalid_capability(1));
    kstd::Optional<u64> asid = free_asid_in(*pool, pool_cap.asid_base());
    if (!asid) return kstd::fail(error(ErrorCode::DeleteFirst)); // the pool is full
    return AssignPlan{table, *asid};
}

Outcome assign(const Invocation& invocation) {
    AssignPlan plan = TRY(decode_assign(invocation));
    u64 root = plan.table->cap.address();
    copy_kernel_half(root);
    set_root(plan.asid, root);
    plan.table->cap = plan.table->cap.page_table_as_root(plan.asid);
    // The ASID may have served a VSpace that is gone: nothing of it may survive in the TLB.
    flush_tlb_asid(plan.asid);
    return {};
}

} // namespace

Outcome invoke_asid_control(const Invocation& invocation) {
    if (invocation.info.label != static_cast<u64>(InvocationLabel::AsidControlMakePool))
        return kstd::fail(error(ErrorCode::IllegalOperation));
    return make_pool(invocation);
}

Outcome invoke_asid_pool(const Invocation& invocation) {
    if (invocation.info.label != static_cast<u64>(InvocationLabel::AsidPoolAssign))
        return kstd::fail(error(ErrorCode::IllegalOperation));
    return assign(invocation);
}

} // namespace arch::vspace
