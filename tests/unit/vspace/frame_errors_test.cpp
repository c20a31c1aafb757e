// Every way Frame.Map and Frame.Remap refuse a request, with the precise error, and without
// changing anything (capabilities, page tables, the flush log).
#include "vspace_fixture.hpp"

using namespace vstest;
using namespace arch::sv39;

namespace {

constexpr u64 K4 = u64{1} << 12, M2 = u64{1} << 21, G1 = u64{1} << 30;

// VSpace 10 with tables 11 (level 1) and 12 (level 0) over [0, 2 MiB); 4 KiB frames 30..33,
// a 2 MiB frame in 34 and a 1 GiB frame in 35.
void standard(Space& s) {
    s.new_vspace(10);
    s.new_tables(11, 2);
    REQUIRE(s.map_table(11, 10, 0) == success());
    REQUIRE(s.map_table(12, 10, 0) == success());
    s.new_frames(30, 4);
    s.place_frame(34, 21, kFakeRam);
    s.place_frame(35, 30, kFakeRam + G1);
}

} // namespace

TEST_CASE("Frame.Map refuses bad addresses: kernel half, beyond the user limit, non-canonical, misaligned") {
    Space s;
    standard(s);
    NothingChanges unchanged(s);
    const u64 limit = tessera::kUserAddressLimit;
    for (u64 vaddr : {limit, limit + K4, u64{0xffffffc000000000}, u64{0xffffffff80000000}, u64{0x0000800000000000},
                      u64{1} << 39, ~u64{0} & ~(K4 - 1)}) {
        INFO("vaddr " << std::hex << vaddr);
        CHECK(s.map_frame(30, 10, vaddr) == invalid_argument(0));
    }
    // A big frame that would run past the limit.
    CHECK(s.map_frame(34, 10, limit - K4 * 2) == invalid_argument(0));
    CHECK(s.map_frame(35, 10, limit - M2) == invalid_argument(0));
    // Misaligned for the frame's size.
    CHECK(s.map_frame(30, 10, 0x1001) == error(ErrorCode::AlignmentError));
    CHECK(s.map_frame(34, 10, G1 + K4) == error(ErrorCode::AlignmentError));
    CHECK(s.map_frame(35, 10, G1 + M2) == error(ErrorCode::AlignmentError));
    // Attributes must be 0.
    CHECK(s.map_frame(30, 10, 0x1000, VmRights::kReadWrite, 1) == invalid_argument(2));
    CHECK(s.map_frame(30, 10, 0x1000, VmRights::kReadWrite, u64{1} << 63) == invalid_argument(2));
}

TEST_CASE("Frame.Map refuses an occupied entry, a larger page over the address, and a table at the frame's level") {
    Space s;
    standard(s);
    REQUIRE(s.map_frame(30, 10, 0x5000) == success());
    REQUIRE(s.map_frame(35, 10, 3 * G1) == success());
    s.new_tables(13);
    REQUIRE(s.map_table(13, 10, 4 * G1) == success()); // level 1 under 4 GiB
    REQUIRE(s.map_frame(34, 10, 4 * G1 + M2) == success());
    s.place_frame(36, 21, kFakeRam + 2 * G1);
    s.place_frame(37, 30, kFakeRam + 3 * G1);
    NothingChanges unchanged(s);
    CHECK(s.map_frame(31, 10, 0x5000) == error(ErrorCode::DeleteFirst));       // the same page
    CHECK(s.map_frame(31, 10, 3 * G1 + 0x5000) == error(ErrorCode::DeleteFirst)); // under a 1 GiB page
    CHECK(s.map_frame(31, 10, 4 * G1 + M2 + K4) == error(ErrorCode::DeleteFirst)); // under a 2 MiB page
    CHECK(s.map_frame(36, 10, 4 * G1 + M2) == error(ErrorCode::DeleteFirst)); // the same 2 MiB page
    CHECK(s.map_frame(36, 10, 3 * G1 + M2) == error(ErrorCode::DeleteFirst)); // under a 1 GiB page
    CHECK(s.map_frame(36, 10, 0) == error(ErrorCode::DeleteFirst));          // a level-0 table is there
    CHECK(s.map_frame(37, 10, 0) == error(ErrorCode::DeleteFirst));          // a level-1 table is there
    CHECK(s.map_frame(37, 10, 4 * G1) == error(ErrorCode::DeleteFirst));
    CHECK(s.map_frame(37, 10, 3 * G1) == error(ErrorCode::DeleteFirst));     // the same 1 GiB page
}

