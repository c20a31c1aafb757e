// Frame.Map, Remap, Unmap and GetAddress doing what they should: every frame size at its
// level, the leaf entry's bits for each rights word, device frames, copies of mapped
// capabilities, and the TLB flush (by address and ASID) that follows each change.
#include "vspace_fixture.hpp"

using namespace vstest;
using namespace arch::sv39;

namespace {

constexpr u64 K4 = u64{1} << 12, M2 = u64{1} << 21, G1 = u64{1} << 30;

struct FrameSize {
    unsigned bits;
    unsigned level;
};

// A VSpace in slot 10 with tables in 11 (level 1) and 12 (level 0) covering `vaddr`, as
// far down as a frame of `level` needs.
void space_for(Space& s, u64 vaddr, unsigned level) {
    s.new_vspace(10);
    s.new_tables(11, 2);
    if (level < 2) REQUIRE(s.map_table(11, 10, vaddr) == success());
    if (level < 1) REQUIRE(s.map_table(12, 10, vaddr) == success());
}

// The frame under test in slot 30: a retyped 4 KiB frame, or a big RAM frame placed
// outside the arena (the kernel never touches a frame's memory).
void frame_of(Space& s, unsigned bits) {
    if (bits == 12) s.new_frames(30);
    else s.place_frame(30, bits, kFakeRam);
}

} // namespace

TEST_CASE("a frame of each size maps at its level, remaps and unmaps, flushing its address and ASID each time") {
    FrameSize size = GENERATE(FrameSize{12, 0}, FrameSize{21, 1}, FrameSize{30, 2});
    INFO("frame of 2^" << size.bits);
    u64 page = u64{1} << size.bits;
    u64 vaddr = 5 * G1 + (size.level < 2 ? 7 * M2 : 0) + (size.level < 1 ? 3 * K4 : 0);
    Space s;
    space_for(s, vaddr, size.level);
    frame_of(s, size.bits);
    u64 asid = s.asid_of(10);
    platform_log().clear();

    REQUIRE(s.map_frame(30, 10, vaddr, VmRights::kReadWrite) == success());
    Translation t = s.translate(10, vaddr + page - 8);
    REQUIRE(t.mapped);
    CHECK(t.level == size.level);
    CHECK(t.physical == s.cap(30).address() + page - 8);
    CHECK((t.pte & (kRead | kWrite | kUser | kValid | kAccessed | kDirty)) == (kRead | kWrite | kUser | kValid | kAccessed | kDirty));
    CHECK((t.pte & (kExecute | kGlobal)) == 0);
    CHECK_FALSE(s.translate(10, vaddr + page).mapped);
    CHECK_FALSE(s.translate(10, vaddr - 1).mapped);
    CHECK(s.cap(30).frame_is_mapped());
    CHECK(s.cap(30).frame_mapped_asid() == asid);
    CHECK(s.cap(30).frame_mapped_address() == vaddr);
    CHECK(platform_log().flushes == std::vector<Flush>{page_flush(vaddr, asid)});

    platform_log().clear();
    REQUIRE(s.remap(30, VmRights::kReadOnly) == success());
    t = s.translate(10, vaddr);
    REQUIRE(t.mapped);
    CHECK((t.pte & (kRead | kWrite | kExecute | kUser)) == (kRead | kUser));
    CHECK(platform_log().flushes == std::vector<Flush>{page_flush(vaddr, asid)});

    platform_log().clear();
    REQUIRE(s.unmap_frame(30) == success());
    CHECK_FALSE(s.translate(10, vaddr).mapped);
    CHECK(s.entry(10, vaddr, size.level) == 0);
    CHECK_FALSE(s.cap(30).frame_is_mapped());
    CHECK(platform_log().flushes == std::vector<Flush>{page_flush(vaddr, asid)});

    // Unmapping an unmapped frame changes nothing; the frame maps again afterwards.
    platform_log().clear();
    REQUIRE(s.unmap_frame(30) == success());
    CHECK(platform_log().flushes.empty());
    REQUIRE(s.map_frame(30, 10, vaddr, VmRights::kReadExecute) == success());
    CHECK((s.translate(10, vaddr).pte & (kRead | kWrite | kExecute)) == (kRead | kExecute));
}

