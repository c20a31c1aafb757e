#pragma once
// A small reference model of the capability core for the randomized test: capabilities as
// records in an explicit derivation tree (a parent and an ordered list of children each),
// slots as a map from slot address to capability, Untyped watermarks in the Untyped
// records. It predicts, from docs/capabilities.md and docs/invocations.md, the reply of
// every invocation, the finaliser calls, and the state afterwards.
#include <string>
#include <vector>

#include "cap_fixture.hpp"

namespace captest {

struct ModelCap {
    CapType type = CapType::Null;
    u64 address = 0;
    unsigned bits = 0; // Untyped size, CNode radix, Frame size; a Zombie keeps its object's
    u8 rights = 0;
    u64 badge = 0;           // Endpoint, Notification
    u64 guard = 0;           // CNode
    unsigned guard_bits = 0; // CNode
    u64 watermark = 0;       // Untyped
    CapType kind = CapType::Null; // Zombie: what is dying
    u64 remaining = 0;            // Zombie
    bool revocable = false;
    int parent = -1;
    std::vector<int> children; // in derivation-list order
    u64 slot = 0;
    bool live = false;
};

// An invocation as a thread with the fixture's CSpace makes it.
struct ModelOp {
    u64 invoked = 0;
    u64 label = 0;
    std::vector<u64> words;
    std::vector<u64> extra;
    u64 interrupt_period = 0; // interrupted every N-th preemption point, re-issued until done
    std::string describe() const;
};

// What decoding found: the reply, and for a valid invocation what to do.
struct ModelPlan {
    Reply reply;
    u64 label = 0;
    u64 invoked = 0; // slot addresses
    u64 dest = 0;
    u64 src = 0;
    u64 pivot = 0;
    ModelCap made;       // Copy/Mint: the new capability
    ModelCap new_src;    // Mutate/Rotate: the moved capabilities with their new data
    ModelCap new_pivot;
    ObjectType type = ObjectType::Untyped; // Retype
    unsigned user_bits = 0;
    unsigned object_bits = 0;
    u64 count = 0;
    u64 start = 0;
};

class Model {
public:
    explicit Model(Kernel& kernel);

    ModelPlan decode(const ModelOp& op) const;
    // Applies a successful plan; the finaliser calls it predicts are appended to `events`.
    void perform(const ModelPlan& plan, std::vector<FinaliserEvent>& events);

    int cap_at(u64 slot) const { return const_cast<Model*>(this)->index(slot); }
    const ModelCap& cap(int id) const { return caps_[id]; }
    const std::vector<ModelCap>& caps() const { return caps_; }
    u64 live_count() const { return live_; }
    Capability expected(int id) const;
    std::vector<int> list_from(int root) const; // depth-first, as the derivation list
    u64 root_slot(u64 index) const { return root_base_ + index * sizeof(Slot); }
    static u64 object_slots(const ModelCap& cap); // 0 for objects without slots
    static u64 object_bytes(const ModelCap& cap);
    static constexpr int kCSpaceRoot = 0; // the boot originals: the CSpace root CNode ...
    static constexpr int kUntyped = 2;    // ... and the arena's Untyped

private:
    struct Resolved {
        bool ok = false;
        LookupFailure failure;
        u64 slot = 0;
        u64 bits_remaining = 0;
    };
    Resolved resolve(int root, u64 pointer, u64 depth) const;
    bool lookup_for_cnode_op(bool source, int root, u64 pointer, u64 depth, u64& slot, Reply& error) const;
    void decode_retype(ModelPlan& plan, const ModelOp& op, const std::vector<u64>& extra) const;
    void decode_cnode(ModelPlan& plan, const ModelOp& op, const std::vector<u64>& extra) const;
    // Which capability a slot holds (-1: none), by slot address: the CSpace root's slot,
    // the root CNode's slots, or a slot anywhere in the arena.
    int& index(u64 slot);

    int add(ModelCap cap);
    void insert_after_source(int id, int source);
    void remove(int id);
    void move(u64 from, u64 to);
    void swap(u64 a, u64 b);
    bool is_final(int id) const;
    void finalise_events(int id, bool final, std::vector<FinaliserEvent>& events) const;
    void make_zombie(int id, std::vector<FinaliserEvent>& events);
    bool removable(int id, u64 slot) const;
    void delete_exposed(u64 slot, std::vector<FinaliserEvent>& events);
    void delete_unexposed(u64 slot, std::vector<FinaliserEvent>& events);
    void revoke(u64 slot, std::vector<FinaliserEvent>& events);

    std::vector<ModelCap> caps_;
    std::vector<int> root_slots_;  // the root CNode's
    std::vector<int> arena_slots_; // one per 32 bytes of the arena
    u64 cspace_root_slot_;
    int cspace_root_cap_ = -1;
    int nowhere_ = -1;
    std::vector<int> roots_;
    std::vector<int> free_; // records of removed capabilities, for reuse
    u64 live_ = 0;
    u64 root_base_;
    u64 arena_base_;
    unsigned arena_bits_;
};

} // namespace captest
