#include <kstd/bit.hpp>
#include <object/cspace.hpp>
#include <object/derive.hpp>

namespace tessera {

Capability update_capability_data(bool preserve, u64 data, const Capability& cap) {
    switch (cap.type()) {
    case CapType::Endpoint:
    case CapType::Notification:
        if (!preserve && cap.badge() == 0) return cap.with_word1(data);
        return Capability::null();
    case CapType::CNode: {
        u64 guard_bits = data & 0x3f;
        if (guard_bits + cap.cnode_radix() > kWordBits) return Capability::null();
        u64 guard = (data >> 6) & kstd::low_mask(static_cast<unsigned>(guard_bits));
        return Capability::cnode(cap.address(), cap.cnode_radix(), static_cast<unsigned>(guard_bits), guard);
    }
    default: return cap;
    }
}

Capability derive_capability(const Capability& cap) {
    switch (cap.type()) {
    case CapType::Zombie:
    case CapType::IrqControl:
    case CapType::Reply:
    case CapType::Null:
    // An Untyped region has one watermark, kept in its one capability: Untyped
    // capabilities move but are never copied.
    case CapType::Untyped: return Capability::null();
    // Each frame capability maps its frame at most once and records where: a copy starts
    // unmapped (seL4 semantics), so deleting it never takes the original's mapping away.
    case CapType::Frame: return cap.frame_unmapped();
    // An unmapped table's capability is the only way to map it; two of them could map the
    // same table in two places, so only mapped tables and roots are copied, keeping the
    // mapping they record (copies of a root are what TCBs hold). As in seL4.
    case CapType::PageTable:
        if (!cap.page_table_is_mapped() && !cap.page_table_is_root()) return Capability::null();
        return cap;
    default: return cap;
    }
}

} // namespace tessera
