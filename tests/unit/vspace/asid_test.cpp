// AsidControl.MakePool and AsidPool.Assign, and what happens to ASIDs when roots and pools
// go: stale VSpace capabilities are refused, reassigned ASIDs are flushed first.
#include "vspace_fixture.hpp"

#include <set>

#include <vspace/vspace_internal.hpp>

using namespace vstest;
using namespace arch::sv39;

namespace {

constexpr u64 G1 = u64{1} << 30;

} // namespace

TEST_CASE("MakePool turns a 4 KiB Untyped into a pool of 512 ASIDs, a child of the Untyped") {
    Space s(false);
    REQUIRE(s.retype(Kernel::kUntypedSlot, ObjectType::Untyped, 12, 4) == success());
    u64 memory = s.cap(4).address();
    std::memset(reinterpret_cast<void*>(memory), 0x5a, 4096);
    REQUIRE(s.make_pool(4, 5) == success());
    CHECK(s.cap(5) == Capability::asid_pool(memory, 0));
    CHECK(Arena::all_bytes(memory, 4096, 0));
    CHECK(s.cap(4).untyped_watermark() == 4096);
    CHECK(descendants_of(s.slot(4)) == std::vector<Slot*>{&s.slot(5)});
    CHECK(arch::vspace::pool_at(0) == reinterpret_cast<arch::vspace::AsidPoolObject*>(memory));
    // The next pool takes the next 512 ASIDs.
    REQUIRE(s.retype(Kernel::kUntypedSlot, ObjectType::Untyped, 12, 6) == success());
    REQUIRE(s.make_pool(6, 7) == success());
    CHECK(s.cap(7).asid_base() == 512);
}

TEST_CASE("MakePool refuses a wrong Untyped, one with children, a bad destination, a truncated message") {
    Space s(false);
    REQUIRE(s.retype(Kernel::kUntypedSlot, ObjectType::Untyped, 12, 4) == success());
    REQUIRE(s.retype(Kernel::kUntypedSlot, ObjectType::Untyped, 13, 6) == success());
    REQUIRE(s.retype(Kernel::kUntypedSlot, ObjectType::Untyped, 12, 7) == success());
    REQUIRE(s.retype(7, ObjectType::Endpoint, 0, 8) == success());
    s.place_original(9, Capability::untyped(0x10000000, 12, true));
    s.new_tables(10);
    {
        NothingChanges unchanged(s);
        CHECK(s.invoke(Space::kAsidControl, InvocationLabel::AsidControlMakePool, {5, 64}, {4}) ==
              error(ErrorCode::TruncatedMessage));
        CHECK(s.invoke(Space::kAsidControl, InvocationLabel::AsidControlMakePool, {5}, {4, Kernel::kRootCNodeSlot}) ==
              error(ErrorCode::TruncatedMessage));
        CHECK(s.make_pool(6, 5) == invalid_capability(1));  // 8 KiB
        CHECK(s.make_pool(9, 5) == invalid_capability(1));  // device memory
        CHECK(s.make_pool(10, 5) == invalid_capability(1)); // not an Untyped
        CHECK(s.make_pool(7, 5) == error(ErrorCode::RevokeFirst));
        CHECK(s.make_pool(4, 4) == error(ErrorCode::DeleteFirst));
        CHECK(s.invoke(Space::kAsidControl, InvocationLabel::AsidControlMakePool, {5, 0}, {4, Kernel::kRootCNodeSlot}) ==
              error(ErrorCode::RangeError, {1, 64}));
        CHECK(s.invoke(Space::kAsidControl, InvocationLabel::AsidControlMakePool, {5, 64}, {4, 10}) ==
              lookup_error(false, LookupFailureType::InvalidRoot));
        CHECK(s.invoke(Space::kAsidControl, InvocationLabel::AsidPoolAssign, {}, {10}) ==
              error(ErrorCode::IllegalOperation));
    }
}

