// The randomized model test: 100,000 random invocations (valid and invalid) through the
// real path (handle_invocation), each checked against the reference model of model.hpp:
// the reply with its details, the finaliser calls, every slot's capability (root CNode,
// every live CNode and TCB), the order of the derivation lists and each node's
// descendants as Revoke sees them, rights and badges along derivations, and that no two
// live objects share memory. Deletes and Revokes are now and then interrupted at
// preemption points and re-issued until done. Seeded by TESSERA_TEST_SEED (printed on
// failure); the failing step and its invocation are printed too.
#include <algorithm>
#include <sstream>

#include "../test_support.hpp"
#include "model.hpp"

using namespace captest;

namespace {

constexpr u64 kSteps = 100'000;
constexpr u64 kRoot = Kernel::kRootCNodeSlot;
constexpr u64 kSlotBytes = 32;

// A slot a thread can name: through the CNode capability in root slot `root`, (index, depth).
struct Target {
    u64 root;
    u64 index;
    u64 depth;
    u64 slot;
};

class Generator {
public:
    Generator(Kernel& k, Model& m, std::mt19937_64& rng) : k_(k), m_(m), rng_(rng) {}

    ModelOp next() {
        collect();
        if (!pending_.empty()) {
            ModelOp op = pending_.front();
            pending_.erase(pending_.begin());
            return op;
        }
        if (chance(1) && cnodes_.size() >= 2) return link_two_cnodes();
        // Keep the population moderate: the fuller the CSpace, the more deletes.
        if (below(400) < m_.live_count()) return chance(80) ? one_slot(3) : one_slot(2);
        u64 r = below(100);
        ModelOp op;
        if (r < 22) op = retype();
        else if (r < 36) op = two_slot(4);
        else if (r < 46) op = two_slot(5);
        else if (r < 53) op = two_slot(6);
        else if (r < 58) op = two_slot(7);
        else if (r < 64) op = rotate();
        else if (r < 80) op = one_slot(3);
        else if (r < 88) op = one_slot(2);
        else if (r < 89) op = ModelOp{kRoot, 2, {Kernel::kUntypedSlot, 64}, {}, 0};
        else op = odd();
        return op;
    }

private:
    u64 below(u64 n) { return n == 0 ? 0 : rng_() % n; }
    bool chance(u64 percent) { return below(100) < percent; }

    // The root slots that hold CNodes one can name slots through (guard + radix <= 64).
    void collect() {
        cnodes_.clear();
        for (u64 i = 0; i < k_.root_slots(); ++i) {
            int id = m_.cap_at(m_.root_slot(i));
            if (i != kRoot && id >= 0 && m_.cap(id).type == CapType::CNode &&
                m_.cap(id).bits + m_.cap(id).guard_bits <= 64)
                cnodes_.push_back(i);
        }
    }

    // A slot of the root CNode or, through a root slot holding a CNode, of that CNode.
    Target any_target() {
        if (cnodes_.empty() || chance(50)) {
            u64 i = below(k_.root_slots());
            return {kRoot, i, 64, m_.root_slot(i)};
        }
        u64 root = cnodes_[below(cnodes_.size())];
        const ModelCap& c = m_.cap(m_.cap_at(m_.root_slot(root)));
        u64 j = below(u64{1} << c.bits);
        return {root, (c.guard << c.bits) | j, c.guard_bits + c.bits, c.address + j * kSlotBytes};
    }

    enum class Want { Full, Empty, CNode, Endpoint };
    bool fits(const Target& t, Want want) {
        int id = m_.cap_at(t.slot);
        switch (want) {
        case Want::Full: return id >= 0;
        case Want::Empty: return id < 0;
        case Want::CNode: return id >= 0 && m_.cap(id).type == CapType::CNode;
        case Want::Endpoint:
            return id >= 0 && (m_.cap(id).type == CapType::Endpoint || m_.cap(id).type == CapType::Notification);
        }
        return false;
    }

    // Mostly a slot as wanted; often one used a moment ago, so that operations build on
    // each other (copy, then mint, then delete the first, ...); sometimes a bad pointer.
    Target pick(Want want, u64 percent) {
        Target t = any_target();
        if (chance(percent)) {
            for (u64 tries = 0; tries < 32 && !fits(t, want); ++tries) t = any_target();
            if (chance(45) && !recent_.empty()) {
                const Target& r = recent_[below(recent_.size())];
                if (fits(r, want)) t = r;
            }
        }
        recent_.push_back(t);
        if (recent_.size() > 6) recent_.erase(recent_.begin());
        if (chance(4)) t.depth = below(70);
        if (chance(2)) t.index = rng_();
        if (chance(2)) t.root = below(k_.root_slots());
        return t;
    }

