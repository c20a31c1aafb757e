// PageTable.Map and Unmap: one type for every level, placed at the first empty entry on
// the way to the address; every refusal; unmapping clears the table; copies.
#include "vspace_fixture.hpp"

using namespace vstest;
using namespace arch::sv39;

namespace {

constexpr u64 K4 = u64{1} << 12, M2 = u64{1} << 21, G1 = u64{1} << 30;

} // namespace

TEST_CASE("PageTable.Map places tables at level 1 then level 0, recording the region each covers") {
    Space s;
    s.new_vspace(10);
    s.new_tables(11, 2);
    u64 asid = s.asid_of(10);
    u64 vaddr = 9 * G1 + 5 * M2 + 0x1234; // need not be aligned
    platform_log().clear();

    REQUIRE(s.map_table(11, 10, vaddr) == success());
    Pte root_entry = s.entry(10, vaddr, 2);
    CHECK(root_entry == make_pte(s.cap(11).address(), kValid)); // a pointer: no R/W/X, no U, no G
    CHECK(s.cap(11).page_table_is_mapped());
    CHECK_FALSE(s.cap(11).page_table_is_root());
    CHECK(s.cap(11).page_table_level() == 1);
    CHECK(s.cap(11).page_table_asid() == asid);
    CHECK(s.cap(11).page_table_mapped_address() == 9 * G1);
    CHECK(platform_log().flushes == std::vector<Flush>{asid_flush(asid)});

    REQUIRE(s.map_table(12, 10, vaddr) == success());
    CHECK(s.entry(10, vaddr, 1) == make_pte(s.cap(12).address(), kValid));
    CHECK(s.cap(12).page_table_level() == 0);
    CHECK(s.cap(12).page_table_mapped_address() == 9 * G1 + 5 * M2);

    // Both levels present: a third table has nowhere to go.
    s.new_tables(13);
    NothingChanges unchanged(s);
    CHECK(s.map_table(13, 10, vaddr) == error(ErrorCode::DeleteFirst));
    CHECK(s.map_table(13, 10, 9 * G1 + 5 * M2) == error(ErrorCode::DeleteFirst));
}

TEST_CASE("PageTable.Map refuses a place a big page already covers") {
    Space s;
    s.new_vspace(10);
    s.new_tables(11, 2);
    s.place_frame(30, 30, kFakeRam);
    s.place_frame(31, 21, kFakeRam + G1);
    REQUIRE(s.map_frame(30, 10, 2 * G1) == success());
    REQUIRE(s.map_table(11, 10, 3 * G1) == success());
    REQUIRE(s.map_frame(31, 10, 3 * G1 + 4 * M2) == success());
    NothingChanges unchanged(s);
    CHECK(s.map_table(12, 10, 2 * G1 + M2) == error(ErrorCode::DeleteFirst));
    CHECK(s.map_table(12, 10, 3 * G1 + 4 * M2 + K4) == error(ErrorCode::DeleteFirst));
}

TEST_CASE("PageTable.Map refuses bad capabilities, addresses, attributes and truncated messages") {
    Space s;
    s.new_vspace(10);
    s.new_vspace(20);
    s.new_tables(11, 3);
    s.new_frames(30);
    REQUIRE(s.map_table(11, 10, 0) == success());
    NothingChanges unchanged(s);
    CHECK(s.map_table(11, 10, 5 * G1) == invalid_capability(0)); // already mapped
    CHECK(s.map_table(20, 10, 5 * G1) == invalid_capability(0)); // a root
    CHECK(s.map_table(12, 11, 5 * G1) == invalid_capability(1)); // not a root
    CHECK(s.map_table(12, 13, 5 * G1) == invalid_capability(1)); // no ASID
    CHECK(s.map_table(12, 30, 5 * G1) == invalid_capability(1)); // a frame
    CHECK(s.map_table(12, Space::kPool, 5 * G1) == invalid_capability(1));
    for (u64 vaddr : {tessera::kUserAddressLimit, u64{0xffffffc000000000}, u64{1} << 39, ~u64{0}}) {
        INFO("vaddr " << std::hex << vaddr);
        CHECK(s.map_table(12, 10, vaddr) == invalid_argument(0));
    }
    CHECK(s.map_table(12, 10, 5 * G1, 1) == invalid_argument(1));
    CHECK(s.invoke(12, InvocationLabel::PageTableMap, {5 * G1}, {10}) == error(ErrorCode::TruncatedMessage));
    CHECK(s.invoke(12, InvocationLabel::PageTableMap, {5 * G1, 0}) == error(ErrorCode::TruncatedMessage));
    CHECK(s.invoke(12, InvocationLabel::FrameMap, {5 * G1, 0, 0}, {10}) == error(ErrorCode::IllegalOperation));
    CHECK(s.invoke(12, InvocationLabel::AsidPoolAssign, {}, {10}) == error(ErrorCode::IllegalOperation));
}

