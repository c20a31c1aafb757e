#pragma once
// A capability: a 16-byte, trivially copyable value naming an object and what its holder
// may do with it. Layout (documented in docs/capabilities.md):
//
//   word 0  bits  0..4   type (CapType)
//           bits  5..8   rights (read, write, grant, grant-reply)
//           bits  9..15  a small type-specific field (CNode radix, object size in bits)
//           bits 16..63  object address (48 bits, sign-extended: kernel addresses are
//                        upper-half, so bit 47 is set; physical for device memory)
//   word 1               type-specific: badge, guard, watermark, IRQ line, ...
#include <kstd/bit.hpp>
#include <kstd/types.hpp>

namespace tessera {

enum class CapType : u8 {
    Null = 0,
    Untyped = 1,
    CNode = 2,
    Tcb = 3,
    Endpoint = 4,
    Notification = 5,
    Reply = 6,
    Frame = 7,
    PageTable = 8,
    AsidControl = 9,
    AsidPool = 10,
    IrqControl = 11,
    IrqHandler = 12,
    // Internal: a CNode or TCB whose last capability is being deleted, slot by slot.
    Zombie = 13,
};

inline constexpr unsigned kCapTypeCount = 14;

const char* cap_type_name(CapType type);

// Rights: what a capability allows. Derived capabilities may only lose rights.
struct Rights {
    u8 bits = 0;

    static constexpr u8 kRead = 1 << 0;
    static constexpr u8 kWrite = 1 << 1;
    static constexpr u8 kGrant = 1 << 2;
    static constexpr u8 kGrantReply = 1 << 3;
    static constexpr u8 kMask = 0xf;

    static constexpr Rights all() { return Rights{kMask}; }
    static constexpr Rights none() { return Rights{0}; }
    static constexpr Rights from_word(u64 word) { return Rights{static_cast<u8>(word & kMask)}; }

    constexpr bool can_read() const { return (bits & kRead) != 0; }
    constexpr bool can_write() const { return (bits & kWrite) != 0; }
    constexpr bool can_grant() const { return (bits & kGrant) != 0; }
    constexpr bool can_grant_reply() const { return (bits & kGrantReply) != 0; }
    constexpr Rights masked_by(Rights mask) const { return Rights{static_cast<u8>(bits & mask.bits)}; }
    constexpr bool operator==(const Rights&) const = default;
};

// The CNode guard: `guard_bits` bits that a capability pointer must match, value below.
inline constexpr unsigned kMaxCNodeRadix = 58;
inline constexpr unsigned kMaxGuardBits = 58;

class Capability {
public:
    constexpr Capability() = default;

    static constexpr Capability null() { return Capability(); }

    static constexpr Capability untyped(u64 address, unsigned size_bits, bool device, u64 watermark = 0) {
        return Capability(CapType::Untyped, Rights::all(), size_bits, address, (watermark & ~u64{1}) | (device ? 1 : 0));
    }
    static constexpr Capability cnode(u64 address, unsigned radix, unsigned guard_bits, u64 guard) {
        return Capability(CapType::CNode, Rights::all(), radix, address, (guard << 6) | guard_bits);
    }
    static constexpr Capability tcb(u64 address) { return Capability(CapType::Tcb, Rights::all(), 0, address, 0); }
    static constexpr Capability endpoint(u64 address, u64 badge, Rights rights) {
        return Capability(CapType::Endpoint, rights, 0, address, badge);
    }
    static constexpr Capability notification(u64 address, u64 badge, Rights rights) {
        return Capability(CapType::Notification, rights, 0, address, badge);
    }
    static constexpr Capability reply(u64 address, Rights rights) {
        return Capability(CapType::Reply, rights, 0, address, 0);
    }
    static constexpr Capability frame(u64 address, unsigned size_bits, bool device, Rights rights) {
        return Capability(CapType::Frame, rights, size_bits, address, device ? 1 : 0);
    }
    static constexpr Capability page_table(u64 address) {
        return Capability(CapType::PageTable, Rights::all(), 0, address, 0);
    }
    static constexpr Capability asid_control() { return Capability(CapType::AsidControl, Rights::all(), 0, 0, 0); }
    static constexpr Capability asid_pool(u64 address, u64 asid_base) {
        return Capability(CapType::AsidPool, Rights::all(), 0, address, asid_base);
    }
    static constexpr Capability irq_control() { return Capability(CapType::IrqControl, Rights::all(), 0, 0, 0); }
    static constexpr Capability irq_handler(u64 irq) { return Capability(CapType::IrqHandler, Rights::all(), 0, 0, irq); }
    // A zombie keeps the dying object's address, its kind (CNode or TCB) and how many of
    // its slots are still to be emptied.
    static constexpr Capability zombie(u64 address, CapType dying, u64 remaining_slots) {
        return Capability(CapType::Zombie, Rights::none(), static_cast<unsigned>(dying), address, remaining_slots);
    }

    constexpr CapType type() const { return static_cast<CapType>(word0_ & 0x1f); }
    constexpr bool is_null() const { return type() == CapType::Null; }
    constexpr Rights rights() const { return Rights{static_cast<u8>((word0_ >> 5) & Rights::kMask)}; }
    constexpr unsigned small_field() const { return static_cast<unsigned>((word0_ >> 9) & 0x7f); }
    constexpr u64 address() const { return static_cast<u64>(static_cast<i64>(word0_) >> 16); }
    constexpr u64 word1() const { return word1_; }

    // Untyped.
    constexpr unsigned untyped_size_bits() const { return small_field(); }
    constexpr bool is_device() const { return (word1_ & 1) != 0; }
    constexpr u64 untyped_watermark() const { return word1_ & ~u64{1}; }
    // CNode.
    constexpr unsigned cnode_radix() const { return small_field(); }
    constexpr unsigned cnode_guard_bits() const { return static_cast<unsigned>(word1_ & 0x3f); }
    constexpr u64 cnode_guard() const { return word1_ >> 6; }
    // Endpoint and Notification.
    constexpr u64 badge() const { return word1_; }
    // Frame.
    constexpr unsigned frame_size_bits() const { return small_field(); }
    // AsidPool.
    constexpr u64 asid_base() const { return word1_; }
    // IrqHandler.
    constexpr u64 irq() const { return word1_; }
    // Zombie.
    constexpr CapType zombie_kind() const { return static_cast<CapType>(small_field()); }
    constexpr u64 zombie_remaining() const { return word1_; }

    constexpr Capability with_rights(Rights rights) const {
        Capability copy = *this;
        copy.word0_ = (word0_ & ~(u64{Rights::kMask} << 5)) | (u64{rights.bits} << 5);
        return copy;
    }
    constexpr Capability with_word1(u64 word1) const {
        Capability copy = *this;
        copy.word1_ = word1;
        return copy;
    }

    constexpr bool operator==(const Capability&) const = default;

private:
    constexpr Capability(CapType type, Rights rights, unsigned small, u64 address, u64 word1)
        : word0_(static_cast<u64>(type) | (u64{rights.bits} << 5) | (u64{small & 0x7f} << 9) | (address << 16)),
          word1_(word1) {}

    u64 word0_ = 0;
    u64 word1_ = 0;
};

static_assert(sizeof(Capability) == 16);
static_assert(__is_trivially_copyable(Capability));

} // namespace tessera
