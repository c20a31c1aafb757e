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
//
// Word 1 of the address-space objects (riscv64 Sv39) records where they are mapped, so
// that unmapping and deletion find the entry without searching:
//   Frame      bit 0 device memory, bit 1 mapped, bits 12..37 the mapped user address,
//              bits 48..63 the ASID of the VSpace it is mapped in
//   PageTable  bit 0 mapped below another table, bit 1 a VSpace root with an ASID,
//              bits 2..3 its level (2: entries map 1 GiB, 1: 2 MiB, 0: 4 KiB),
//              bits 12..37 the address of the region it covers (mapped only),
//              bits 48..63 the ASID (mapped or root)
//   AsidPool   the first of its 512 ASIDs
//   IrqHandler bits 0..31 the controller line, bits 32..47 the handler's record in the
//              kernel's handler table (irq/irq_handlers.hpp): the record is the object,
//              so two handlers of one shared line are two objects
#include <abi/vm.hpp>
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

// Word-1 fields of Frame and PageTable capabilities (layout above). A user address is
// page-aligned and below kUserAddressLimit, so it is kept in place in bits 12..37.
inline constexpr u64 kMappingFlagMapped = u64{1} << 1;     // Frame
inline constexpr u64 kMappingFlagDevice = u64{1} << 0;     // Frame
inline constexpr u64 kTableFlagMapped = u64{1} << 0;       // PageTable
inline constexpr u64 kTableFlagRoot = u64{1} << 1;         // PageTable
inline constexpr unsigned kTableLevelShift = 2;            // PageTable, 2 bits
inline constexpr u64 kMappingAddressMask = (kUserAddressLimit - 1) & ~(kPageBytes - 1);
inline constexpr unsigned kMappingAsidShift = 48;
static_assert(kMappingAsidShift + kAsidBits == 64, "the ASID fills the top of word 1");
static_assert(kUserAddressLimit <= (u64{1} << kMappingAsidShift), "a user address stays below the ASID");
static_assert(kPageBytes > (u64{3} << kTableLevelShift), "the flags stay below the page offset");

// Word-1 fields of IrqHandler capabilities (layout above).
inline constexpr u64 kIrqLineMask = 0xffffffff;
inline constexpr unsigned kIrqRecordShift = 32;
inline constexpr u64 kIrqRecordMask = 0xffff;

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
    static constexpr Capability irq_handler(u64 line, u64 record = 0) {
        return Capability(CapType::IrqHandler, Rights::all(), 0, 0,
                          (line & kIrqLineMask) | ((record & kIrqRecordMask) << kIrqRecordShift));
    }
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
    constexpr bool frame_is_mapped() const { return (word1_ & kMappingFlagMapped) != 0; }
    constexpr u64 frame_mapped_asid() const { return word1_ >> kMappingAsidShift; }
    constexpr u64 frame_mapped_address() const { return word1_ & kMappingAddressMask; }
    constexpr Capability frame_mapped_at(u64 asid, u64 vaddr) const {
        return with_word1((word1_ & kMappingFlagDevice) | kMappingFlagMapped | (vaddr & kMappingAddressMask) |
                          (asid << kMappingAsidShift));
    }
    constexpr Capability frame_unmapped() const { return with_word1(word1_ & kMappingFlagDevice); }
    // PageTable.
    constexpr bool page_table_is_mapped() const { return (word1_ & kTableFlagMapped) != 0; }
    constexpr bool page_table_is_root() const { return (word1_ & kTableFlagRoot) != 0; }
    constexpr unsigned page_table_level() const { return static_cast<unsigned>((word1_ >> kTableLevelShift) & 3); }
    constexpr u64 page_table_asid() const { return word1_ >> kMappingAsidShift; }
    constexpr u64 page_table_mapped_address() const { return word1_ & kMappingAddressMask; }
    // Mapped below another table: a table of `level` covering the region at `vaddr`.
    constexpr Capability page_table_mapped_at(u64 asid, u64 vaddr, unsigned level) const {
        return with_word1(kTableFlagMapped | (u64{level & 3} << kTableLevelShift) | (vaddr & kMappingAddressMask) |
                          (asid << kMappingAsidShift));
    }
    constexpr Capability page_table_as_root(u64 asid) const {
        return with_word1(kTableFlagRoot | (u64{2} << kTableLevelShift) | (asid << kMappingAsidShift));
    }
    constexpr Capability page_table_unmapped() const { return with_word1(0); }
    // AsidPool.
    constexpr u64 asid_base() const { return word1_; }
    // IrqHandler.
    constexpr u32 irq_line() const { return static_cast<u32>(word1_ & kIrqLineMask); }
    constexpr u32 irq_handler_record() const { return static_cast<u32>((word1_ >> kIrqRecordShift) & kIrqRecordMask); }
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

// The mapping fields survive a round trip at their extremes.
static_assert(Capability::frame(0x80000000, 12, true, Rights::all())
                  .frame_mapped_at(0xffff, kUserAddressLimit - kPageBytes)
                  .frame_mapped_address() == kUserAddressLimit - kPageBytes);
static_assert(Capability::frame(0x80000000, 12, true, Rights::all()).frame_mapped_at(0xffff, 0).frame_mapped_asid() ==
              0xffff);
static_assert(Capability::frame(0x80000000, 12, true, Rights::all()).frame_mapped_at(1, 0).frame_unmapped().is_device());
static_assert(!Capability::frame(0x80000000, 21, false, Rights::all()).frame_mapped_at(1, 0).is_device());
static_assert(Capability::page_table(0x80000000).page_table_mapped_at(7, 0x40000000, 1).page_table_level() == 1);
static_assert(Capability::page_table(0x80000000).page_table_mapped_at(7, 0x40000000, 1).page_table_asid() == 7);
static_assert(!Capability::page_table(0x80000000).page_table_mapped_at(7, 0, 0).page_table_is_root());
static_assert(Capability::page_table(0x80000000).page_table_as_root(0xffff).page_table_is_root());
static_assert(Capability::page_table(0x80000000).page_table_as_root(0xffff).page_table_asid() == 0xffff);
static_assert(Capability::asid_pool(0x80000000, 0xfe00).asid_base() == 0xfe00);
static_assert(Capability::irq_handler(1023, 0xffff).irq_line() == 1023);
static_assert(Capability::irq_handler(1023, 0xffff).irq_handler_record() == 0xffff);

} // namespace tessera
