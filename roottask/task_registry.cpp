#include "task_registry.hpp"

namespace tessera::roottask {

kstd::Optional<usize> TaskRegistry::add_task(kstd::StringView name, user::CNode cnode, u64 cnode_depth,
                                             u64 cnode_slots, user::Tcb tcb) {
    TaskRecord record;
    for (usize i = 0; i < name.size() && i + 1 < sizeof(record.name); ++i) record.name[i] = name[i];
    record.cnode = cnode;
    record.cnode_depth = cnode_depth;
    record.cnode_slots = cnode_slots;
    record.tcb = tcb;
    if (!tasks_.push_back(record)) return {};
    return tasks_.size() - 1;
}

bool TaskRegistry::add_irq(user::IrqHandler handler, usize owner) { return irqs_.push_back(IrqRecord{handler, owner}); }

kstd::Optional<usize> TaskRegistry::find(kstd::StringView name) const {
    for (usize i = 0; i < tasks_.size(); ++i)
        if (tasks_[i].name_view() == name) return i;
    return {};
}

} // namespace tessera::roottask
