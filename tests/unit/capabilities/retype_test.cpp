// Untyped.Retype (docs/invocations.md): every object type, sizes, natural alignment,
// consecutive slots, zeroed memory, the watermark and its reset, device memory, and every
// error of the Retype table with its exact details.
#include <cstring>

#include "cap_fixture.hpp"

using namespace captest;

namespace {

constexpr u64 kRoot = Kernel::kRootCNodeSlot;
constexpr u64 kUt = Kernel::kUntypedSlot;

struct TypeCase {
    ObjectType type;
    u64 size_bits; // w1
    unsigned object_bits;
    CapType cap_type;
};

const TypeCase kTypes[] = {
    {ObjectType::Untyped, 4, 4, CapType::Untyped},     {ObjectType::Untyped, 13, 13, CapType::Untyped},
    {ObjectType::Tcb, 0, 10, CapType::Tcb},            {ObjectType::Endpoint, 0, 4, CapType::Endpoint},
    {ObjectType::Notification, 0, 5, CapType::Notification}, {ObjectType::CNode, 1, 6, CapType::CNode},
    {ObjectType::CNode, 6, 11, CapType::CNode},        {ObjectType::Reply, 0, 5, CapType::Reply},
    {ObjectType::Frame4K, 0, 12, CapType::Frame},      {ObjectType::Frame2M, 0, 21, CapType::Frame},
    {ObjectType::PageTable, 0, 12, CapType::PageTable},
};

} // namespace

TEST_CASE("Retype makes every object type, naturally aligned, zeroed, in consecutive slots") {
    for (const TypeCase& c : kTypes) {
        INFO("type " << static_cast<u64>(c.type) << " size " << c.size_bits);
        Kernel k(24); // 16 MiB: four 2 MiB frames and memory after them
        u64 base = k.arena().base();
        u64 object = u64{1} << c.object_bits;
        // Dirty the start so that natural alignment has to skip something.
        REQUIRE(k.retype(kUt, ObjectType::Endpoint, 0, 99) == success());
        REQUIRE(k.retype(kUt, c.type, c.size_bits, 100, 3) == success());
        for (u64 i = 0; i < 3; ++i) {
            const Capability& cap = k.cap(100 + i);
            REQUIRE(cap.type() == c.cap_type);
            u64 expected = base + object * (i + 1); // one object's worth skipped for alignment
            CHECK(cap.address() == expected);
            CHECK(cap.address() % object == 0);
            CHECK(Arena::all_bytes(cap.address(), object, 0));
            CHECK(is_parent_of(k.slot(kUt), k.slot(100 + i)));
            CHECK(k.slot(100 + i).revocable());
            switch (c.cap_type) {
            case CapType::Untyped:
                CHECK(cap.untyped_size_bits() == c.size_bits);
                CHECK_FALSE(cap.is_device());
                CHECK(cap.untyped_watermark() == 0);
                break;
            case CapType::CNode:
                CHECK(cap.cnode_radix() == c.size_bits);
                CHECK(cap.cnode_guard_bits() == 0);
                CHECK(cap.cnode_guard() == 0);
                for (u64 s = 0; s < (u64{1} << c.size_bits); ++s) CHECK(cnode_slots(cap)[s].is_empty());
                break;
            case CapType::Endpoint:
            case CapType::Notification:
                CHECK(cap.badge() == 0);
                CHECK(cap.rights() == Rights::all());
                break;
            case CapType::Frame:
                CHECK(cap.frame_size_bits() == c.object_bits);
                CHECK_FALSE(cap.is_device());
                CHECK(cap.rights() == Rights::all());
                break;
            default: CHECK(cap.rights() == Rights::all()); break;
            }
        }
        CHECK(k.slot(99 + 4).is_empty());
        // Memory past the last object is untouched, and the watermark is right after it.
        u64 end = base + 4 * object;
        CHECK(Arena::all_bytes(end, 64, 0xa5));
        CHECK(k.cap(kUt).untyped_watermark() == 4 * object);
        // Children in creation order follow the Untyped: the last made comes first.
        std::vector<Slot*> children = descendants_of(k.slot(kUt));
        REQUIRE(children.size() == 4);
        CHECK(children[0] == &k.slot(102));
        CHECK(children[2] == &k.slot(100));
        CHECK(children[3] == &k.slot(99));
    }
}

