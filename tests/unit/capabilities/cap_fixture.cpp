#include "cap_fixture.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>

namespace captest {

Arena::Arena(unsigned bits, u8 fill) : bits_(bits) {
    memory_ = std::aligned_alloc(size(), size());
    REQUIRE(memory_ != nullptr);
    std::memset(memory_, fill, size());
}

Arena::~Arena() { std::free(memory_); }

bool Arena::all_bytes(u64 address, u64 length, u8 value) {
    const u8* bytes = reinterpret_cast<const u8*>(address);
    for (u64 i = 0; i < length; ++i)
        if (bytes[i] != value) return false;
    return true;
}

bool Reply::operator==(const Reply& other) const {
    if (outcome != other.outcome) return false;
    switch (outcome) {
    case InvocationOutcome::Success:
    case InvocationOutcome::Restart: return true;
    case InvocationOutcome::Error: return label == other.label && words == other.words;
    case InvocationOutcome::CapabilityFault:
        return fault.pointer == other.fault.pointer && fault.in_receive_phase == other.fault.in_receive_phase &&
               fault.failure == other.fault.failure;
    }
    return false;
}

Reply success() { return Reply{}; }

Reply error(ErrorCode code, std::vector<u64> details) {
    Reply reply;
    reply.outcome = InvocationOutcome::Error;
    reply.label = static_cast<u64>(code);
    reply.words = std::move(details);
    return reply;
}

Reply lookup_error(bool source, LookupFailureType type, std::vector<u64> details) {
    std::vector<u64> words{source ? 1u : 0u, static_cast<u64>(type)};
    words.insert(words.end(), details.begin(), details.end());
    return error(ErrorCode::FailedLookup, words);
}

Reply capability_fault(u64 pointer, const LookupFailure& failure) {
    Reply reply;
    reply.outcome = InvocationOutcome::CapabilityFault;
    reply.fault = CapabilityFault{pointer, false, failure};
    return reply;
}

Reply from_invocation_reply(const InvocationReply& raw) {
    Reply reply;
    reply.outcome = raw.outcome;
    if (raw.outcome == InvocationOutcome::Error) {
        reply.label = raw.info.label;
        REQUIRE(raw.info.length <= 6);
        REQUIRE(raw.info.extra_caps == 0);
        reply.words.assign(raw.words, raw.words + raw.info.length);
    }
    if (raw.outcome == InvocationOutcome::Success) {
        REQUIRE(raw.info == MessageInfo{});
    }
    if (raw.outcome == InvocationOutcome::CapabilityFault) reply.fault = raw.fault;
    return reply;
}

std::string describe(const Capability& cap) {
    char text[160];
    std::snprintf(text, sizeof text, "%s{addr=%#llx small=%u rights=%#x word1=%#llx}", cap_type_name(cap.type()),
                  static_cast<unsigned long long>(cap.address()), cap.small_field(), cap.rights().bits,
                  static_cast<unsigned long long>(cap.word1()));
    return text;
}

std::string describe(const Reply& reply) {
    switch (reply.outcome) {
    case InvocationOutcome::Success: return "Success";
    case InvocationOutcome::Restart: return "Restart";
    case InvocationOutcome::CapabilityFault: {
        char text[160];
        std::snprintf(text, sizeof text, "CapabilityFault{ptr=%#llx type=%llu left=%llu found=%llu guard=%#llx/%llu}",
                      static_cast<unsigned long long>(reply.fault.pointer),
                      static_cast<unsigned long long>(reply.fault.failure.type),
                      static_cast<unsigned long long>(reply.fault.failure.bits_left),
                      static_cast<unsigned long long>(reply.fault.failure.bits_found),
                      static_cast<unsigned long long>(reply.fault.failure.guard_found),
                      static_cast<unsigned long long>(reply.fault.failure.guard_bits));
        return text;
    }
    case InvocationOutcome::Error: break;
    }
    std::string text = std::string("Error ") + error_code_name(static_cast<ErrorCode>(reply.label)) + " [";
    for (u64 word : reply.words) text += " " + std::to_string(word);
    return text + " ]";
}

std::string describe(const InvocationError& error) {
    MessageInfo info;
    u64 words[6] = {};
    info = encode_error_reply(error, kstd::Span<u64>(words));
    Reply reply;
    reply.outcome = InvocationOutcome::Error;
    reply.label = info.label;
    reply.words.assign(words, words + info.length);
    return describe(reply);
}

bool PeriodicInterrupt::check(void* self) {
    auto* interrupt = static_cast<PeriodicInterrupt*>(self);
    ++interrupt->calls;
    return interrupt->period != 0 && interrupt->calls % interrupt->period == 0;
}

namespace {

std::vector<FinaliserEvent> g_events;

void record(CapType type, u64 value) { g_events.push_back({type, value}); }

} // namespace

FinaliserLog::FinaliserLog() {
    g_events.clear();
    ObjectFinalisers& hooks = object_finalisers();
    hooks.endpoint = [](u64 address) { record(CapType::Endpoint, address); };
    hooks.notification = [](u64 address) { record(CapType::Notification, address); };
    hooks.reply = [](u64 address) { record(CapType::Reply, address); };
    hooks.tcb = [](u64 address) { record(CapType::Tcb, address); };
    hooks.irq_handler = [](const Capability& cap) { record(CapType::IrqHandler, cap.irq_line()); };
    hooks.frame = [](const Capability& cap) { record(CapType::Frame, cap.address()); };
    hooks.page_table = [](const Capability& cap) { record(CapType::PageTable, cap.address()); };
    hooks.asid_pool = [](u64 address) { record(CapType::AsidPool, address); };
}

FinaliserLog::~FinaliserLog() {
    object_finalisers() = ObjectFinalisers{};
    g_events.clear();
}

u64 FinaliserLog::count(CapType type, u64 value) const {
    u64 n = 0;
    for (const FinaliserEvent& event : g_events) n += event.type == type && event.value == value;
    return n;
}

u64 FinaliserLog::count(CapType type) const {
    u64 n = 0;
    for (const FinaliserEvent& event : g_events) n += event.type == type;
    return n;
}

const std::vector<FinaliserEvent>& FinaliserLog::events() const { return g_events; }

void FinaliserLog::clear() { g_events.clear(); }

Kernel::Kernel(unsigned arena_bits, unsigned root_radix, u64 untyped_slot)
    : arena_(arena_bits), root_radix_(root_radix) {
    u64 bytes = sizeof(Slot) << root_radix;
    root_storage_ = static_cast<Slot*>(std::aligned_alloc(bytes, bytes));
    REQUIRE(root_storage_ != nullptr);
    std::memset(static_cast<void*>(root_storage_), 0, bytes);
    // The boot CNode: the original is the thread's CSpace root; the CNode holds a copy of
    // it, so the root task can name its own CNode (as extra[0] of Retype, say).
    cspace_root_.cap = Capability::cnode(reinterpret_cast<u64>(root_storage_), root_radix, 64 - root_radix, 0);
    cspace_root_.set_revocable(true);
    insert_child(cspace_root_.cap, cspace_root_, slot(kRootCNodeSlot), false);
    place_original(untyped_slot, Capability::untyped(arena_.base(), arena_bits, false));
}

Kernel::~Kernel() { std::free(root_storage_); }

Slot& Kernel::slot(u64 index) {
    if (index >= root_slots()) FAIL("root CNode slot " << index << " does not exist");
    return root_storage_[index];
}

void Kernel::place_original(u64 index, const Capability& cap) {
    REQUIRE(slot(index).is_empty());
    tessera::place_original(cap, slot(index));
}

Reply Kernel::invoke(u64 invoked, u64 label, const std::vector<u64>& words, const std::vector<u64>& extra,
                     PreemptionPoint* interrupt) {
    PreemptionPoint never(nullptr, nullptr);
    MessageInfo info;
    info.label = label;
    info.length = words.size();
    info.extra_caps = extra.size();
    InvocationReply raw =
        handle_invocation(cspace_root_.cap, invoked, info, kstd::Span<const u64>(words.data(), words.size()),
                          kstd::Span<const u64>(extra.data(), extra.size()), interrupt ? *interrupt : never);
    return from_invocation_reply(raw);
}

Reply Kernel::invoke_until_done(u64 invoked, InvocationLabel label, const std::vector<u64>& words,
                                const std::vector<u64>& extra, PreemptionPoint& interrupt, u64* restarts) {
    u64 count = 0;
    for (;;) {
        Reply reply = invoke(invoked, label, words, extra, &interrupt);
        if (reply.outcome != InvocationOutcome::Restart) {
            if (restarts) *restarts = count;
            return reply;
        }
        ++count;
        REQUIRE(count < 10'000'000);
    }
}

Reply Kernel::retype(u64 untyped, ObjectType type, u64 size_bits, u64 first_slot, u64 count) {
    return retype(untyped, static_cast<u64>(type), size_bits, kRootCNodeSlot, 0, 0, first_slot, count);
}

Reply Kernel::retype(u64 untyped, u64 type, u64 size_bits, u64 node_root, u64 node_index, u64 node_depth, u64 offset,
                     u64 count) {
    return invoke(untyped, InvocationLabel::UntypedRetype, {type, size_bits, node_index, node_depth, offset, count},
                  {node_root});
}

Reply Kernel::copy(u64 dest, u64 src, u64 rights) {
    return invoke(kRootCNodeSlot, InvocationLabel::CNodeCopy, {dest, 64, src, 64, rights}, {kRootCNodeSlot});
}

Reply Kernel::mint(u64 dest, u64 src, u64 rights, u64 data) {
    return invoke(kRootCNodeSlot, InvocationLabel::CNodeMint, {dest, 64, src, 64, rights, data}, {kRootCNodeSlot});
}

Reply Kernel::move(u64 dest, u64 src) {
    return invoke(kRootCNodeSlot, InvocationLabel::CNodeMove, {dest, 64, src, 64}, {kRootCNodeSlot});
}

Reply Kernel::mutate(u64 dest, u64 src, u64 data) {
    return invoke(kRootCNodeSlot, InvocationLabel::CNodeMutate, {dest, 64, src, 64, data}, {kRootCNodeSlot});
}

Reply Kernel::rotate(u64 dest, u64 pivot_data, u64 pivot, u64 src_data, u64 src) {
    return invoke(kRootCNodeSlot, InvocationLabel::CNodeRotate, {dest, 64, pivot_data, pivot, 64, src_data, src, 64},
                  {kRootCNodeSlot, kRootCNodeSlot});
}

Reply Kernel::remove(u64 index, PreemptionPoint* interrupt) {
    return invoke(kRootCNodeSlot, InvocationLabel::CNodeDelete, {index, 64}, {}, interrupt);
}

Reply Kernel::revoke(u64 index, PreemptionPoint* interrupt) {
    return invoke(kRootCNodeSlot, InvocationLabel::CNodeRevoke, {index, 64}, {}, interrupt);
}

std::vector<Slot*> derivation_list(Slot& head) {
    std::vector<Slot*> nodes;
    std::set<Slot*> seen;
    REQUIRE(head.prev() == nullptr);
    for (Slot* node = &head; node != nullptr; node = node->next()) {
        REQUIRE(seen.insert(node).second); // no cycle
        REQUIRE_FALSE(node->is_empty());
        if (node->next()) REQUIRE(node->next()->prev() == node);
        nodes.push_back(node);
    }
    return nodes;
}

std::vector<Slot*> descendants_of(Slot& slot) {
    std::vector<Slot*> nodes;
    for (Slot* node = slot.next(); node != nullptr && is_parent_of(slot, *node); node = node->next())
        nodes.push_back(node);
    return nodes;
}

void require_linked_consistently(Slot* slots, u64 count) {
    for (u64 i = 0; i < count; ++i) {
        Slot& slot = slots[i];
        bool ok = slot.is_empty() ? slot.prev() == nullptr && slot.next() == nullptr
                                  : (!slot.prev() || slot.prev()->next() == &slot) &&
                                        (!slot.next() || slot.next()->prev() == &slot);
        if (!ok) FAIL("slot " << i << " (" << describe(slot.cap) << ") is linked inconsistently");
    }
}

std::string normalised(Kernel& kernel, u64 value) {
    if (kernel.arena().contains(value)) return "arena+" + std::to_string(value - kernel.arena().base());
    if (value > 0 && kernel.arena().contains(value - 1)) return "arena-end";
    u64 root = reinterpret_cast<u64>(kernel.root_storage());
    if (value >= root && value - root < sizeof(Slot) * kernel.root_slots())
        return "rootcnode+" + std::to_string(value - root);
    if (value == reinterpret_cast<u64>(&kernel.cspace_root())) return "cspace-root";
    return std::to_string(value);
}

std::string normalised(Kernel& kernel, const Capability& cap) {
    // Word 1 of an Untyped is a watermark, of a Zombie a count: not addresses.
    bool address_word = cap.type() != CapType::Untyped && cap.type() != CapType::Zombie;
    return std::string(cap_type_name(cap.type())) + " @" + normalised(kernel, cap.address()) +
           " small=" + std::to_string(cap.small_field()) + " rights=" + std::to_string(cap.rights().bits) +
           " w1=" + (address_word ? normalised(kernel, cap.word1()) : std::to_string(cap.word1()));
}

std::vector<std::string> snapshot(Kernel& kernel, const std::vector<Slot*>& heads) {
    std::vector<std::string> picture;
    for (Slot* head : heads) {
        picture.push_back("list");
        if (head->is_empty()) continue;
        for (Slot* node : derivation_list(*head))
            picture.push_back(normalised(kernel, reinterpret_cast<u64>(node)) + " " + normalised(kernel, node->cap) +
                              (node->revocable() ? " R" : "") + (node->first_badged() ? " B" : ""));
    }
    return picture;
}

std::vector<std::string> picture(Kernel& kernel) {
    std::vector<Slot*> heads{&kernel.cspace_root()};
    for (u64 i = 0; i < kernel.root_slots(); ++i)
        if (!kernel.slot(i).is_empty() && kernel.slot(i).prev() == nullptr) heads.push_back(&kernel.slot(i));
    std::vector<std::string> all = snapshot(kernel, heads);
    for (u64 i = 0; i < kernel.root_slots(); ++i)
        if (!kernel.slot(i).is_empty()) all.push_back(std::to_string(i) + ": " + normalised(kernel, kernel.cap(i)));
    return all;
}

} // namespace captest