TEST_CASE("the rights word becomes the leaf's R, W, X and U bits, never beyond the capability's rights") {
    struct Case {
        u8 cap_rights;
        u64 vm_rights;
        Pte expected; // 0: refused with InvalidArgument 1
    };
    const u8 all = Rights::kMask, read = Rights::kRead, write = Rights::kWrite;
    const Case cases[] = {
        {all, VmRights::kRead, kRead},
        // Without U only R: a writable or executable page the supervisor can reach at a
        // user-chosen address would turn a kernel pointer bug into an exploit.
        {all, VmRights::kRead | VmRights::kWrite, 0},
        {all, VmRights::kRead | VmRights::kExecute, 0},
        {all, VmRights::kExecute, 0},
        {all, VmRights::kRead | VmRights::kWrite | VmRights::kUser, kRead | kWrite | kUser | kDirty},
        {all, VmRights::kRead | VmRights::kExecute | VmRights::kUser, kRead | kExecute | kUser},
        {all, VmRights::kExecute | VmRights::kUser, kExecute | kUser}, // execute-only
        {all, VmRights::kMask, kRead | kWrite | kExecute | kUser | kDirty},
        {all, VmRights::kRead | VmRights::kUser, kRead | kUser},
        {all, VmRights::kWrite, 0},                    // W without R: reserved encoding
        {all, VmRights::kWrite | VmRights::kUser, 0},
        {all, 0, 0},                                   // no access at all
        {all, VmRights::kUser, 0},
        {all, VmRights::kRead | 0x10, 0},              // unknown bit
        {all, VmRights::kRead | (u64{1} << 63), 0},
        {read, VmRights::kRead | VmRights::kUser, kRead | kUser},
        {read, VmRights::kExecute | VmRights::kUser, kExecute | kUser},
        {read, VmRights::kRead | VmRights::kWrite, 0}, // write needs the write right
        {write, VmRights::kRead | VmRights::kWrite, 0}, // read needs the read right
        {write, VmRights::kExecute, 0},                 // so does execute
        {read | write, VmRights::kMask, kRead | kWrite | kExecute | kUser | kDirty},
        {0, VmRights::kRead, 0},
    };
    for (const Case& c : cases) {
        INFO("capability rights " << int(c.cap_rights) << ", vm rights " << c.vm_rights);
        Space s;
        space_for(s, 0x200000, 0);
        s.new_frames(29);
        REQUIRE(s.copy(30, 29, c.cap_rights) == success());
        if (c.expected == 0) {
            NothingChanges unchanged(s);
            CHECK(s.map_frame(30, 10, 0x200000, c.vm_rights) == invalid_argument(1));
            continue;
        }
        REQUIRE(s.map_frame(30, 10, 0x200000, c.vm_rights) == success());
        Translation t = s.translate(10, 0x200000);
        REQUIRE(t.mapped);
        CHECK((t.pte & (kRead | kWrite | kExecute | kUser | kDirty | kGlobal)) == c.expected);
        // Remap applies the same rules to the same capability.
        CHECK(s.remap(30, VmRights::kWrite) == invalid_argument(0));
        CHECK(s.remap(30, c.vm_rights) == success());
    }
}