TEST_CASE("PageTable.Unmap clears the parent entry and the table itself, flushing the ASID") {
    Space s;
    s.new_vspace(10);
    s.new_tables(11, 2);
    s.new_frames(30);
    u64 asid = s.asid_of(10);
    REQUIRE(s.map_table(11, 10, G1) == success());
    REQUIRE(s.map_table(12, 10, G1) == success());
    REQUIRE(s.map_frame(30, 10, G1 + 0x3000) == success());
    platform_log().clear();

    REQUIRE(s.unmap_table(11) == success());
    CHECK(s.entry(10, G1, 2) == 0);
    CHECK_FALSE(s.cap(11).page_table_is_mapped());
    CHECK(s.cap(11).word1() == 0);
    CHECK(Arena::all_bytes(s.cap(11).address(), K4, 0)); // nothing of the old place stays
    CHECK(platform_log().flushes == std::vector<Flush>{asid_flush(asid)});
    CHECK(s.reachable(10).empty());

    // The table maps again elsewhere, empty: the frame and the level-0 table below it
    // are not visible there, and their capabilities no longer reach anything.
    REQUIRE(s.map_table(11, 10, 6 * G1) == success());
    CHECK(s.reachable(10).size() == 1);
    CHECK(s.remap(30, VmRights::kReadOnly) == invalid_root());
    platform_log().clear();
    REQUIRE(s.unmap_table(12) == success()); // stale: nothing to remove, the table is cleared
    CHECK(platform_log().flushes.empty());
    CHECK_FALSE(s.cap(12).page_table_is_mapped());
    CHECK(s.reachable(10).size() == 1);
    REQUIRE(s.map_table(12, 10, 6 * G1) == success());
    CHECK_FALSE(s.translate(10, 6 * G1 + 0x3000).mapped);
    // Unmapping an unmapped table is harmless.
    s.new_tables(13);
    CHECK(s.unmap_table(13) == success());
}

TEST_CASE("PageTable.Unmap refuses a root and a table with other capabilities") {
    Space s;
    s.new_vspace(10);
    s.new_tables(11);
    REQUIRE(s.map_table(11, 10, 0) == success());
    REQUIRE(s.copy(12, 11) == success());
    REQUIRE(s.copy(13, 10) == success());
    NothingChanges unchanged(s);
    CHECK(s.unmap_table(10) == error(ErrorCode::IllegalOperation));
    CHECK(s.unmap_table(13) == error(ErrorCode::IllegalOperation));
    CHECK(s.unmap_table(11) == error(ErrorCode::RevokeFirst));
    CHECK(s.unmap_table(12) == error(ErrorCode::RevokeFirst));
}

TEST_CASE("copies of page-table capabilities: refused unmapped, mapped and root copies keep what they record") {
    Space s;
    s.new_vspace(10);
    s.new_tables(11, 2);
    {
        NothingChanges unchanged(s);
        CHECK(s.copy(20, 11) == error(ErrorCode::IllegalOperation));
        CHECK(s.mint(20, 11, Rights::kMask, 0) == error(ErrorCode::IllegalOperation));
    }
    REQUIRE(s.map_table(11, 10, G1) == success());
    REQUIRE(s.copy(20, 11) == success());
    CHECK(s.cap(20) == s.cap(11));
    REQUIRE(s.copy(21, 10) == success());
    CHECK(s.cap(21) == s.cap(10));
    CHECK(arch::is_valid_vspace_root(s.cap(21)));
    // A copy of the root serves as the VSpace argument.
    REQUIRE(s.map_table(12, 21, G1) == success());
    // Deleting a copy of the table leaves the mapping; deleting the last one removes it.
    REQUIRE(s.remove(20) == success());
    CHECK(s.entry(10, G1, 2) == make_pte(s.cap(11).address(), kValid));
    REQUIRE(s.remove(11) == success());
    CHECK(s.entry(10, G1, 2) == 0);
    // Deleting a copy of the root keeps the ASID.
    REQUIRE(s.remove(21) == success());
    CHECK(arch::is_valid_vspace_root(s.cap(10)));
}
