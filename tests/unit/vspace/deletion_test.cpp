// Deleting frames, tables, roots and pools in every order: afterwards no entry a live
// VSpace can reach points at anything but a live object whose capability records exactly
// that mapping, and the ASID table names only live roots.
#include "vspace_fixture.hpp"

#include <algorithm>

#include <vspace/vspace_internal.hpp>

using namespace vstest;
using namespace arch::sv39;

namespace {

constexpr u64 M2 = u64{1} << 21, G1 = u64{1} << 30;

// The capability in the root CNode that accounts for a reachable entry, if any.
bool accounted_for(Space& s, u64 asid, const Space::Entry& e) {
    for (u64 i = 0; i < s.root_slots(); ++i) {
        const Capability& cap = s.cap(i);
        if (is_leaf(e.pte)) {
            if (cap.type() == CapType::Frame && cap.frame_is_mapped() && cap.address() == pte_physical(e.pte) &&
                cap.frame_mapped_asid() == asid && cap.frame_mapped_address() == e.vaddr &&
                arch::vspace::frame_level(cap.frame_size_bits()) == e.level)
                return true;
        } else if (cap.type() == CapType::PageTable && cap.page_table_is_mapped() &&
                   cap.address() == pte_physical(e.pte) && cap.page_table_asid() == asid &&
                   cap.page_table_mapped_address() == e.vaddr && cap.page_table_level() + 1 == e.level) {
            return true;
        }
    }
    return false;
}

void require_consistent(Space& s) {
    for (u64 asid = 1; asid < 1024; ++asid) {
        u64 root = arch::vspace::root_for_asid(asid);
        if (root == 0) continue;
        bool held = false;
        for (u64 i = 0; i < s.root_slots(); ++i)
            held |= s.cap(i).type() == CapType::PageTable && s.cap(i).address() == root &&
                    s.cap(i).page_table_is_root() && s.cap(i).page_table_asid() == asid;
        INFO("ASID " << asid);
        REQUIRE(held);
    }
    for (u64 i = 0; i < s.root_slots(); ++i) {
        if (!arch::is_valid_vspace_root(s.cap(i))) continue;
        for (const Space::Entry& e : s.reachable(i)) {
            INFO("VSpace in slot " << i << ": entry for " << std::hex << e.vaddr << " at level " << e.level);
            REQUIRE(accounted_for(s, s.cap(i).page_table_asid(), e));
        }
    }
}

// Pool 5 (from Untyped 4), root 10 (and a copy in 13), tables 11 (level 1 over [0, 1 GiB))
// and 12 (level 0 over [0, 2 MiB)), a 4 KiB frame in 30 mapped at 0x3000 (a copy in 31
// mapped at 0x4000), a 2 MiB frame in 34 at 6 MiB, a 1 GiB frame in 35 at 5 GiB.
void build(Space& s) {
    s.new_vspace(10);
    REQUIRE(s.copy(13, 10) == success());
    s.new_tables(11, 2);
    s.new_frames(30);
    s.place_frame(34, 21, kFakeRam);
    s.place_frame(35, 30, kFakeRam + G1);
    REQUIRE(s.map_table(11, 10, 0) == success());
    REQUIRE(s.map_table(12, 13, 0) == success());
    REQUIRE(s.map_frame(30, 10, 0x3000) == success());
    REQUIRE(s.copy(31, 30) == success());
    REQUIRE(s.map_frame(31, 10, 0x4000, VmRights::kReadOnly) == success());
    REQUIRE(s.map_frame(34, 10, 3 * M2) == success());
    REQUIRE(s.map_frame(35, 10, 5 * G1) == success());
    REQUIRE(s.reachable(10).size() == 6);
    require_consistent(s);
}

} // namespace