TEST_CASE("device frames map with their physical address, marked as device memory, and never executable") {
    Space s;
    space_for(s, 0x40000000, 0);
    s.place_original(20, Capability::untyped(0x10000000, 21, true));
    REQUIRE(s.retype(20, ObjectType::Frame4K, 0, 30, 2) == success());
    REQUIRE(s.cap(30).is_device());
    {
        NothingChanges unchanged(s);
        CHECK(s.map_frame(30, 10, 0x40000000, VmRights::kReadExecute) == invalid_argument(1));
        CHECK(s.map_frame(30, 10, 0x40000000, VmRights::kExecute) == invalid_argument(1));
    }
    REQUIRE(s.map_frame(30, 10, 0x40000000, VmRights::kReadWrite) == success());
    Translation t = s.translate(10, 0x40000010);
    REQUIRE(t.mapped);
    CHECK(t.physical == 0x10000010);
    CHECK((t.pte & (Pte{1} << 8)) != 0);
    CHECK(s.remap(30, VmRights::kReadExecute) == invalid_argument(0));
    // The device bit survives the mapping record and the unmap.
    REQUIRE(s.unmap_frame(30) == success());
    CHECK(s.cap(30).is_device());

    std::vector<u64> words;
    REQUIRE(s.get_address(31, words) == success());
    CHECK(words == std::vector<u64>{0x10001000});
}

TEST_CASE("GetAddress answers the frame's physical address in one reply word, mapped or not") {
    Space s;
    space_for(s, 0x1000, 0);
    s.new_frames(30);
    std::vector<u64> words;
    REQUIRE(s.get_address(30, words) == success());
    CHECK(words == std::vector<u64>{s.cap(30).address()}); // identity conversion on the host
    REQUIRE(s.map_frame(30, 10, 0x1000) == success());
    REQUIRE(s.get_address(30, words) == success());
    CHECK(words == std::vector<u64>{s.cap(30).address()});
}

TEST_CASE("a copy of a mapped frame capability is unmapped and maps the frame a second time on its own") {
    Space s;
    space_for(s, 0x400000, 0);
    s.new_frames(30);
    u64 asid = s.asid_of(10);
    REQUIRE(s.map_frame(30, 10, 0x400000) == success());
    REQUIRE(s.copy(31, 30) == success());
    CHECK_FALSE(s.cap(31).frame_is_mapped());
    CHECK(s.cap(31).address() == s.cap(30).address());
    // The copy cannot remap what it did not map, nor take the original's place.
    CHECK(s.remap(31, VmRights::kReadOnly) == invalid_capability(0));
    CHECK(s.map_frame(31, 10, 0x400000) == error(ErrorCode::DeleteFirst));
    REQUIRE(s.map_frame(31, 10, 0x401000, VmRights::kReadOnly) == success());
    CHECK(s.translate(10, 0x401000).physical == s.cap(30).address());

    // Deleting the copy takes only its own mapping.
    platform_log().clear();
    REQUIRE(s.remove(31) == success());
    CHECK_FALSE(s.translate(10, 0x401000).mapped);
    CHECK(s.translate(10, 0x400000).mapped);
    CHECK(platform_log().flushes == std::vector<Flush>{page_flush(0x401000, asid)});
    // A moved capability keeps its mapping and can still unmap it.
    REQUIRE(s.move(32, 30) == success());
    CHECK(s.cap(32).frame_mapped_address() == 0x400000);
    REQUIRE(s.unmap_frame(32) == success());
    CHECK_FALSE(s.translate(10, 0x400000).mapped);
}

TEST_CASE("frames map anywhere in the user half, up to the last page below kUserAddressLimit") {
    Space s;
    u64 last = tessera::kUserAddressLimit - K4;
    space_for(s, last, 0);
    s.new_frames(30, 2);
    REQUIRE(s.map_frame(30, 10, last) == success());
    CHECK(s.translate(10, last + K4 - 1).mapped);
    s.new_tables(13, 2);
    REQUIRE(s.map_table(13, 10, 0) == success());
    REQUIRE(s.map_table(14, 10, 0) == success());
    REQUIRE(s.map_frame(31, 10, 0) == success());
    CHECK(s.translate(10, 0).physical == s.cap(31).address());
}
