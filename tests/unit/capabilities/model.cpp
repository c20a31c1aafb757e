#include "model.hpp"

#include <algorithm>

namespace captest {

namespace {

constexpr u64 kSlotBytes = 32;

CapType cap_type_of(ObjectType type) {
    switch (type) {
    case ObjectType::Untyped: return CapType::Untyped;
    case ObjectType::Tcb: return CapType::Tcb;
    case ObjectType::Endpoint: return CapType::Endpoint;
    case ObjectType::Notification: return CapType::Notification;
    case ObjectType::CNode: return CapType::CNode;
    case ObjectType::Reply: return CapType::Reply;
    case ObjectType::PageTable: return CapType::PageTable;
    default: return CapType::Frame;
    }
}

} // namespace

std::string ModelOp::describe() const {
    std::string text = "invoke " + std::to_string(invoked) + " label " + std::to_string(label) + " words [";
    for (u64 w : words) text += " " + std::to_string(w);
    text += " ] extra [";
    for (u64 e : extra) text += " " + std::to_string(e);
    return text + " ] interrupt every " + std::to_string(interrupt_period);
}

int& Model::index(u64 slot) {
    if (slot == cspace_root_slot_) return cspace_root_cap_;
    if (slot - root_base_ < root_slots_.size() * kSlotBytes) return root_slots_[(slot - root_base_) / kSlotBytes];
    if (slot - arena_base_ < arena_slots_.size() * kSlotBytes) return arena_slots_[(slot - arena_base_) / kSlotBytes];
    nowhere_ = -1;
    return nowhere_;
}

Model::Model(Kernel& kernel)
    : root_slots_(kernel.root_slots(), -1), arena_slots_(kernel.arena().size() / kSlotBytes, -1),
      cspace_root_slot_(reinterpret_cast<u64>(&kernel.cspace_root())),
      root_base_(reinterpret_cast<u64>(kernel.root_storage())), arena_base_(kernel.arena().base()),
      arena_bits_(kernel.arena().bits()) {
    ModelCap root;
    root.type = CapType::CNode;
    root.address = root_base_;
    root.bits = kernel.root_radix();
    root.guard_bits = 64 - kernel.root_radix();
    root.rights = Rights::kMask;
    root.revocable = true;
    root.slot = reinterpret_cast<u64>(&kernel.cspace_root());
    add(root);
    ModelCap copy = root;
    copy.revocable = false;
    copy.slot = root_slot(Kernel::kRootCNodeSlot);
    insert_after_source(add(copy), kCSpaceRoot);
    ModelCap untyped;
    untyped.type = CapType::Untyped;
    untyped.address = arena_base_;
    untyped.bits = arena_bits_;
    untyped.rights = Rights::kMask;
    untyped.revocable = true;
    untyped.slot = root_slot(Kernel::kUntypedSlot);
    add(untyped);
    roots_ = {kCSpaceRoot, kUntyped};
}

int Model::add(ModelCap cap) {
    cap.live = true;
    cap.children.clear();
    int id;
    if (free_.empty()) {
        caps_.push_back(cap);
        id = static_cast<int>(caps_.size() - 1);
    } else {
        id = free_.back();
        free_.pop_back();
        caps_[id] = cap;
    }
    index(cap.slot) = id;
    ++live_;
    return id;
}

Capability Model::expected(int id) const {
    const ModelCap& c = caps_[id];
    Rights rights{c.rights};
    switch (c.type) {
    case CapType::Untyped: return Capability::untyped(c.address, c.bits, false, c.watermark);
    case CapType::CNode: return Capability::cnode(c.address, c.bits, c.guard_bits, c.guard);
    case CapType::Tcb: return Capability::tcb(c.address);
    case CapType::Endpoint: return Capability::endpoint(c.address, c.badge, rights);
    case CapType::Notification: return Capability::notification(c.address, c.badge, rights);
    case CapType::Reply: return Capability::reply(c.address, rights);
    case CapType::Frame: return Capability::frame(c.address, c.bits, false, rights);
    case CapType::PageTable: return Capability::page_table(c.address);
    case CapType::Zombie: return Capability::zombie(c.address, c.kind, c.remaining);
    default: return Capability::null();
    }
}

u64 Model::object_slots(const ModelCap& cap) {
    CapType type = cap.type == CapType::Zombie ? cap.kind : cap.type;
    if (type == CapType::CNode) return u64{1} << cap.bits;
    if (type == CapType::Tcb) return kTcbSlotCount;
    return 0;
}

u64 Model::object_bytes(const ModelCap& cap) {
    CapType type = cap.type == CapType::Zombie ? cap.kind : cap.type;
    switch (type) {
    case CapType::Untyped:
    case CapType::Frame: return u64{1} << cap.bits;
    case CapType::CNode: return u64{1} << (cap.bits + 5);
    case CapType::Tcb: return 1024;
    case CapType::Endpoint: return 16;
    case CapType::PageTable: return 4096;
    default: return 32;
    }
}

std::vector<int> Model::list_from(int root) const {
    std::vector<int> order;
    std::vector<int> stack{root};
    while (!stack.empty()) {
        int id = stack.back();
        stack.pop_back();
        order.push_back(id);
        const std::vector<int>& children = caps_[id].children;
        for (auto it = children.rbegin(); it != children.rend(); ++it) stack.push_back(*it);
    }
    return order;
}

void Model::insert_after_source(int id, int source) {
    if (caps_[source].revocable) {
        caps_[id].parent = source;
        caps_[source].children.insert(caps_[source].children.begin(), id);
        return;
    }
    int parent = caps_[source].parent;
    caps_[id].parent = parent;
    std::vector<int>& siblings = parent < 0 ? roots_ : caps_[parent].children;
    siblings.insert(std::find(siblings.begin(), siblings.end(), source) + 1, id);
}

void Model::remove(int id) {
    int parent = caps_[id].parent;
    std::vector<int>& siblings = parent < 0 ? roots_ : caps_[parent].children;
    auto at = std::find(siblings.begin(), siblings.end(), id);
    std::vector<int> children = std::move(caps_[id].children);
    for (int child : children) caps_[child].parent = parent;
    at = siblings.erase(at);
    siblings.insert(at, children.begin(), children.end());
    index(caps_[id].slot) = -1;
    caps_[id].live = false;
    caps_[id].children.clear();
    free_.push_back(id);
    --live_;
}

void Model::move(u64 from, u64 to) {
    int id = cap_at(from);
    index(from) = -1;
    index(to) = id;
    caps_[id].slot = to;
}

void Model::swap(u64 a, u64 b) {
    int in_a = cap_at(a), in_b = cap_at(b);
    index(a) = in_b;
    index(b) = in_a;
    if (in_b >= 0) caps_[in_b].slot = a;
    if (in_a >= 0) caps_[in_a].slot = b;
}

bool Model::is_final(int id) const {
    const ModelCap& c = caps_[id];
    for (const ModelCap& other : caps_)
        if (other.live && &other != &c && other.type == c.type && other.address == c.address && other.bits == c.bits)
            return false;
    return true;
}

void Model::finalise_events(int id, bool final, std::vector<FinaliserEvent>& events) const {
    const ModelCap& c = caps_[id];
    switch (c.type) {
    case CapType::Endpoint:
    case CapType::Notification:
    case CapType::Reply:
    case CapType::PageTable:
        if (final) events.push_back({c.type, c.address});
        break;
    case CapType::Frame: events.push_back({c.type, c.address}); break;
    default: break;
    }
}

void Model::make_zombie(int id, std::vector<FinaliserEvent>& events) {
    ModelCap& c = caps_[id];
    if (c.type == CapType::Tcb) events.push_back({CapType::Tcb, c.address});
    c.remaining = object_slots(c);
    c.kind = c.type;
    c.type = CapType::Zombie;
    c.rights = 0;
}

bool Model::removable(int id, u64 slot) const {
    const ModelCap& c = caps_[id];
    return c.type == CapType::Zombie && (c.remaining == 0 || (c.remaining == 1 && c.address == slot));
}

void Model::delete_exposed(u64 slot, std::vector<FinaliserEvent>& events) {
    for (;;) {
        int id = cap_at(slot);
        if (id < 0) return;
        if (caps_[id].type == CapType::Zombie) {
            if (removable(id, slot)) return remove(id);
            u64 remaining = caps_[id].remaining;
            delete_unexposed(caps_[id].address + (remaining - 1) * kSlotBytes, events);
            if (cap_at(slot) == id) caps_[id].remaining = remaining - 1;
            continue;
        }
        bool final = is_final(id);
        if ((caps_[id].type == CapType::CNode || caps_[id].type == CapType::Tcb) && final) {
            make_zombie(id, events);
            continue;
        }
        finalise_events(id, final, events);
        return remove(id);
    }
}

void Model::delete_unexposed(u64 slot, std::vector<FinaliserEvent>& events) {
    for (;;) {
        int id = cap_at(slot);
        if (id < 0) return;
        if (caps_[id].type != CapType::Zombie) {
            bool final = is_final(id);
            if ((caps_[id].type != CapType::CNode && caps_[id].type != CapType::Tcb) || !final) {
                finalise_events(id, final, events);
                return remove(id);
            }
            make_zombie(id, events);
        }
        if (removable(id, slot)) return remove(id);
        if (caps_[id].address == slot) return; // a cyclic Zombie stays
        swap(slot, caps_[id].address);         // into its own first slot
    }
}

void Model::revoke(u64 slot, std::vector<FinaliserEvent>& events) {
    for (;;) {
        int id = cap_at(slot);
        if (id < 0 || caps_[id].children.empty()) return;
        delete_exposed(caps_[caps_[id].children.front()].slot, events);
    }
}

void Model::perform(const ModelPlan& plan, std::vector<FinaliserEvent>& events) {
    auto take_data = [](ModelCap& into, const ModelCap& from) {
        into.guard = from.guard;
        into.guard_bits = from.guard_bits;
        into.badge = from.badge;
    };
    switch (plan.label) {
    case 1: {
        int untyped = cap_at(plan.invoked);
        u64 size = u64{1} << plan.object_bits;
        for (u64 i = 0; i < plan.count; ++i) {
            ModelCap c;
            c.type = cap_type_of(plan.type);
            c.address = plan.start + i * size;
            c.bits = plan.type == ObjectType::Untyped || plan.type == ObjectType::CNode ? plan.user_bits
                                                                                         : plan.object_bits;
            c.rights = Rights::kMask;
            c.revocable = true;
            c.slot = plan.dest + i * kSlotBytes;
            int id = add(c);
            caps_[id].parent = untyped;
            caps_[untyped].children.insert(caps_[untyped].children.begin(), id);
        }
        caps_[untyped].watermark = plan.start + plan.count * size - caps_[untyped].address;
        break;
    }
    case 2: revoke(plan.dest, events); break;
    case 3: delete_exposed(plan.dest, events); break;
    case 4:
    case 5: insert_after_source(add(plan.made), cap_at(plan.src)); break;
    case 6: move(plan.src, plan.dest); break;
    case 7:
        take_data(caps_[cap_at(plan.src)], plan.new_src);
        move(plan.src, plan.dest);
        break;
    case 8:
        take_data(caps_[cap_at(plan.src)], plan.new_src);
        take_data(caps_[cap_at(plan.pivot)], plan.new_pivot);
        if (plan.src == plan.dest) {
            swap(plan.src, plan.pivot);
        } else {
            move(plan.pivot, plan.dest);
            move(plan.src, plan.pivot);
        }
        break;
    default: break;
    }
}

} // namespace captest
