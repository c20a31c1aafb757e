#pragma once
// How a program begins. crt0 (_start) receives one word in a0: the root task gets its
// BootInfo address from the kernel, every task userlib starts gets its TaskInfo address.
// crt0 sets the thread's IPC-buffer pointer, runs the constructors, and calls the
// program's task_main; when that returns, the root task powers the machine off with the
// status (0 success), any other task suspends its thread.
#include <abi/bootinfo.hpp>
#include <userlib/task_layout.hpp>

namespace tessera::user {

struct TaskStart {
    const BootInfo* boot_info = nullptr; // the root task only
    const TaskInfo* task_info = nullptr; // tasks started by userlib's loader
    u64 argument = 0;                    // a0 as received
    bool is_root_task() const { return boot_info != nullptr; }
};

// The start information of the running program (set by crt0 before constructors run).
const TaskStart& task_start();

} // namespace tessera::user

// Every program defines this.
int task_main(const tessera::user::TaskStart& start);
