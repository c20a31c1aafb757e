#include <userlib/syscalls.hpp>
#include <userlib/thread.hpp>

// Where every thread of start_thread begins: a0 the entry, a1 its argument, tp the IPC
// buffer (set through WriteRegisters).
extern "C" [[noreturn]] void userlib_thread_trampoline(u64 entry, u64 argument) {
    reinterpret_cast<tessera::user::ThreadEntry>(entry)(argument);
    tessera::user::end_current_thread();
}

namespace tessera::user {

Result<Thread> start_thread(StarterResources& starter, const ThreadSpec& spec) {
    ObjectAllocator& objects = starter.objects;
    PageTable vspace = starter.own.vspace;
    Thread thread;
    u64 stack_pages = spec.stack_pages == 0 ? 1 : spec.stack_pages;
    u64 stack_base = TRY(starter.own_addresses.reserve(stack_pages));
    for (u64 i = 0; i < stack_pages; ++i)
        TRY(map_new_frame(objects, objects, vspace, stack_base + i * kPageBytes, VmRights::kReadWrite));
    thread.stack_top = stack_base + stack_pages * kPageBytes;
    thread.ipc_buffer = TRY(starter.own_addresses.reserve(1));
    Frame ipc_frame = TRY(map_new_frame(objects, objects, vspace, thread.ipc_buffer, VmRights::kReadWrite));

    thread.tcb = Tcb(TRY(objects.allocate(ObjectType::Tcb)));
    TRY(thread.tcb.configure(CPtr{0}, starter.own.cnode, 0, vspace, 0, thread.ipc_buffer, ipc_frame));
    TRY(thread.tcb.set_priority(spec.priority, starter.own.tcb));
    TRY(thread.tcb.set_name(spec.name));
    arch::UserContext registers{};
    registers.pc = reinterpret_cast<u64>(&userlib_thread_trampoline);
    registers.reg(2) = thread.stack_top;  // sp
    registers.reg(4) = thread.ipc_buffer; // tp: the IPC-buffer pointer
    registers.reg(10) = reinterpret_cast<u64>(spec.entry);
    registers.reg(11) = spec.argument;
    TRY(thread.tcb.write_registers(registers, false));
    TRY(thread.tcb.resume());
    return thread;
}

} // namespace tessera::user
