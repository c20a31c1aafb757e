#pragma once
// What the root task keeps about the tasks it started and the interrupt lines it handed
// out, so that it can report them (the system service: the shell's ps, irq and caps) and,
// later, supervise them.
#include <kstd/bounded_vector.hpp>
#include <kstd/optional.hpp>
#include <kstd/string_view.hpp>
#include <userlib/invocations.hpp>
#include <userlib/task_layout.hpp>

namespace tessera::roottask {

struct TaskRecord {
    char name[user::kTaskNameBytes] = {};
    user::CNode cnode;   // a capability to the task's CNode that resolves a slot at `cnode_depth`
    u64 cnode_depth = 0;
    u64 cnode_slots = 0; // how many slots it has
    user::Tcb tcb;
    u64 restarts = 0;

    kstd::StringView name_view() const { return kstd::StringView(name, __builtin_strlen(name)); }
};

struct IrqRecord {
    user::IrqHandler handler; // the root task's copy of the driver's handler
    usize owner = 0;          // index in the task table
};

class TaskRegistry {
public:
    static constexpr usize kMaxTasks = 16;
    static constexpr usize kMaxIrqs = 16;

    // The new task's index, or none when the table is full.
    kstd::Optional<usize> add_task(kstd::StringView name, user::CNode cnode, u64 cnode_depth, u64 cnode_slots,
                                   user::Tcb tcb);
    [[nodiscard]] bool add_irq(user::IrqHandler handler, usize owner);

    kstd::Optional<usize> find(kstd::StringView name) const;
    kstd::Span<const TaskRecord> tasks() const { return tasks_.span(); }
    // A restarted task keeps its place and name; its new objects replace the old.
    TaskRecord& task(usize index) { return tasks_[index]; }
    kstd::Span<const IrqRecord> irqs() const { return irqs_.span(); }

private:
    kstd::BoundedVector<TaskRecord, kMaxTasks> tasks_;
    kstd::BoundedVector<IrqRecord, kMaxIrqs> irqs_;
};

} // namespace tessera::roottask
