#pragma once
// A further thread in the caller's own address space and CSpace: its stack (with a guard
// page below), IPC buffer and TCB come from the caller's allocators. The thread runs
// `entry(argument)` and ends (suspends) when it returns. For tests and simple servers.
#include <kstd/string_view.hpp>
#include <userlib/task_loader.hpp>

namespace tessera::user {

using ThreadEntry = void (*)(u64 argument);

struct ThreadSpec {
    kstd::StringView name;
    ThreadEntry entry = nullptr;
    u64 argument = 0;
    u64 priority = 100;
    u64 stack_pages = 4;
};

struct Thread {
    Tcb tcb;
    u64 stack_top = 0;
    u64 ipc_buffer = 0;
};

Result<Thread> start_thread(StarterResources& starter, const ThreadSpec& spec);

} // namespace tessera::user
