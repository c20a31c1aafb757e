// The C++ side of crt0: the IPC-buffer pointer, constructors, task_main, and what happens
// when it returns. Also the few runtime hooks the compiler may call.
#include <userlib/start.hpp>
#include <userlib/syscalls.hpp>

extern "C" {
using Constructor = void (*)();
extern const Constructor __init_array_start[];
extern const Constructor __init_array_end[];
}

namespace tessera::user {

namespace {

TaskStart g_task_start;

TaskStart identify(u64 argument) {
    TaskStart start;
    start.argument = argument;
    if (argument == 0) return start;
    u64 magic = *reinterpret_cast<const u64*>(argument);
    if (magic == kBootInfoMagic) start.boot_info = reinterpret_cast<const BootInfo*>(argument);
    if (magic == kTaskInfoMagic) start.task_info = reinterpret_cast<const TaskInfo*>(argument);
    return start;
}

} // namespace

const TaskStart& task_start() { return g_task_start; }

} // namespace tessera::user

using namespace tessera::user;

extern "C" [[noreturn]] void tessera_user_start(u64 argument) {
    g_task_start = identify(argument);
    u64 buffer = g_task_start.boot_info   ? g_task_start.boot_info->ipc_buffer
                 : g_task_start.task_info ? g_task_start.task_info->ipc_buffer
                                          : 0;
    set_current_ipc_buffer(reinterpret_cast<tessera::IpcBuffer*>(buffer));
    for (const Constructor* constructor = __init_array_start; constructor != __init_array_end; ++constructor)
        (*constructor)();
    int status = task_main(task_start());
    if (task_start().is_root_task()) debug_halt(static_cast<u64>(status));
    end_current_thread();
}

// Static objects are never destroyed (a task ends by suspending, not by exit), so their
// destructors need not be registered.
extern "C" int __cxa_atexit(void (*)(void*), void*, void*) { return 0; }
extern "C" void* __dso_handle = nullptr;
extern "C" void __cxa_pure_virtual() { debug_halt(3); }