TEST_CASE("Retype places objects above the watermark at their natural alignment") {
    Kernel k(20);
    u64 base = k.arena().base();
    REQUIRE(k.retype(kUt, ObjectType::Endpoint, 0, 10) == success());
    CHECK(k.cap(10).address() == base);
    CHECK(k.cap(kUt).untyped_watermark() == 16);
    REQUIRE(k.retype(kUt, ObjectType::Tcb, 0, 11) == success());
    CHECK(k.cap(11).address() == base + 1024);
    CHECK(k.cap(kUt).untyped_watermark() == 2048);
    REQUIRE(k.retype(kUt, ObjectType::Notification, 0, 12, 2) == success());
    CHECK(k.cap(12).address() == base + 2048);
    CHECK(k.cap(13).address() == base + 2048 + 32);
    REQUIRE(k.retype(kUt, ObjectType::CNode, 4, 14) == success());
    CHECK(k.cap(14).address() == base + 2560);
    REQUIRE(k.retype(kUt, ObjectType::Untyped, 18, 15) == success());
    CHECK(k.cap(15).address() == base + (u64{1} << 18));
    CHECK(k.cap(kUt).untyped_watermark() == (u64{1} << 19));
    // The child Untyped has its own watermark, starting from its own base.
    REQUIRE(k.retype(15, ObjectType::Endpoint, 0, 16, 256) == success());
    CHECK(k.cap(16).address() == base + (u64{1} << 18));
    CHECK(k.cap(16 + 255).address() == base + (u64{1} << 18) + 255 * 16);
    CHECK(k.cap(15).untyped_watermark() == 256 * 16);
    CHECK(k.cap(kUt).untyped_watermark() == (u64{1} << 19));
}

TEST_CASE("Retype starts again from the base once every child is gone") {
    Kernel k(20);
    u64 base = k.arena().base();
    REQUIRE(k.retype(kUt, ObjectType::Endpoint, 0, 10, 3) == success());
    REQUIRE(k.retype(kUt, ObjectType::CNode, 2, 13) == success());
    REQUIRE(k.retype(kUt, ObjectType::Untyped, 12, 14) == success());
    REQUIRE(k.retype(14, ObjectType::Frame4K, 0, 15) == success());
    u64 used = k.cap(kUt).untyped_watermark();
    // Dirty the endpoints and the frame, as their users would.
    std::memset(reinterpret_cast<void*>(base), 0x77, 48);
    std::memset(reinterpret_cast<void*>(k.cap(15).address()), 0x77, 4096);

    SECTION("some children left: no reset") {
        for (u64 slot : {10u, 11u, 13u, 14u}) REQUIRE(k.remove(slot) == success());
        REQUIRE(k.retype(kUt, ObjectType::Endpoint, 0, 20) == success());
        CHECK(k.cap(20).address() == base + used); // slot 12 and 15 still hold children
        REQUIRE(k.remove(15) == success());
        REQUIRE(k.retype(kUt, ObjectType::Endpoint, 0, 21) == success());
        CHECK(k.cap(21).address() == base + used + 16);
    }
    SECTION("all deleted") {
        for (u64 slot : {10u, 11u, 12u, 13u, 14u, 15u}) REQUIRE(k.remove(slot) == success());
        CHECK(descendants_of(k.slot(kUt)).empty());
        REQUIRE(k.retype(kUt, ObjectType::Tcb, 0, 20) == success());
        CHECK(k.cap(20).address() == base);
        CHECK(Arena::all_bytes(base, 1024, 0));
        CHECK(k.cap(kUt).untyped_watermark() == 1024);
    }
    SECTION("all revoked") {
        REQUIRE(k.revoke(kUt) == success());
        for (u64 slot = 10; slot <= 15; ++slot) CHECK(k.slot(slot).is_empty());
        // A full-size request reports the whole region free and then fits.
        REQUIRE(k.retype(kUt, ObjectType::Untyped, 20, 20) == success());
        CHECK(k.cap(20).address() == base);
        CHECK(k.cap(kUt).untyped_watermark() == (u64{1} << 20));
        CHECK(k.retype(kUt, ObjectType::Endpoint, 0, 21) == error(ErrorCode::NotEnoughMemory, {0}));
    }
}