    u64 data_for(const Target& t) {
        int id = m_.cap_at(t.slot);
        if (id >= 0 && m_.cap(id).type == CapType::CNode && chance(90)) {
            u64 bits = below(std::min<u64>(12, 65 - m_.cap(id).bits));
            return (below(u64{1} << bits) << 6) | bits;
        }
        // Badges: often the same few values, so that groups of equal badges meet.
        if (chance(15)) return 0;
        return chance(75) ? 1 + below(2) : rng_();
    }

    ModelOp retype() {
        std::vector<u64> untypeds;
        for (u64 i = 0; i < k_.root_slots(); ++i) {
            int id = m_.cap_at(m_.root_slot(i));
            if (id >= 0 && m_.cap(id).type == CapType::Untyped) untypeds.push_back(i);
        }
        u64 invoked = chance(90) && !untypeds.empty() ? untypeds[below(untypeds.size())] : below(k_.root_slots());
        static const u64 kTypes[] = {2, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4, 4, 4, 0, 0, 0, 1, 1, 5, 5, 6, 9, 6, 7, 8, 10};
        u64 type = kTypes[below(std::size(kTypes))];
        u64 size = 0;
        if (type == 0) size = 4 + below(9);
        if (type == 4) size = chance(50) ? 1 : 1 + below(3);
        if (chance(3)) size = below(64);
        u64 node_root = kRoot, index = 0, depth = 0;
        u64 cnode = kRoot;
        if (chance(35) && !cnodes_.empty()) {
            cnode = cnodes_[below(cnodes_.size())];
            if (chance(50)) node_root = cnode;
            else index = cnode, depth = 64;
        }
        // Mostly a free slot of that CNode.
        const ModelCap& node = m_.cap(m_.cap_at(m_.root_slot(cnode)));
        u64 offset = below(u64{1} << node.bits);
        for (u64 tries = 0; tries < 8 && chance(90) && m_.cap_at(node.address + offset * kSlotBytes) >= 0; ++tries)
            offset = below(u64{1} << node.bits);
        if (chance(3)) depth = below(70), index = rng_() % 80;
        u64 count = chance(60) ? 1 : 1 + below(4);
        if (chance(3)) count = chance(50) ? 0 : 257 + below(10);
        ModelOp op{invoked, 1, {type, size, index, depth, offset, count}, {node_root}, 0};
        if (chance(2)) op.words.pop_back();
        if (chance(1)) op.extra.clear();
        return op;
    }

    ModelOp two_slot(u64 label) {
        Want source = Want::Full;
        if (chance(25)) source = Want::CNode;
        else if (chance(label == 5 ? 60 : 25)) source = Want::Endpoint;
        Target src = pick(source, 90);
        Target dest = pick(Want::Empty, 85);
        // CNodes in each other's first and last slots make the cycles that only Zombies
        // (and revoking their Untyped) can take apart.
        if (source == Want::CNode && !cnodes_.empty() && chance(50)) {
            u64 root = cnodes_[below(cnodes_.size())];
            const ModelCap& c = m_.cap(m_.cap_at(m_.root_slot(root)));
            u64 j = chance(50) ? 0 : (u64{1} << c.bits) - 1;
            dest = {root, (c.guard << c.bits) | j, c.guard_bits + c.bits, c.address + j * kSlotBytes};
        }
        ModelOp op{dest.root, label, {dest.index, dest.depth, src.index, src.depth}, {src.root}, 0};
        if (label == 4) op.words.push_back(chance(50) ? Rights::kMask : below(16));
        if (label == 5) op.words.insert(op.words.end(), {chance(50) ? Rights::kMask : below(16), data_for(src)});
        if (label == 7) op.words.push_back(data_for(src));
        if (chance(2)) op.words.pop_back();
        if (chance(1)) op.extra.clear();
        return op;
    }