TEST_CASE("MakePool refuses when all 2^16 ASIDs are in pools") {
    Space s(false);
    alignas(4096) static arch::vspace::AsidPoolObject pools[arch::vspace::kAsidPoolCount];
    for (u64 i = 0; i < arch::vspace::kAsidPoolCount; ++i)
        REQUIRE(arch::boot_make_asid_pool(reinterpret_cast<u64>(&pools[i]), i * 512) ==
                Capability::asid_pool(reinterpret_cast<u64>(&pools[i]), i * 512));
    REQUIRE(s.retype(Kernel::kUntypedSlot, ObjectType::Untyped, 12, 4) == success());
    NothingChanges unchanged(s);
    CHECK(s.make_pool(4, 5) == error(ErrorCode::DeleteFirst));
}

TEST_CASE("Assign gives the lowest free ASID (never 0), copies the kernel half in and flushes the ASID") {
    Space s;
    s.new_tables(10, 3);
    platform_log().clear();
    REQUIRE(s.assign(Space::kPool, 10) == success());
    CHECK(s.cap(10).page_table_is_root());
    CHECK(s.cap(10).page_table_asid() == 1);
    CHECK(arch::is_valid_vspace_root(s.cap(10)));
    CHECK(platform_log().flushes == std::vector<Flush>{asid_flush(1)});
    const Pte* root = reinterpret_cast<const Pte*>(s.cap(10).address());
    for (u64 i = 0; i < 512; ++i) CHECK(root[i] == (i < kFirstKernelEntry ? 0 : kernel_entry(i)));
    REQUIRE(s.assign(Space::kPool, 11) == success());
    CHECK(s.cap(11).page_table_asid() == 2);
    // A freed ASID is handed out again, flushed first.
    REQUIRE(s.remove(10) == success());
    platform_log().clear();
    REQUIRE(s.assign(Space::kPool, 12) == success());
    CHECK(s.cap(12).page_table_asid() == 1);
    CHECK(platform_log().flushes == std::vector<Flush>{asid_flush(1)});
    CHECK(arch::is_valid_vspace_root(s.cap(12)));
}

TEST_CASE("a pool serves 511 VSpaces when it covers ASID 0 and 512 otherwise, then refuses") {
    Space s(true, 23, 11);
    s.new_pool(6, 7);
    u64 next_slot = 100;
    auto fill = [&](u64 pool, u64 count) {
        std::set<u64> asids;
        for (u64 i = 0; i < count; ++i) {
            if (i % 256 == 0) s.new_tables(next_slot, std::min<u64>(256, count + 1 - i));
            REQUIRE(s.assign(pool, next_slot) == success());
            asids.insert(s.cap(next_slot).page_table_asid());
            ++next_slot;
        }
        if (count % 256 == 0) s.new_tables(next_slot);
        NothingChanges unchanged(s);
        CHECK(s.assign(pool, next_slot) == error(ErrorCode::DeleteFirst));
        return asids;
    };
    std::set<u64> first = fill(Space::kPool, 511);
    CHECK(first.size() == 511);
    CHECK(*first.begin() == 1);
    CHECK(*first.rbegin() == 511);
    ++next_slot;
    std::set<u64> second = fill(7, 512);
    CHECK(second.size() == 512);
    CHECK(*second.begin() == 512);
    CHECK(*second.rbegin() == 1023);
}

TEST_CASE("Assign refuses anything but an unmapped, unassigned page table, and truncated messages") {
    Space s;
    s.new_vspace(10);
    s.new_tables(11, 2);
    s.new_frames(30);
    REQUIRE(s.map_table(11, 10, 0) == success());
    NothingChanges unchanged(s);
    CHECK(s.invoke(Space::kPool, InvocationLabel::AsidPoolAssign, {}) == error(ErrorCode::TruncatedMessage));
    CHECK(s.assign(Space::kPool, 10) == invalid_capability(1)); // already a root
    CHECK(s.assign(Space::kPool, 11) == invalid_capability(1)); // mapped below a root
    CHECK(s.assign(Space::kPool, 30) == invalid_capability(1)); // a frame
    CHECK(s.assign(Space::kPool, Space::kPool) == invalid_capability(1));
    CHECK(s.invoke(Space::kPool, InvocationLabel::AsidControlMakePool, {0, 64}, {12, 2}) ==
          error(ErrorCode::IllegalOperation));
}