TEST_CASE("deleting the address-space objects in every order leaves no entry behind that points at a dead object") {
    // All orders of the six kinds of object; copies go right after their originals in
    // one round and right before them in the next.
    std::vector<u64> kinds{Space::kPool, 10, 11, 12, 30, 34};
    std::sort(kinds.begin(), kinds.end());
    u64 runs = 0;
    do {
        for (bool copies_first : {false, true}) {
            Space s(true, 16);
            build(s);
            u64 asid = s.asid_of(10);
            platform_log().clear();
            std::vector<u64> steps;
            for (u64 kind : kinds) {
                u64 copy = kind == 10 ? 13 : kind == 30 ? 31 : 0;
                if (copy && copies_first) steps.push_back(copy);
                steps.push_back(kind);
                if (copy && !copies_first) steps.push_back(copy);
                if (kind == 34) steps.push_back(35);
            }
            for (u64 slot : steps) {
                INFO("deleting slot " << slot << " (run " << runs << ")");
                REQUIRE(s.remove(slot) == success());
                require_consistent(s);
            }
            CHECK(arch::vspace::root_for_asid(asid) == 0);
            // The ASID was flushed when the VSpace lost it (root or pool deleted).
            CHECK(std::count(platform_log().flushes.begin(), platform_log().flushes.end(), asid_flush(asid)) >= 1);
            ++runs;
        }
    } while (std::next_permutation(kinds.begin(), kinds.end()));
    CHECK(runs == 720 * 2);
}

TEST_CASE("each deletion removes exactly its own entry while the VSpace lives") {
    Space s(true, 16);
    build(s);
    u64 asid = s.asid_of(10);
    platform_log().clear();
    REQUIRE(s.remove(31) == success());
    CHECK(s.entry(10, 0x4000, 0) == 0);
    CHECK(s.translate(10, 0x3000).mapped);
    CHECK(platform_log().flushes == std::vector<Flush>{page_flush(0x4000, asid)});
    platform_log().clear();
    REQUIRE(s.remove(34) == success());
    CHECK(s.entry(10, 3 * M2, 1) == 0);
    CHECK(platform_log().flushes == std::vector<Flush>{page_flush(3 * M2, asid)});
    platform_log().clear();
    REQUIRE(s.remove(12) == success());
    CHECK(s.entry(10, 0, 1) == 0);
    CHECK_FALSE(s.translate(10, 0x3000).mapped);
    CHECK(platform_log().flushes == std::vector<Flush>{asid_flush(asid)});
    // The frame's capability still records its mapping, but the entry is gone with the
    // table: deleting it now removes nothing.
    platform_log().clear();
    REQUIRE(s.remove(30) == success());
    CHECK(platform_log().flushes.empty());
    REQUIRE(s.remove(13) == success()); // not the last capability to the root
    CHECK(arch::is_valid_vspace_root(s.cap(10)));
    CHECK(platform_log().left.empty());
    u64 root = s.cap(10).address();
    REQUIRE(s.remove(10) == success());
    CHECK(platform_log().left == std::vector<u64>{root});
    CHECK(platform_log().flushes == std::vector<Flush>{asid_flush(asid)});
    require_consistent(s);
}

TEST_CASE("revoking the Untyped takes every object and every ASID") {
    Space s(true, 16);
    build(s);
    platform_log().clear();
    REQUIRE(s.revoke(Kernel::kUntypedSlot) == success());
    for (u64 asid = 0; asid < 512; ++asid) CHECK(arch::vspace::root_for_asid(asid) == 0);
    CHECK(arch::vspace::pool_at(0) == nullptr);
    require_consistent(s);
    // The big frames were originals outside the Untyped; their stale mappings let go quietly.
    CHECK(std::count(platform_log().flushes.begin(), platform_log().flushes.end(), asid_flush(1)) >= 1);
    platform_log().clear();
    REQUIRE(s.remove(34) == success());
    REQUIRE(s.remove(35) == success());
    CHECK(platform_log().flushes.empty());
    // Everything made again from the same memory works.
    s.new_pool(Space::kPoolUntyped, Space::kPool);
    build(s);
}
