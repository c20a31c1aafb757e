#include "vspace_fixture.hpp"

#include <cstring>

#include <vspace/vspace_internal.hpp>

namespace vstest {

using namespace arch::sv39;

PlatformLog& platform_log() {
    static PlatformLog log;
    return log;
}

Space::Space(bool with_pool, unsigned arena_bits, unsigned root_radix) : Kernel(arena_bits, root_radix) {
    arch::vspace::clear_asid_table();
    arch::install_address_space_objects();
    platform_log().clear();
    place_original(kAsidControl, Capability::asid_control());
    if (with_pool) new_pool(kPoolUntyped, kPool);
}

Space::~Space() {
    arch::vspace::clear_asid_table();
    object_finalisers() = ObjectFinalisers{};
    object_invokers() = ObjectInvokers{};
    platform_log().clear();
}

Reply Space::make_pool(u64 untyped, u64 dest) {
    return invoke(kAsidControl, InvocationLabel::AsidControlMakePool, {dest, 64}, {untyped, kRootCNodeSlot});
}

void Space::new_pool(u64 untyped, u64 dest) {
    REQUIRE(retype(kUntypedSlot, ObjectType::Untyped, 12, untyped) == success());
    REQUIRE(make_pool(untyped, dest) == success());
}

Reply Space::assign(u64 pool, u64 table) { return invoke(pool, InvocationLabel::AsidPoolAssign, {}, {table}); }

void Space::new_vspace(u64 slot, u64 pool) {
    new_tables(slot);
    REQUIRE(assign(pool, slot) == success());
}

void Space::new_tables(u64 first_slot, u64 count) {
    REQUIRE(retype(kUntypedSlot, ObjectType::PageTable, 0, first_slot, count) == success());
}

void Space::new_frames(u64 first_slot, u64 count) {
    REQUIRE(retype(kUntypedSlot, ObjectType::Frame4K, 0, first_slot, count) == success());
}

void Space::place_frame(u64 slot, unsigned bits, u64 address, bool device) {
    place_original(slot, Capability::frame(address, bits, device, Rights::all()));
}

Reply Space::map_table(u64 table, u64 vspace, u64 vaddr, u64 attributes) {
    return invoke(table, InvocationLabel::PageTableMap, {vaddr, attributes}, {vspace});
}

Reply Space::map_frame(u64 frame, u64 vspace, u64 vaddr, u64 rights, u64 attributes) {
    return invoke(frame, InvocationLabel::FrameMap, {vaddr, rights, attributes}, {vspace});
}

Reply Space::remap(u64 frame, u64 rights, u64 attributes) {
    return invoke(frame, InvocationLabel::FrameRemap, {rights, attributes});
}

Reply Space::unmap_frame(u64 frame) { return invoke(frame, InvocationLabel::FrameUnmap, {}); }

Reply Space::unmap_table(u64 table) { return invoke(table, InvocationLabel::PageTableUnmap, {}); }

Reply Space::get_address(u64 frame, std::vector<u64>& words) {
    u64 room[4] = {};
    ReplyWords reply{kstd::Span<u64>(room), 0};
    InvocationContext context;
    context.reply = &reply;
    PreemptionPoint never(nullptr, nullptr);
    MessageInfo info;
    info.label = static_cast<u64>(InvocationLabel::FrameGetAddress);
    InvocationReply raw =
        handle_invocation(cspace_root().cap, frame, info, {}, {}, never, context);
    words.assign(room, room + reply.length);
    if (raw.outcome == InvocationOutcome::Success) raw.info = MessageInfo{}; // the length is the reply's
    return from_invocation_reply(raw);
}

namespace {

Memory identity_memory() {
    return Memory{[](void*) -> u64 { return 0; }, [](void*, u64 physical) { return reinterpret_cast<Pte*>(physical); },
                  nullptr};
}

void collect(u64 table, unsigned level, u64 base, std::vector<Space::Entry>& out, u64 entries) {
    const Pte* ptes = reinterpret_cast<const Pte*>(table);
    for (u64 i = 0; i < entries; ++i) {
        if ((ptes[i] & kValid) == 0) continue;
        u64 vaddr = base + (i << (12 + 9 * level));
        out.push_back({vaddr, level, ptes[i]});
        if (!is_leaf(ptes[i]) && level > 0) collect(pte_physical(ptes[i]), level - 1, vaddr, out, kEntriesPerTable);
    }
}

} // namespace

Translation Space::translate(u64 vspace, u64 vaddr) {
    return PageTable(cap(vspace).address(), identity_memory()).translate(vaddr);
}

Pte Space::entry(u64 vspace, u64 vaddr, unsigned level) {
    u64 table = cap(vspace).address();
    for (unsigned current = 2;; --current) {
        Pte pte = reinterpret_cast<const Pte*>(table)[index_at_level(vaddr, current)];
        if (current == level) return pte;
        if ((pte & kValid) == 0 || is_leaf(pte)) return 0;
        table = pte_physical(pte);
    }
}

std::vector<Space::Entry> Space::reachable(u64 vspace) {
    std::vector<Entry> out;
    collect(cap(vspace).address(), 2, 0, out, kFirstKernelEntry);
    return out;
}

NothingChanges::NothingChanges(Space& space)
    : space_(space), caps_(space), arena_(space.arena().bytes(), space.arena().bytes() + space.arena().size()),
      flushes_(platform_log().flushes) {}

NothingChanges::~NothingChanges() {
    CHECK(std::memcmp(arena_.data(), space_.arena().bytes(), arena_.size()) == 0);
    CHECK(platform_log().flushes == flushes_);
}

Reply invalid_argument(u64 word) { return error(ErrorCode::InvalidArgument, {word}); }
Reply invalid_capability(u64 which) { return error(ErrorCode::InvalidCapability, {which}); }
Reply missing_table(u64 bits_left) { return lookup_error(false, LookupFailureType::MissingCapability, {bits_left}); }
Reply invalid_root() { return lookup_error(false, LookupFailureType::InvalidRoot); }

} // namespace vstest
