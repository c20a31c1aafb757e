// The address-space objects as the rest of the kernel sees them: registration with the
// invocation and deletion hooks, the VSpace-root check, the boot-time calls (which run the
// invocations' own decoders) and the kernel's view of user memory.
#include <arch/address_space.hpp>
#include <arch/vspace_platform.hpp>

#include "vspace_internal.hpp"

namespace arch {

namespace {

using namespace vspace;
using tessera::InvocationLabel;

Outcome invoke_address_space_object(const Invocation& invocation) {
    switch (invocation.invoked->cap.type()) {
    case CapType::Frame: return invoke_frame(invocation);
    case CapType::PageTable: return invoke_page_table(invocation);
    case CapType::AsidControl: return invoke_asid_control(invocation);
    case CapType::AsidPool: return invoke_asid_pool(invocation);
    default: return kstd::fail(error(ErrorCode::IllegalOperation));
    }
}

// Runs one invocation on behalf of the kernel's boot code, exactly as a user's would run.
Outcome invoke_at_boot(InvocationLabel label, Slot& invoked, kstd::Span<const u64> words, Slot* extra) {
    Slot* extra_caps[1] = {extra};
    tessera::Invocation invocation{};
    invocation.info.label = static_cast<u64>(label);
    invocation.info.length = words.size();
    invocation.info.extra_caps = extra != nullptr ? 1 : 0;
    invocation.words = words;
    invocation.invoked = &invoked;
    invocation.extra_caps = kstd::Span<Slot* const>(extra_caps, extra != nullptr ? 1 : 0);
    return invoke_address_space_object(invocation);
}

} // namespace

void install_address_space_objects() {
    tessera::object_invokers().address_space = invoke_address_space_object;
    tessera::object_invokers().is_vspace_root = is_valid_vspace_root;
    tessera::ObjectFinalisers& finalisers = tessera::object_finalisers();
    finalisers.frame = finalise_frame;
    finalisers.page_table = finalise_page_table;
    finalisers.asid_pool = finalise_asid_pool;
}

bool is_valid_vspace_root(const tessera::Capability& cap) {
    return vspace_root_of(cap, 0).ok();
}

tessera::Capability boot_make_asid_pool(u64 pool_kernel_address, u64 asid_base) {
    if (asid_base % tessera::kAsidPoolSize != 0 || asid_base >= (u64{1} << tessera::kAsidBits) ||
        pool_at(asid_base) != nullptr || pool_kernel_address % (u64{1} << tessera::kAsidPoolSizeBits) != 0)
        return tessera::Capability::null();
    install_pool(asid_base, reinterpret_cast<AsidPoolObject*>(pool_kernel_address));
    return tessera::Capability::asid_pool(pool_kernel_address, asid_base);
}

kstd::Result<void, InvocationError> boot_assign_asid(Slot& pool, Slot& root_table) {
    if (pool.cap.type() != CapType::AsidPool) return kstd::fail(InvocationError::invalid_capability(0));
    return invoke_at_boot(InvocationLabel::AsidPoolAssign, pool, {}, &root_table);
}

kstd::Result<void, InvocationError> boot_map_page_table(Slot& vspace, Slot& table, u64 vaddr) {
    if (table.cap.type() != CapType::PageTable) return kstd::fail(InvocationError::invalid_capability(0));
    const u64 words[] = {vaddr, tessera::kVmAttributesNone};
    return invoke_at_boot(InvocationLabel::PageTableMap, table, kstd::Span<const u64>(words), &vspace);
}

kstd::Result<void, InvocationError> boot_map_frame(Slot& vspace, Slot& frame, u64 vaddr, u64 vm_rights) {
    if (frame.cap.type() != CapType::Frame) return kstd::fail(InvocationError::invalid_capability(0));
    const u64 words[] = {vaddr, vm_rights, tessera::kVmAttributesNone};
    return invoke_at_boot(InvocationLabel::FrameMap, frame, kstd::Span<const u64>(words), &vspace);
}

u8* user_memory(const tessera::Capability& vspace, u64 vaddr, u64 bytes, bool write) {
    auto root = vspace_root_of(vspace, 0);
    if (!root || !is_user_range(vaddr, bytes)) return nullptr;
    EntryRef found = walk(root.value(), vaddr, 0);
    sv39::Pte pte = *found.entry;
    sv39::Pte needed = sv39::kValid | sv39::kUser | sv39::kRead | (write ? sv39::kWrite : 0);
    if ((pte & needed) != needed || (pte & kDeviceMapping) != 0) return nullptr;
    u64 page_bytes = sv39::page_size_at_level(found.level);
    u64 offset = vaddr & (page_bytes - 1);
    if (bytes > page_bytes - offset) return nullptr; // the range leaves the page
    return reinterpret_cast<u8*>(kernel_address_of(sv39::pte_physical(pte)) + offset);
}

} // namespace arch