    ModelOp rotate() {
        Target src = pick(Want::Full, 90);
        Target pivot = pick(Want::Full, 90);
        Target dest = chance(50) ? src : pick(Want::Empty, 85);
        ModelOp op{dest.root,
                   8,
                   {dest.index, dest.depth, data_for(pivot), pivot.index, pivot.depth, data_for(src), src.index,
                    src.depth},
                   {pivot.root, src.root},
                   0};
        if (chance(2)) op.words.pop_back();
        if (chance(1)) op.extra.pop_back();
        return op;
    }

    ModelOp one_slot(u64 label) {
        Target t = pick(Want::Full, 90);
        ModelOp op{t.root, label, {t.index, t.depth}, {}, 0};
        // Deletes, and Revokes of anything but Untyped, are interrupted now and then: re-issued,
        // they end exactly as the model's uninterrupted ones. (A restarted Revoke of an
        // Untyped may not: see preemption_test.cpp.)
        int id = m_.cap_at(t.slot);
        bool untyped = id >= 0 && m_.cap(id).type == CapType::Untyped;
        if (t.root == kRoot && (label == 3 || !untyped) && chance(30)) op.interrupt_period = 1 + below(6);
        if (chance(2)) op.words.pop_back();
        return op;
    }

    // Now and then a scenario rather than a single operation: two CNodes each holding the
    // other (in its first and its last slot), named from nowhere else, then often the
    // Untyped revoked. Only Zombies take such cycles apart.
    ModelOp link_two_cnodes() {
        u64 a = cnodes_[below(cnodes_.size())];
        u64 b = cnodes_[below(cnodes_.size())];
        auto slot_of = [&](u64 root, bool last) {
            const ModelCap& c = m_.cap(m_.cap_at(m_.root_slot(root)));
            u64 j = last ? (u64{1} << c.bits) - 1 : 0;
            return std::vector<u64>{(c.guard << c.bits) | j, c.guard_bits + c.bits};
        };
        std::vector<u64> b_first = slot_of(b, false), a_last = slot_of(a, true);
        pending_.push_back({a, 4, {a_last[0], a_last[1], b, 64, Rights::kMask}, {kRoot}, 0});
        pending_.push_back({kRoot, 3, {a, 64}, {}, 0});
        pending_.push_back({kRoot, 3, {b, 64}, {}, 0});
        if (chance(50)) pending_.push_back({kRoot, 2, {Kernel::kUntypedSlot, 64}, {}, 0});
        return {b, 4, {b_first[0], b_first[1], a, 64, Rights::kMask}, {kRoot}, 0};
    }

    // Wrong labels, invocations of other objects, pointers that do not resolve.
    ModelOp odd() {
        u64 invoked = chance(80) ? below(k_.root_slots()) : rng_();
        std::vector<u64> words;
        for (u64 i = 0, n = below(9); i < n; ++i) words.push_back(chance(50) ? below(70) : rng_());
        std::vector<u64> extra;
        for (u64 i = 0, n = below(3); i < n; ++i) extra.push_back(chance(90) ? below(k_.root_slots()) : rng_());
        return ModelOp{invoked, below(12), words, extra, 0};
    }

