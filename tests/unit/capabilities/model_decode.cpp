// The model's decoding: capability-pointer resolution and every check of the Retype and
// CNode tables in docs/invocations.md, in the order the kernel makes them.
#include "model.hpp"

namespace captest {

namespace {

constexpr u64 kSlotBytes = 32;

u64 mask(u64 bits) { return bits >= 64 ? ~u64{0} : (u64{1} << bits) - 1; }
u64 field(u64 pointer, u64 shift, u64 width) { return (shift >= 64 ? 0 : pointer >> shift) & mask(width); }

Reply failed(bool source, const LookupFailure& f) {
    switch (f.type) {
    case LookupFailureType::MissingCapability: return lookup_error(source, f.type, {f.bits_left});
    case LookupFailureType::DepthMismatch: return lookup_error(source, f.type, {f.bits_left, f.bits_found});
    case LookupFailureType::GuardMismatch:
        return lookup_error(source, f.type, {f.bits_left, f.guard_found, f.guard_bits});
    default: return lookup_error(source, f.type);
    }
}

// Sizes from the Retype section of docs/invocations.md.
unsigned object_bits(u64 type, u64 user) {
    switch (type) {
    case 0: return static_cast<unsigned>(user);
    case 1: return 10;
    case 2: return 4;
    case 3: return 5;
    case 4: return static_cast<unsigned>(user) + 5;
    case 5: return 5;
    case 6: return 12;
    case 7: return 21;
    case 8: return 30;
    default: return 12;
    }
}

// New data as Mint (preserve = false) or Mutate/Rotate (preserve = true) applies it:
// false when the change is not allowed.
bool update_data(bool preserve, u64 data, ModelCap& cap) {
    switch (cap.type) {
    case CapType::Endpoint:
    case CapType::Notification:
        if (preserve || cap.badge != 0) return false;
        cap.badge = data;
        return true;
    case CapType::CNode: {
        u64 guard_bits = data & 63;
        if (guard_bits + cap.bits > 64) return false;
        cap.guard_bits = static_cast<unsigned>(guard_bits);
        cap.guard = (data >> 6) & mask(guard_bits);
        return true;
    }
    default: return true;
    }
}

} // namespace

Model::Resolved Model::resolve(int root, u64 pointer, u64 depth) const {
    Resolved r;
    if (root < 0 || caps_[root].type != CapType::CNode) {
        r.failure.type = LookupFailureType::InvalidRoot;
        return r;
    }
    const ModelCap* node = &caps_[root];
    u64 bits = depth;
    for (;;) {
        u64 guard_bits = node->guard_bits;
        u64 level = guard_bits + node->bits;
        if (guard_bits > bits || field(pointer, bits - guard_bits, guard_bits) != node->guard) {
            r.failure = {LookupFailureType::GuardMismatch, bits, 0, node->guard, guard_bits};
            return r;
        }
        if (level > bits) {
            r.failure = {LookupFailureType::DepthMismatch, bits, level, 0, 0};
            return r;
        }
        r.slot = node->address + field(pointer, bits - level, node->bits) * kSlotBytes;
        bits -= level;
        int next = cap_at(r.slot);
        if (bits == 0 || next < 0 || caps_[next].type != CapType::CNode) {
            r.ok = true;
            r.bits_remaining = bits;
            return r;
        }
        node = &caps_[next];
    }
}

bool Model::lookup_for_cnode_op(bool source, int root, u64 pointer, u64 depth, u64& slot, Reply& error) const {
    if (root < 0 || caps_[root].type != CapType::CNode) {
        error = lookup_error(source, LookupFailureType::InvalidRoot);
        return false;
    }
    if (depth < 1 || depth > 64) {
        error = captest::error(ErrorCode::RangeError, {1, 64});
        return false;
    }
    Resolved r = resolve(root, pointer, depth);
    if (!r.ok) {
        error = failed(source, r.failure);
        return false;
    }
    if (r.bits_remaining != 0) {
        error = lookup_error(source, LookupFailureType::DepthMismatch, {r.bits_remaining, 0});
        return false;
    }
    slot = r.slot;
    return true;
}

ModelPlan Model::decode(const ModelOp& op) const {
    ModelPlan plan;
    plan.label = op.label;
    Resolved invoked = resolve(kCSpaceRoot, op.invoked, 64);
    if (!invoked.ok) {
        plan.reply = capability_fault(op.invoked, invoked.failure);
        return plan;
    }
    std::vector<u64> extra;
    for (u64 pointer : op.extra) {
        Resolved r = resolve(kCSpaceRoot, pointer, 64);
        if (!r.ok) {
            plan.reply = capability_fault(pointer, r.failure);
            return plan;
        }
        extra.push_back(r.slot);
    }
    plan.invoked = invoked.slot;
    int id = cap_at(invoked.slot);
    if (id < 0 || caps_[id].type == CapType::Zombie) {
        plan.reply = error(ErrorCode::InvalidCapability, {0});
        return plan;
    }
    if (caps_[id].type == CapType::Untyped) decode_retype(plan, op, extra);
    else if (caps_[id].type == CapType::CNode) decode_cnode(plan, op, extra);
    else plan.reply = error(ErrorCode::IllegalOperation);
    return plan;
}

void Model::decode_retype(ModelPlan& plan, const ModelOp& op, const std::vector<u64>& extra) const {
    const std::vector<u64>& w = op.words;
    auto fail = [&](Reply reply) { plan.reply = std::move(reply); };
    if (op.label != 1) return fail(error(ErrorCode::IllegalOperation));
    if (w.size() < 6 || extra.empty()) return fail(error(ErrorCode::TruncatedMessage));
    if (w[0] >= 10) return fail(error(ErrorCode::InvalidArgument, {0}));
    if (w[1] >= 59 || object_bits(w[0], w[1]) > 47) return fail(error(ErrorCode::RangeError, {0, 47}));
    if (w[0] == 4 && w[1] == 0) return fail(error(ErrorCode::InvalidArgument, {1}));
    if (w[0] == 0 && w[1] < 4) return fail(error(ErrorCode::RangeError, {4, 47}));
    u64 node_slot = extra[0];
    Reply lookup;
    if (w[3] != 0 && !lookup_for_cnode_op(false, cap_at(extra[0]), w[2], w[3], node_slot, lookup)) return fail(lookup);
    int node = cap_at(node_slot);
    if (node < 0 || caps_[node].type != CapType::CNode)
        return fail(lookup_error(false, LookupFailureType::MissingCapability, {w[3]}));
    u64 slots = u64{1} << caps_[node].bits;
    if (w[4] > slots - 1) return fail(error(ErrorCode::RangeError, {0, slots - 1}));
    if (w[5] < 1 || w[5] > 256) return fail(error(ErrorCode::RangeError, {1, 256}));
    if (w[5] > slots - w[4]) return fail(error(ErrorCode::RangeError, {1, slots - w[4]}));
    plan.dest = caps_[node].address + w[4] * kSlotBytes;
    for (u64 i = 0; i < w[5]; ++i)
        if (cap_at(plan.dest + i * kSlotBytes) >= 0) return fail(error(ErrorCode::DeleteFirst));
    const ModelCap& untyped = caps_[cap_at(plan.invoked)];
    u64 watermark = untyped.children.empty() ? 0 : untyped.watermark;
    u64 size = u64{1} << untyped.bits;
    unsigned bits = object_bits(w[0], w[1]);
    u64 start = untyped.address + watermark;
    start = (start + (u64{1} << bits) - 1) & ~((u64{1} << bits) - 1);
    u64 offset = start - untyped.address;
    if (offset > size || (w[5] << bits) > size - offset)
        return fail(error(ErrorCode::NotEnoughMemory, {size - watermark}));
    plan.type = static_cast<ObjectType>(w[0]);
    plan.user_bits = static_cast<unsigned>(w[1]);
    plan.object_bits = bits;
    plan.count = w[5];
    plan.start = start;
}

void Model::decode_cnode(ModelPlan& plan, const ModelOp& op, const std::vector<u64>& extra) const {
    const std::vector<u64>& w = op.words;
    auto fail = [&](Reply reply) { plan.reply = std::move(reply); };
    if (op.label < 2 || op.label > 10) return fail(error(ErrorCode::IllegalOperation));
    if (w.size() < 2) return fail(error(ErrorCode::TruncatedMessage));
    Reply lookup;
    if (!lookup_for_cnode_op(false, cap_at(plan.invoked), w[0], w[1], plan.dest, lookup)) return fail(lookup);
    if (op.label <= 3) return;
    // Describe: the model's invocations come with no room for reply words, so a Describe
    // that resolves its slot has nowhere to put the answer.
    if (op.label == 10) return fail(error(ErrorCode::TruncatedMessage));
    if (op.label == 9) {
        // CancelBadgedSends: a badged Endpoint capability with every right. The model has
        // no threads, so success changes nothing it tracks.
        int target = cap_at(plan.dest);
        if (target < 0 || caps_[target].type != CapType::Endpoint || caps_[target].badge == 0 ||
            caps_[target].rights != Rights::kMask)
            return fail(error(ErrorCode::IllegalOperation));
        return;
    }
    if (op.label <= 7) {
        if (w.size() < 4 || extra.empty()) return fail(error(ErrorCode::TruncatedMessage));
        if (cap_at(plan.dest) >= 0) return fail(error(ErrorCode::DeleteFirst));
        if (!lookup_for_cnode_op(true, cap_at(extra[0]), w[2], w[3], plan.src, lookup)) return fail(lookup);
        int src = cap_at(plan.src);
        if (src < 0) return fail(lookup_error(true, LookupFailureType::MissingCapability, {0}));
        if (caps_[src].type == CapType::Zombie) return fail(error(ErrorCode::IllegalOperation));
        ModelCap cap = caps_[src];
        if (op.label == 4 || op.label == 5) {
            if (w.size() < (op.label == 5 ? 6u : 5u)) return fail(error(ErrorCode::TruncatedMessage));
            CapType t = cap.type;
            if (t == CapType::Endpoint || t == CapType::Notification || t == CapType::Reply || t == CapType::Frame)
                cap.rights &= static_cast<u8>(w[4] & Rights::kMask);
            if (op.label == 5 && !update_data(false, w[5], cap)) return fail(error(ErrorCode::IllegalOperation));
            // The model's page tables are never mapped nor roots: those are not copied.
            if (t == CapType::Untyped || t == CapType::Reply || t == CapType::PageTable)
                return fail(error(ErrorCode::IllegalOperation));
            bool badged = (t == CapType::Endpoint || t == CapType::Notification) && cap.badge != caps_[src].badge;
            cap.revocable = badged;
            cap.slot = plan.dest;
            plan.made = cap;
        }
        if (op.label == 7) {
            if (w.size() < 5) return fail(error(ErrorCode::TruncatedMessage));
            if (!update_data(true, w[4], cap)) return fail(error(ErrorCode::IllegalOperation));
            plan.new_src = cap;
        }
        return;
    }
    if (w.size() < 8 || extra.size() < 2) return fail(error(ErrorCode::TruncatedMessage));
    if (!lookup_for_cnode_op(true, cap_at(extra[1]), w[6], w[7], plan.src, lookup)) return fail(lookup);
    if (!lookup_for_cnode_op(true, cap_at(extra[0]), w[3], w[4], plan.pivot, lookup)) return fail(lookup);
    if (plan.pivot == plan.src || plan.pivot == plan.dest) return fail(error(ErrorCode::IllegalOperation));
    if (plan.src != plan.dest && cap_at(plan.dest) >= 0) return fail(error(ErrorCode::DeleteFirst));
    int src = cap_at(plan.src);
    int pivot = cap_at(plan.pivot);
    if (src < 0) return fail(lookup_error(true, LookupFailureType::MissingCapability, {0}));
    if (pivot < 0) return fail(lookup_error(false, LookupFailureType::MissingCapability, {0}));
    if (caps_[src].type == CapType::Zombie || caps_[pivot].type == CapType::Zombie)
        return fail(error(ErrorCode::IllegalOperation));
    plan.new_src = caps_[src];
    plan.new_pivot = caps_[pivot];
    if (!update_data(true, w[5], plan.new_src) || !update_data(true, w[2], plan.new_pivot))
        return fail(error(ErrorCode::IllegalOperation));
}

} // namespace captest