TEST_CASE("deleting a pool takes every ASID back: its VSpaces are refused, left and flushed") {
    Space s;
    s.new_vspace(10);
    s.new_vspace(11);
    s.new_tables(12);
    s.new_frames(30);
    REQUIRE(s.copy(13, 10) == success()); // as a TCB would hold it
    u64 root10 = s.cap(10).address(), root11 = s.cap(11).address();
    platform_log().clear();
    REQUIRE(s.remove(Space::kPool) == success());
    CHECK_FALSE(arch::is_valid_vspace_root(s.cap(10)));
    CHECK_FALSE(arch::is_valid_vspace_root(s.cap(13)));
    CHECK_FALSE(arch::is_valid_vspace_root(s.cap(11)));
    CHECK(platform_log().flushes == std::vector<Flush>{asid_flush(1), asid_flush(2)});
    CHECK(platform_log().left == std::vector<u64>{root10, root11});
    {
        NothingChanges unchanged(s);
        CHECK(s.map_table(12, 10, 0) == invalid_root());
        CHECK(s.map_frame(30, 13, 0x1000) == invalid_root());
        CHECK(s.assign(Space::kPool, 12) == invalid_capability(0)); // the slot is empty now
        CHECK(s.assign(Space::kPool + 1, 10) == invalid_capability(0));
    }
    // A new pool over the same ASIDs: the old roots stay refused, even once ASID 1 is taken.
    s.new_pool(6, 7);
    CHECK(s.cap(7).asid_base() == 0);
    REQUIRE(s.assign(7, 12) == success());
    CHECK(s.cap(12).page_table_asid() == 1);
    CHECK_FALSE(arch::is_valid_vspace_root(s.cap(10)));
    CHECK(s.map_frame(30, 10, 0x1000) == invalid_root());
    CHECK(s.assign(7, 10) == invalid_capability(1)); // a dead root is never assigned again
    // Deleting the dead root touches nothing of the new owner of ASID 1.
    platform_log().clear();
    REQUIRE(s.remove(10) == success());
    REQUIRE(s.remove(13) == success());
    CHECK(platform_log().flushes.empty());
    CHECK(arch::is_valid_vspace_root(s.cap(12)));
}

TEST_CASE("a deleted root's ASID goes to a new VSpace: old mappings' capabilities cannot reach it") {
    Space s;
    s.new_vspace(10);
    s.new_tables(11, 2);
    s.new_frames(30, 2);
    REQUIRE(s.map_table(11, 10, G1) == success());
    REQUIRE(s.map_table(12, 10, G1) == success());
    REQUIRE(s.map_frame(30, 10, G1) == success());
    u64 root10 = s.cap(10).address();
    platform_log().clear();
    REQUIRE(s.remove(10) == success());
    CHECK(platform_log().flushes == std::vector<Flush>{asid_flush(1)});
    CHECK(platform_log().left == std::vector<u64>{root10});

    s.new_vspace(20);
    REQUIRE(s.cap(20).page_table_asid() == 1);
    s.new_tables(21, 2);
    REQUIRE(s.map_table(21, 20, G1) == success());
    REQUIRE(s.map_table(22, 20, G1) == success());
    REQUIRE(s.map_frame(31, 20, G1) == success());
    CHECK(s.remap(30, VmRights::kReadOnly) == invalid_root());
    // Every stale capability lets go without touching the new VSpace.
    platform_log().clear();
    REQUIRE(s.unmap_frame(30) == success());
    REQUIRE(s.unmap_table(12) == success());
    REQUIRE(s.remove(11) == success());
    CHECK(platform_log().flushes.empty());
    CHECK(s.translate(20, G1).physical == s.cap(31).address());
    CHECK(s.reachable(20).size() == 3);
    // The stale tables are clean and usable in the new VSpace.
    REQUIRE(s.map_table(12, 20, 2 * G1) == success());
    CHECK(s.reachable(20).size() == 4);
}
