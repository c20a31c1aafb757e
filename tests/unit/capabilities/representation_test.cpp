// The 16-byte capability, the 32-byte slot and the message-info word: every field of every
// capability type reads back what was stored, with the layout docs/capabilities.md gives.
#include <bit>
#include <cstring>
#include <set>
#include <string>

#include "cap_fixture.hpp"

using namespace captest;

namespace {

struct Words {
    u64 word0;
    u64 word1;
};

Words raw(const Capability& cap) { return std::bit_cast<Words>(cap); }

constexpr u64 kUpper = 0xffffffc012345000ull; // a kernel (upper-half) virtual address
constexpr u64 kLower = 0x0000000010001000ull; // a device physical address
constexpr u64 kTopOfUpper = 0xfffffffffffff000ull;
constexpr u64 kTopOfLower = 0x00007ffffffff000ull;

} // namespace

TEST_CASE("capability and slot layout is fixed") {
    STATIC_REQUIRE(sizeof(Capability) == 16);
    STATIC_REQUIRE(std::is_trivially_copyable_v<Capability>);
    STATIC_REQUIRE(sizeof(Slot) == 32);
    STATIC_REQUIRE(alignof(Slot) == 32);
    STATIC_REQUIRE(kSlotSizeBits == 5);
    STATIC_REQUIRE(kCapTypeCount == 14);
    STATIC_REQUIRE(Capability().is_null());

    // word 0: type 0..4, rights 5..8, small field 9..15, address 16..63; word 1 as is.
    Capability cap = Capability::frame(kUpper, 21, false, Rights{Rights::kWrite | Rights::kGrant});
    Words words = raw(cap);
    CHECK((words.word0 & 0x1f) == static_cast<u64>(CapType::Frame));
    CHECK(((words.word0 >> 5) & 0xf) == (Rights::kWrite | Rights::kGrant));
    CHECK(((words.word0 >> 9) & 0x7f) == 21);
    CHECK((words.word0 >> 16) == (kUpper & 0x0000ffffffffffffull));
    CHECK(words.word1 == 0);

    Capability badged = Capability::endpoint(kUpper, 0x1234, Rights::all());
    CHECK(raw(badged).word1 == 0x1234);
    Capability guarded = Capability::cnode(kUpper, 3, 5, 0x11);
    CHECK(raw(guarded).word1 == ((0x11 << 6) | 5));
    CHECK(raw(Capability::untyped(kUpper, 20, true, 0x4000)).word1 == (0x4000 | 1));
}