    Kernel& k_;
    Model& m_;
    std::mt19937_64& rng_;
    std::vector<Target> recent_;
    std::vector<ModelOp> pending_;
    std::vector<u64> cnodes_;
};

// The boot originals stay where they are: the Untyped is never deleted or moved, nor the
// root CNode's capability to itself (it is every operation's extra[0]).
bool touches_originals(const Model& m, const ModelPlan& plan) {
    u64 kept[] = {m.root_slot(Kernel::kUntypedSlot), m.root_slot(kRoot)};
    for (u64 slot : kept) {
        if (plan.label == 3 && plan.dest == slot) return true;
        if ((plan.label >= 6 && plan.label <= 8) && (plan.src == slot || plan.pivot == slot)) return true;
    }
    return false;
}

// Compares the kernel with the model; returns what differs ("" when nothing).
std::string compare(Kernel& k, const Model& m, u64 step) {
    std::ostringstream problem;
    auto slot_matches = [&](u64 address) {
        const Slot& slot = *reinterpret_cast<const Slot*>(address);
        int id = m.cap_at(address);
        if (id < 0) {
            if (!slot.is_empty() || slot.prev() != nullptr || slot.next() != nullptr)
                problem << "slot " << normalised(k, address) << " should be empty: " << describe(slot.cap) << "\n";
        } else if (!(slot.cap == m.expected(id)) || slot.revocable() != m.cap(id).revocable) {
            problem << "slot " << normalised(k, address) << " holds " << describe(slot.cap) << " revocable "
                    << slot.revocable() << ", expected " << describe(m.expected(id)) << " revocable "
                    << m.cap(id).revocable << "\n";
        }
    };
    for (u64 i = 0; i < k.root_slots(); ++i) slot_matches(m.root_slot(i));
    // Every live object: its slots, and that it shares no memory with another object.
    struct Object {
        u64 address, bytes;
    };
    std::vector<Object> objects;
    std::vector<std::pair<u64, u64>> untypeds;
    std::vector<std::pair<u64, u64>> with_slots; // (address, slots)
    for (const ModelCap& c : m.caps()) {
        if (!c.live) continue;
        if (Model::object_slots(c) != 0 && k.arena().contains(c.address))
            with_slots.push_back({c.address, Model::object_slots(c)});
        if (c.type == CapType::Untyped) {
            untypeds.push_back({c.address, Model::object_bytes(c)});
            continue;
        }
        if (!k.arena().contains(c.address)) continue;
        objects.push_back({c.address, Model::object_bytes(c)});
    }
    std::sort(objects.begin(), objects.end(), [](const Object& a, const Object& b) { return a.address < b.address; });
    auto same = [](const Object& a, const Object& b) { return a.address == b.address && a.bytes == b.bytes; };
    objects.erase(std::unique(objects.begin(), objects.end(), same), objects.end());
    for (u64 i = 0; i < objects.size(); ++i) {
        const Object& o = objects[i];
        if (!k.arena().contains(o.address + o.bytes - 1)) problem << "object past the arena\n";
        if (i + 1 < objects.size() && o.address + o.bytes > objects[i + 1].address)
            problem << "objects share memory at " << normalised(k, objects[i + 1].address) << "\n";
    }
    std::sort(with_slots.begin(), with_slots.end());
    with_slots.erase(std::unique(with_slots.begin(), with_slots.end()), with_slots.end());
    for (auto [address, slots] : with_slots)
        for (u64 s = 0; s < slots; ++s) slot_matches(address + s * kSlotBytes);
    for (auto [a, a_bytes] : untypeds)
        for (auto [b, b_bytes] : untypeds) {
            bool disjoint = a + a_bytes <= b || b + b_bytes <= a;
            bool nested = (a <= b && b + b_bytes <= a + a_bytes) || (b <= a && a + a_bytes <= b + b_bytes);
            if (!disjoint && !nested) problem << "Untyped regions overlap\n";
        }
    // The derivation lists, node by node, against the model's depth-first order; and each
    // node's descendants as the kernel sees them (what Revoke would remove: the nodes
    // after it while is_parent_of holds) against the model's subtree.
    u64 walked = 0;
    for (int root : {Model::kCSpaceRoot, Model::kUntyped}) {
        std::vector<int> order = m.list_from(root);
        std::vector<u64> subtree(order.size(), 1);
        std::vector<const Slot*> nodes;
        for (u64 i = order.size(); i-- > 0;)
            if (int parent = m.cap(order[i]).parent; parent >= 0)
                for (u64 j = i; j-- > 0;)
                    if (order[j] == parent) {
                        subtree[j] += subtree[i];
                        break;
                    }
        const Slot* node = reinterpret_cast<const Slot*>(m.cap(root).slot);
        if (node->prev() != nullptr) problem << "a list head has a predecessor\n";
        for (u64 i = 0; i < order.size(); ++i, node = node->next()) {
            if (node == nullptr || reinterpret_cast<u64>(node) != m.cap(order[i]).slot) {
                problem << "list from " << root << " differs at position " << i << "\n";
                break;
            }
            if (node->next() != nullptr && node->next()->prev() != node) problem << "asymmetric links\n";
            // Rights never grow and badges never change along a derivation.
            int parent = m.cap(order[i]).parent;
            if (parent >= 0 && m.cap(parent).type == m.cap(order[i]).type) {
                const ModelCap& p = m.cap(parent);
                const ModelCap& c = m.cap(order[i]);
                if ((c.rights & ~p.rights) != 0) problem << "rights grew\n";
                if (p.badge != 0 && c.badge != p.badge) problem << "badge changed\n";
            }
            ++walked;
            nodes.push_back(node);
        }
        if (node != nullptr) problem << "list from " << root << " is longer than the model's\n";
        for (u64 i = 0; i < nodes.size(); ++i) {
            u64 run = 0;
            while (i + 1 + run < nodes.size() && is_parent_of(*nodes[i], *nodes[i + 1 + run])) ++run;
            if (run + 1 != subtree[i])
                problem << "the kernel sees " << run << " descendants of " << normalised(k, m.cap(order[i]).slot)
                        << ", the model " << subtree[i] - 1 << "\n";
        }
    }
    if (walked != m.live_count()) problem << "the lists hold " << walked << " of " << m.live_count() << " caps\n";
    std::string text = problem.str();
    if (!text.empty()) text = "after step " + std::to_string(step) + ":\n" + text;
    return text;
}

std::string events_text(Kernel& k, const std::vector<FinaliserEvent>& events) {
    std::string text;
    for (const FinaliserEvent& e : events) text += std::string(cap_type_name(e.type)) + normalised(k, e.value) + " ";
    return text;
}

} // namespace

