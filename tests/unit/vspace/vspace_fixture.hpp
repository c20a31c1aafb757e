#pragma once
// A host "kernel" for the address-space objects: the capability fixture (an arena under a
// boot Untyped, a root CNode whose pointers are slot numbers) with the riscv64 Frame,
// PageTable, AsidControl and AsidPool objects installed, an AsidControl capability, and
// helpers that read like a root task's calls. Kernel and physical addresses are the same
// here (test_platform.cpp), TLB flushes and address-space switches are recorded.
#include "../capabilities/cap_fixture.hpp"

#include <algorithm>
#include <cstring>

#include <abi/vm.hpp>
#include <arch/address_space.hpp>
#include <arch/sv39.hpp>

namespace vstest {

using namespace captest;
using tessera::VmRights;

// What copy_kernel_half() puts in a new root's upper half: recognisable global entries.
inline constexpr u64 kFirstKernelEntry = 256;
constexpr arch::sv39::Pte kernel_entry(u64 index) {
    return arch::sv39::make_pte(0x7700000000 + (index << 30), arch::sv39::kValid | arch::sv39::kRead | arch::sv39::kGlobal);
}

enum class FlushKind { Page, Asid };
struct Flush {
    FlushKind kind;
    u64 vaddr; // Page only
    u64 asid;
    bool operator==(const Flush&) const = default;
};
inline Flush page_flush(u64 vaddr, u64 asid) { return {FlushKind::Page, vaddr, asid}; }
inline Flush asid_flush(u64 asid) { return {FlushKind::Asid, 0, asid}; }

struct PlatformLog {
    std::vector<Flush> flushes;
    std::vector<u64> left; // roots leave_address_space() was told about
    void clear() {
        flushes.clear();
        left.clear();
    }
};
PlatformLog& platform_log();

// Addresses outside the arena that stand for big RAM frames: the kernel never touches a
// frame's memory, so these need no backing.
inline constexpr u64 kFakeRam = u64{1} << 44;

class Space : public Kernel {
public:
    static constexpr u64 kAsidControl = 3;
    static constexpr u64 kPoolUntyped = 4;
    static constexpr u64 kPool = 5;

    // An AsidControl capability in slot 3 and, unless `with_pool` is false, a pool made by
    // MakePool from a 4 KiB Untyped (slot 4) into slot 5.
    explicit Space(bool with_pool = true, unsigned arena_bits = 20, unsigned root_radix = 8);
    ~Space();

    // MakePool from the 4 KiB Untyped in `untyped` into root-CNode slot `dest`.
    Reply make_pool(u64 untyped, u64 dest);
    // Retypes a 4 KiB Untyped into `untyped` and makes a pool from it into `dest`.
    void new_pool(u64 untyped, u64 dest);
    Reply assign(u64 pool, u64 table);
    // Retypes a PageTable into `slot` and gives it an ASID from `pool`: a new VSpace.
    void new_vspace(u64 slot, u64 pool = kPool);
    void new_tables(u64 first_slot, u64 count = 1);
    void new_frames(u64 first_slot, u64 count = 1);
    // A RAM frame of 2^bits bytes at `address` outside the arena, placed as an original.
    void place_frame(u64 slot, unsigned bits, u64 address, bool device = false);

    Reply map_table(u64 table, u64 vspace, u64 vaddr, u64 attributes = 0);
    Reply map_frame(u64 frame, u64 vspace, u64 vaddr, u64 rights = VmRights::kReadWrite, u64 attributes = 0);
    Reply remap(u64 frame, u64 rights, u64 attributes = 0);
    Reply unmap_frame(u64 frame);
    Reply unmap_table(u64 table);
    // Frame.GetAddress with room for reply words; the reply's words land in `words`.
    Reply get_address(u64 frame, std::vector<u64>& words);

    u64 asid_of(u64 vspace) { return cap(vspace).page_table_asid(); }
    // What the hardware would see walking the VSpace in `vspace`.
    arch::sv39::Translation translate(u64 vspace, u64 vaddr);
    // The entry at `level` on the way to `vaddr` (0 when the walk ends before it).
    arch::sv39::Pte entry(u64 vspace, u64 vaddr, unsigned level);
    // Every valid entry reachable from the user half of `vspace`'s root.
    struct Entry {
        u64 vaddr;
        unsigned level;
        arch::sv39::Pte pte;
    };
    std::vector<Entry> reachable(u64 vspace);
};

// An invocation that fails must change nothing: capabilities and tree, the arena's bytes
// (page tables, pools) and the flush log.
class NothingChanges {
public:
    explicit NothingChanges(Space& space);
    ~NothingChanges();
    NothingChanges(const NothingChanges&) = delete;
    NothingChanges& operator=(const NothingChanges&) = delete;

private:
    Space& space_;
    Unchanged caps_;
    std::vector<u8> arena_;
    std::vector<Flush> flushes_;
};

Reply invalid_argument(u64 word);
Reply invalid_capability(u64 which);
Reply missing_table(u64 bits_left);
Reply invalid_root();

} // namespace vstest

namespace Catch {
template <> struct StringMaker<vstest::Flush> {
    static std::string convert(const vstest::Flush& flush) {
        char text[80];
        std::snprintf(text, sizeof text, "%s{vaddr=%#llx asid=%llu}", flush.kind == vstest::FlushKind::Page ? "Page" : "Asid",
                      static_cast<unsigned long long>(flush.vaddr), static_cast<unsigned long long>(flush.asid));
        return text;
    }
};
} // namespace Catch