TEST_CASE("capability addresses keep 48 bits, sign-extended from bit 47") {
    for (u64 address : {kUpper, kTopOfUpper, u64{0xffff800000000000ull}, kLower, kTopOfLower, u64{0}}) {
        INFO(std::hex << address);
        CHECK(Capability::endpoint(address, 0, Rights::all()).address() == address);
        CHECK(Capability::cnode(address, 4, 0, 0).address() == address);
        CHECK(Capability::untyped(address, 12, false).address() == address);
        CHECK(Capability::zombie(address, CapType::CNode, 3).address() == address);
    }
    // Bits above the 48 that are not a sign extension are not representable: they drop.
    CHECK(Capability::tcb(0x0001'0000'0000'1000ull).address() == 0x1000);
}

TEST_CASE("every capability type round-trips its fields") {
    SECTION("Untyped: size, device bit and watermark") {
        for (unsigned bits : {4u, 12u, 30u, 47u})
            for (bool device : {false, true})
                for (u64 watermark : {u64{0}, u64{16}, u64{1} << (bits - 1), u64{1} << bits}) {
                    Capability cap = Capability::untyped(kUpper, bits, device, watermark);
                    CHECK(cap.type() == CapType::Untyped);
                    CHECK(cap.untyped_size_bits() == bits);
                    CHECK(cap.is_device() == device);
                    CHECK(cap.untyped_watermark() == watermark);
                    CHECK(cap.rights() == Rights::all());
                    CHECK(cap.address() == kUpper);
                }
    }
    SECTION("CNode: radix, guard size and a 58-bit guard") {
        u64 max_guard = (u64{1} << kMaxGuardBits) - 1;
        for (unsigned radix : {1u, 8u, 12u, kMaxCNodeRadix})
            for (auto [bits, guard] : {std::pair<unsigned, u64>{0, 0}, {58, max_guard}, {7, 0x55}, {52, 0}}) {
                Capability cap = Capability::cnode(kUpper, radix, bits, guard);
                CHECK(cap.type() == CapType::CNode);
                CHECK(cap.cnode_radix() == radix);
                CHECK(cap.cnode_guard_bits() == bits);
                CHECK(cap.cnode_guard() == guard);
                CHECK(cap.address() == kUpper);
            }
    }
    SECTION("Endpoint and Notification: a full 64-bit badge and rights") {
        for (u64 badge : {u64{0}, u64{7}, ~u64{0}, u64{1} << 63})
            for (u8 rights = 0; rights <= Rights::kMask; ++rights) {
                Capability ep = Capability::endpoint(kUpper, badge, Rights{rights});
                Capability nt = Capability::notification(kUpper, badge, Rights{rights});
                CHECK(ep.type() == CapType::Endpoint);
                CHECK(nt.type() == CapType::Notification);
                CHECK(ep.badge() == badge);
                CHECK(nt.badge() == badge);
                CHECK(ep.rights().bits == rights);
                CHECK(nt.rights().bits == rights);
                CHECK(ep.address() == kUpper);
            }
    }
    SECTION("Frame: size and device bit; Reply and the others") {
        for (unsigned bits : {12u, 21u, 30u})
            for (bool device : {false, true}) {
                Capability cap = Capability::frame(device ? kLower : kUpper, bits, device, Rights{Rights::kRead});
                CHECK(cap.type() == CapType::Frame);
                CHECK(cap.frame_size_bits() == bits);
                CHECK(cap.is_device() == device);
                CHECK(cap.rights() == Rights{Rights::kRead});
                CHECK(cap.address() == (device ? kLower : kUpper));
            }
        Capability reply = Capability::reply(kUpper, Rights{Rights::kGrant});
        CHECK(reply.type() == CapType::Reply);
        CHECK(reply.rights() == Rights{Rights::kGrant});
        CHECK(Capability::tcb(kUpper).type() == CapType::Tcb);
        CHECK(Capability::tcb(kUpper).address() == kUpper);
        CHECK(Capability::page_table(kUpper).type() == CapType::PageTable);
        CHECK(Capability::page_table(kUpper).address() == kUpper);
        CHECK(Capability::asid_control().type() == CapType::AsidControl);
        CHECK(Capability::asid_pool(kUpper, 0x200).asid_base() == 0x200);
        CHECK(Capability::asid_pool(kUpper, 0x200).type() == CapType::AsidPool);
        CHECK(Capability::irq_control().type() == CapType::IrqControl);
        CHECK(Capability::irq_handler(33).irq_line() == 33);
        CHECK(Capability::irq_handler(33, 7).irq_handler_record() == 7);
        CHECK(Capability::irq_handler(33, 7).irq_line() == 33);
        CHECK(Capability::irq_handler(33).type() == CapType::IrqHandler);
    }
    SECTION("Zombie: the dying object's kind and the slots left") {
        for (CapType kind : {CapType::CNode, CapType::Tcb})
            for (u64 remaining : {u64{0}, u64{5}, u64{1} << 58}) {
                Capability cap = Capability::zombie(kUpper, kind, remaining);
                CHECK(cap.type() == CapType::Zombie);
                CHECK(cap.zombie_kind() == kind);
                CHECK(cap.zombie_remaining() == remaining);
                CHECK(cap.rights() == Rights::none());
                CHECK(cap.address() == kUpper);
            }
    }
}

TEST_CASE("with_rights and with_word1 change only their field") {
    Capability cap = Capability::endpoint(kUpper, 99, Rights::all());
    Capability fewer = cap.with_rights(Rights{Rights::kRead});
    CHECK(fewer.rights() == Rights{Rights::kRead});
    CHECK(fewer.badge() == 99);
    CHECK(fewer.address() == kUpper);
    CHECK(fewer.type() == CapType::Endpoint);
    Capability rebadged = cap.with_word1(5);
    CHECK(rebadged.badge() == 5);
    CHECK(rebadged.rights() == Rights::all());
    CHECK(rebadged.address() == kUpper);
}

TEST_CASE("rights are four bits and masking only removes") {
    CHECK(Rights::from_word(~u64{0}) == Rights::all());
    CHECK(Rights::from_word(0x30) == Rights::none());
    CHECK(Rights::from_word(0x12).bits == 0x2);
    for (u8 a = 0; a <= Rights::kMask; ++a)
        for (u8 b = 0; b <= Rights::kMask; ++b) {
            Rights masked = Rights{a}.masked_by(Rights{b});
            CHECK((masked.bits & ~a) == 0);
            CHECK(masked.bits == (a & b));
        }
    Rights r{Rights::kRead | Rights::kGrantReply};
    CHECK(r.can_read());
    CHECK_FALSE(r.can_write());
    CHECK_FALSE(r.can_grant());
    CHECK(r.can_grant_reply());
    // A capability's rights field holds no more than the four rights.
    CHECK(Capability::endpoint(kUpper, 0, Rights{0xff}).rights() == Rights::all());
    CHECK(Capability::endpoint(kUpper, 0, Rights{0xff}).type() == CapType::Endpoint);
}

TEST_CASE("slot flags live beside the links without disturbing them") {
    alignas(32) Slot slots[3];
    Slot& slot = slots[1];
    slot.set_prev(&slots[0]);
    slot.set_next(&slots[2]);
    for (bool revocable : {false, true})
        for (bool badged : {false, true}) {
            slot.set_revocable(revocable);
            slot.set_first_badged(badged);
            CHECK(slot.revocable() == revocable);
            CHECK(slot.first_badged() == badged);
            CHECK(slot.prev() == &slots[0]);
            CHECK(slot.next() == &slots[2]);
            slot.set_prev(nullptr);
            slot.set_next(&slots[0]);
            CHECK(slot.revocable() == revocable);
            CHECK(slot.first_badged() == badged);
            CHECK(slot.next() == &slots[0]);
            slot.set_prev(&slots[0]);
            slot.set_next(&slots[2]);
        }
    slot.cap = Capability::tcb(kUpper);
    CHECK_FALSE(slot.is_empty());
    slot.clear();
    CHECK(slot.is_empty());
    CHECK(slot.prev() == nullptr);
    CHECK(slot.next() == nullptr);
    CHECK_FALSE(slot.revocable());
    CHECK_FALSE(slot.first_badged());
}

TEST_CASE("message-info word round-trips and clips the length") {
    MessageInfo info;
    info.label = (u64{1} << 52) - 1;
    info.length = 120;
    info.extra_caps = 3;
    info.caps_unwrapped = 5;
    u64 word = info.to_word();
    CHECK((word & 0x7f) == 120);
    CHECK(((word >> 7) & 3) == 3);
    CHECK(((word >> 9) & 7) == 5);
    CHECK((word >> 12) == info.label);
    CHECK(MessageInfo::from_word(word) == info);
    CHECK(MessageInfo::from_word(0x7f).length == 120);
    CHECK(MessageInfo::from_word(121).length == 120);
    CHECK(MessageInfo::from_word((u64{8} << 12) | (2 << 7) | 8) ==
          MessageInfo{static_cast<u64>(InvocationLabel::CNodeRotate), 8, 2, 0});
}

TEST_CASE("object types, their sizes and the names of types and errors") {
    CHECK(object_size_bits(ObjectType::Untyped, 17) == 17);
    CHECK(object_size_bits(ObjectType::Tcb, 0) == 10);
    CHECK(object_size_bits(ObjectType::Endpoint, 0) == 4);
    CHECK(object_size_bits(ObjectType::Notification, 0) == 5);
    CHECK(object_size_bits(ObjectType::CNode, 4) == 9);
    CHECK(object_size_bits(ObjectType::Reply, 0) == 5);
    CHECK(object_size_bits(ObjectType::Frame4K, 0) == 12);
    CHECK(object_size_bits(ObjectType::Frame2M, 0) == 21);
    CHECK(object_size_bits(ObjectType::Frame1G, 0) == 30);
    CHECK(object_size_bits(ObjectType::PageTable, 0) == 12);
    for (u64 type = 0; type < kObjectTypeCount; ++type) {
        auto t = static_cast<ObjectType>(type);
        CHECK(is_frame_type(t) == (type >= 6 && type <= 8));
    }
    std::set<std::string> names;
    for (unsigned type = 0; type < kCapTypeCount; ++type) names.insert(cap_type_name(static_cast<CapType>(type)));
    CHECK(names.size() == kCapTypeCount);
    CHECK(names.count("?") == 0);
    std::set<std::string> errors;
    for (u64 code = 0; code <= 10; ++code) errors.insert(error_code_name(static_cast<ErrorCode>(code)));
    errors.insert(error_code_name(ErrorCode::Preempted));
    CHECK(errors.size() == 12);
    CHECK(errors.count("?") == 0);
}