TEST_CASE("random invocations agree with the reference model") {
    INFO("TESSERA_TEST_SEED=" << tessera_test::test_seed());
    std::mt19937_64 rng = tessera_test::make_rng(0xcab5);
    Kernel k(17, 7);
    FinaliserLog log;
    Model m(k);
    Generator generator(k, m, rng);
    std::vector<u64> outcomes(3), successes(10);
    u64 finalised = 0, interrupted = 0, with_zombies = 0;
    u64 step = 0;
    for (u64 attempt = 0; step < kSteps; ++attempt) {
        REQUIRE(attempt < 4 * kSteps);
        ModelOp op = generator.next();
        ModelPlan plan = m.decode(op);
        if (plan.reply.ok() && touches_originals(m, plan)) continue;
        ++step;
        Reply reply;
        if (op.interrupt_period != 0) {
            PeriodicInterrupt interrupt(op.interrupt_period);
            reply = k.invoke_until_done(op.invoked, static_cast<InvocationLabel>(op.label), op.words, op.extra,
                                        interrupt.point);
        } else {
            reply = k.invoke(op.invoked, op.label, op.words, op.extra);
        }
        std::vector<FinaliserEvent> expected_events;
        if (plan.reply.ok()) m.perform(plan, expected_events);
        const std::vector<FinaliserEvent>& events = log.events();
        ++outcomes[plan.reply.ok() ? 0 : plan.reply.outcome == InvocationOutcome::Error ? 1 : 2];
        if (plan.reply.ok()) ++successes[std::min<u64>(op.label, 9)];
        finalised += expected_events.size();
        interrupted += op.interrupt_period != 0 && plan.reply.ok();
        if (!(reply == plan.reply) || events != expected_events) {
            INFO("step " << step << ": " << op.describe());
            CHECK(reply == plan.reply);
            CHECK(events_text(k, events) == events_text(k, expected_events));
            FAIL("the kernel and the model disagree");
        }
        log.clear();
        for (const ModelCap& c : m.caps())
            if (c.live && c.type == CapType::Zombie) {
                ++with_zombies;
                break;
            }
        std::string problem = compare(k, m, step);
        if (!problem.empty()) {
            INFO(op.describe());
            FAIL(problem);
        }
    }
    // Enough of each kind happened for the run to mean something.
    INFO("successes " << outcomes[0] << ", errors " << outcomes[1] << ", faults " << outcomes[2]);
    CHECK(outcomes[0] > kSteps / 4);
    CHECK(outcomes[1] > kSteps / 4);
    CHECK(outcomes[2] > 100);
    for (u64 label = 1; label <= 8; ++label) {
        INFO("successful invocations with label " << label << ": " << successes[label]);
        CHECK(successes[label] > kSteps / 250);
    }
    INFO("finalisations " << finalised << ", interrupted " << interrupted << ", steps with Zombies " << with_zombies);
    CHECK(finalised > kSteps / 20);
    CHECK(interrupted > kSteps / 200);
    CHECK(with_zombies > kSteps / 200);
    // Revoking the Untyped takes everything back.
    std::vector<FinaliserEvent> events;
    ModelOp revoke{kRoot, 2, {Kernel::kUntypedSlot, 64}, {}, 0};
    ModelPlan plan = m.decode(revoke);
    REQUIRE(plan.reply.ok());
    m.perform(plan, events);
    REQUIRE(k.invoke(kRoot, 2, revoke.words) == success());
    CHECK(compare(k, m, step + 1).empty());
    CHECK(descendants_of(k.slot(Kernel::kUntypedSlot)).empty());
}