TEST_CASE("Frame.Map reports a missing table with the bits left at the level where the walk stopped") {
    Space s;
    standard(s);
    NothingChanges unchanged(s);
    CHECK(s.map_frame(30, 10, 7 * G1) == missing_table(30));  // no level-1 table
    CHECK(s.map_frame(34, 10, 7 * G1) == missing_table(30));
    CHECK(s.map_frame(30, 10, 5 * M2) == missing_table(21));  // level-1 table, no level-0 table
}

TEST_CASE("Frame.Map refuses a frame capability that is already mapped") {
    Space s;
    standard(s);
    REQUIRE(s.map_frame(30, 10, 0x1000) == success());
    NothingChanges unchanged(s);
    CHECK(s.map_frame(30, 10, 0x2000) == invalid_capability(0));
    CHECK(s.map_frame(30, 10, 0x1000) == invalid_capability(0));
}

TEST_CASE("Frame.Map refuses a VSpace capability that is no root, or no page table at all") {
    Space s;
    standard(s);
    s.new_tables(13);
    s.place_original(40, Capability::endpoint(s.arena().base(), 0, Rights::all()));
    NothingChanges unchanged(s);
    CHECK(s.map_frame(30, 11, 0x1000) == invalid_capability(1)); // a mapped level-1 table
    CHECK(s.map_frame(30, 13, 0x1000) == invalid_capability(1)); // a table without ASID
    CHECK(s.map_frame(30, 31, 0x1000) == invalid_capability(1)); // a frame
    CHECK(s.map_frame(30, 40, 0x1000) == invalid_capability(1)); // an endpoint
    CHECK(s.map_frame(30, Space::kPool, 0x1000) == invalid_capability(1));
    CHECK(s.map_frame(30, Kernel::kRootCNodeSlot, 0x1000) == invalid_capability(1));
}

TEST_CASE("Frame.Map and Remap refuse truncated messages and other labels are illegal on a frame") {
    Space s;
    standard(s);
    NothingChanges unchanged(s);
    CHECK(s.invoke(30, InvocationLabel::FrameMap, {0x1000, VmRights::kReadWrite}, {10}) ==
          error(ErrorCode::TruncatedMessage));
    CHECK(s.invoke(30, InvocationLabel::FrameMap, {0x1000, VmRights::kReadWrite, 0}) ==
          error(ErrorCode::TruncatedMessage));
    CHECK(s.invoke(30, InvocationLabel::FrameRemap, {VmRights::kReadWrite}) == error(ErrorCode::TruncatedMessage));
    CHECK(s.invoke(30, InvocationLabel::PageTableMap, {0x1000, 0}, {10}) == error(ErrorCode::IllegalOperation));
    CHECK(s.invoke(30, InvocationLabel::CNodeCopy, {0, 0, 0, 0, 0}) == error(ErrorCode::IllegalOperation));
    CHECK(s.invoke(30, 44, {}) == error(ErrorCode::IllegalOperation));
}

TEST_CASE("Frame.Remap refuses an unmapped capability and a mapping whose VSpace is gone") {
    Space s;
    standard(s);
    {
        NothingChanges unchanged(s);
        CHECK(s.remap(30, VmRights::kReadOnly) == invalid_capability(0));
    }
    REQUIRE(s.map_frame(30, 10, 0x1000) == success());
    {
        NothingChanges unchanged(s);
        CHECK(s.remap(30, VmRights::kReadOnly, 1) == invalid_argument(1));
        CHECK(s.remap(30, 0) == invalid_argument(0));
    }
    // The level-0 table is unmapped (and cleared): the frame's mapping went with it.
    REQUIRE(s.unmap_table(12) == success());
    CHECK(s.remap(30, VmRights::kReadOnly) == invalid_root());
    // Unmap always succeeds and makes the capability usable again.
    REQUIRE(s.unmap_frame(30) == success());
    CHECK_FALSE(s.cap(30).frame_is_mapped());
}