TEST_CASE("a device Untyped yields only frames and Untypeds and is never written") {
    Kernel k(16);
    Arena device(22, 0x5a);
    k.place_original(5, Capability::untyped(device.base(), 22, true));
    for (ObjectType type : {ObjectType::Tcb, ObjectType::Endpoint, ObjectType::Notification, ObjectType::CNode,
                            ObjectType::Reply, ObjectType::PageTable}) {
        INFO("type " << static_cast<u64>(type));
        Unchanged unchanged(k);
        CHECK(k.retype(5, type, 3, 10) == error(ErrorCode::InvalidArgument, {1}));
    }
    REQUIRE(k.retype(5, ObjectType::Frame4K, 0, 10, 2) == success());
    CHECK(k.cap(10).type() == CapType::Frame);
    CHECK(k.cap(10).is_device());
    CHECK(k.cap(10).address() == device.base());
    CHECK(k.cap(11).address() == device.base() + 4096);
    REQUIRE(k.retype(5, ObjectType::Frame2M, 0, 12) == success());
    CHECK(k.cap(12).is_device());
    CHECK(k.cap(12).frame_size_bits() == 21);
    CHECK(k.cap(12).address() == device.base() + (u64{1} << 21));
    REQUIRE(k.revoke(5) == success());
    REQUIRE(k.retype(5, ObjectType::Untyped, 16, 13) == success());
    CHECK(k.cap(13).is_device());
    CHECK(k.retype(13, ObjectType::CNode, 2, 14) == error(ErrorCode::InvalidArgument, {1}));
    REQUIRE(k.retype(13, ObjectType::Frame4K, 0, 14, 16) == success());
    for (u64 i = 0; i < 16; ++i) CHECK(k.cap(14 + i).is_device());
    REQUIRE(k.retype(13, ObjectType::Untyped, 4, 30) == error(ErrorCode::NotEnoughMemory, {0}));
    CHECK(Arena::all_bytes(device.base(), device.size(), 0x5a));
}

TEST_CASE("Retype errors carry the details of the Retype table") {
    Kernel k(20);
    REQUIRE(k.retype(kUt, ObjectType::Endpoint, 0, 20) == success());
    REQUIRE(k.retype(kUt, ObjectType::CNode, 4, 21) == success());
    Unchanged unchanged(k);
    auto retype = [&](u64 type, u64 size, u64 index, u64 depth, u64 offset, u64 count) {
        return k.retype(kUt, type, size, kRoot, index, depth, offset, count);
    };

    // TruncatedMessage: fewer than six words, or no extra[0].
    CHECK(k.invoke(kUt, InvocationLabel::UntypedRetype, {2, 0, 0, 0, 100}, {kRoot}) ==
          error(ErrorCode::TruncatedMessage));
    CHECK(k.invoke(kUt, InvocationLabel::UntypedRetype, {2, 0, 0, 0, 100, 1}, {}) ==
          error(ErrorCode::TruncatedMessage));
    // InvalidArgument 0: an unknown type.
    CHECK(retype(10, 0, 0, 0, 100, 1) == error(ErrorCode::InvalidArgument, {0}));
    CHECK(retype(~u64{0}, 0, 0, 0, 100, 1) == error(ErrorCode::InvalidArgument, {0}));
    // RangeError (0, 47): an object larger than 2^47 bytes.
    CHECK(retype(0, 48, 0, 0, 100, 1) == error(ErrorCode::RangeError, {0, 47}));
    CHECK(retype(4, 43, 0, 0, 100, 1) == error(ErrorCode::RangeError, {0, 47}));
    CHECK(retype(4, ~u64{0} - 4, 0, 0, 100, 1) == error(ErrorCode::RangeError, {0, 47}));
    // InvalidArgument 1: a CNode of radix 0.
    CHECK(retype(4, 0, 0, 0, 100, 1) == error(ErrorCode::InvalidArgument, {1}));
    // RangeError (4, 47): an Untyped smaller than 16 bytes.
    CHECK(retype(0, 3, 0, 0, 100, 1) == error(ErrorCode::RangeError, {4, 47}));
    CHECK(retype(0, 0, 0, 0, 100, 1) == error(ErrorCode::RangeError, {4, 47}));
    // FailedLookup (destination): the node does not resolve or is not a CNode.
    CHECK(k.retype(kUt, 2, 0, 20, 0, 0, 0, 1) == lookup_error(false, LookupFailureType::MissingCapability, {0}));
    CHECK(retype(2, 0, 20, 64, 0, 1) == lookup_error(false, LookupFailureType::MissingCapability, {64}));
    CHECK(retype(2, 0, 300, 64, 0, 1) == lookup_error(false, LookupFailureType::MissingCapability, {64}));
    CHECK(k.retype(kUt, 2, 0, 20, 5, 64, 0, 1) == lookup_error(false, LookupFailureType::InvalidRoot));
    CHECK(retype(2, 0, 21, 10, 0, 1) == lookup_error(false, LookupFailureType::GuardMismatch, {10, 0, 52}));
    CHECK(retype(2, 0, u64{1} << 40, 64, 0, 1) == lookup_error(false, LookupFailureType::GuardMismatch, {64, 0, 52}));
    CHECK(k.retype(kUt, 2, 0, 21, 1, 3, 0, 1) == lookup_error(false, LookupFailureType::DepthMismatch, {3, 4}));
    CHECK(k.retype(kUt, 2, 0, 21, 0x10, 8, 0, 1) == lookup_error(false, LookupFailureType::DepthMismatch, {4, 0}));
    // RangeError (0, slots - 1): the offset is beyond the CNode.
    CHECK(retype(2, 0, 0, 0, 4096, 1) == error(ErrorCode::RangeError, {0, 4095}));
    CHECK(retype(2, 0, 21, 64, 16, 1) == error(ErrorCode::RangeError, {0, 15}));
    // RangeError (1, 256): no objects, or too many.
    CHECK(retype(2, 0, 0, 0, 100, 0) == error(ErrorCode::RangeError, {1, 256}));
    CHECK(retype(2, 0, 0, 0, 100, 257) == error(ErrorCode::RangeError, {1, 256}));
    // RangeError (1, slots - offset): the objects would run past the CNode's end.
    CHECK(retype(2, 0, 0, 0, 4090, 7) == error(ErrorCode::RangeError, {1, 6}));
    CHECK(retype(2, 0, 21, 64, 10, 7) == error(ErrorCode::RangeError, {1, 6}));
    // DeleteFirst: a destination slot is occupied (here the last of three).
    CHECK(retype(2, 0, 0, 0, 18, 3) == error(ErrorCode::DeleteFirst));
    // NotEnoughMemory: the bytes free above the watermark (1 MiB - 1 KiB here).
    u64 free_bytes = (u64{1} << 20) - k.cap(kUt).untyped_watermark();
    CHECK(retype(0, 20, 0, 0, 100, 1) == error(ErrorCode::NotEnoughMemory, {free_bytes}));
    CHECK(retype(8, 0, 0, 0, 100, 1) == error(ErrorCode::NotEnoughMemory, {free_bytes})); // 1 GiB frame
    CHECK(retype(0, 19, 0, 0, 100, 2) == error(ErrorCode::NotEnoughMemory, {free_bytes}));
    // IllegalOperation: any other label on an Untyped.
    for (u64 label : {0ull, 2ull, 3ull, 4ull, 8ull, 9ull, 1000ull}) {
        INFO("label " << label);
        CHECK(k.invoke(kUt, label, {2, 0, 0, 0, 100, 1}, {kRoot}) == error(ErrorCode::IllegalOperation));
    }
    // The depth itself is range-checked as in every CNode lookup.
    CHECK(retype(2, 0, 21, 65, 0, 1) == error(ErrorCode::RangeError, {1, 64}));
}

TEST_CASE("Retype into a CNode named by index and depth, and the size word of fixed-size types") {
    Kernel k(20);
    REQUIRE(k.retype(kUt, ObjectType::CNode, 3, 30) == success());
    // Through the root CNode at depth 64 to slot 30, then slots 5..7 of that CNode.
    REQUIRE(k.retype(kUt, 3, 58, kRoot, 30, 64, 5, 3) == success());
    Slot* node = cnode_slots(k.cap(30));
    for (u64 i = 0; i < 8; ++i) CHECK(node[i].is_empty() == (i < 5));
    CHECK(node[5].cap.type() == CapType::Notification);
    // extra[0] itself (depth 0) when it is that CNode.
    REQUIRE(k.retype(kUt, 2, 0, 30, 0, 0, 0, 5) == success());
    for (u64 i = 0; i < 5; ++i) CHECK(node[i].cap.type() == CapType::Endpoint);
    CHECK(k.retype(kUt, 2, 0, 30, 0, 0, 0, 1) == error(ErrorCode::DeleteFirst));
    // Invoking an empty slot is an invalid capability, not a lookup fault.
    CHECK(k.retype(77, ObjectType::Endpoint, 0, 100) == error(ErrorCode::InvalidCapability, {0}));
    // Objects of a fixed size ignore w1 as long as it is a sane number.
    REQUIRE(k.retype(kUt, ObjectType::Endpoint, 17, 40) == success());
    CHECK(k.cap(40).type() == CapType::Endpoint);
}
