// The fixture's IPC hooks against the kernel's own (install_ipc_thread_access in
// kernel/sched/ipc_syscalls.cpp): every register the kernel's deliver, set_status,
// restart and message-register hooks write, the fixture's write the same way, so what the
// other IPC tests assert about registers holds for the kernel. Only the IPC buffer hook
// differs (test memory instead of the IpcBuffer slot's frame).
#include "ipc_fixture.hpp"

#include <sched/ipc_syscalls.hpp>

using namespace ipctest;

namespace {

// The two sets of hooks, each applied to its own thread with the same starting registers.
struct TwoHooks {
    IpcKernel& k;
    IpcThreadAccess fixture;
    IpcThreadAccess kernel;
    Tcb& ours;
    Tcb& theirs;

    explicit TwoHooks(IpcKernel& kernel_fixture)
        : k(kernel_fixture), ours(kernel_fixture.thread(100)), theirs(kernel_fixture.thread(101)) {
        fixture = ipc_thread_access();
        install_ipc_thread_access();
        kernel = ipc_thread_access();
        ipc_thread_access() = fixture;
        REQUIRE(kernel.complete());
        for (unsigned i = 0; i < 32; ++i) ours.registers.x[i] = theirs.registers.x[i] = 0x1000 + i;
        ours.registers.sepc = theirs.registers.sepc = kStartPc;
    }

    void require_same_registers() {
        for (unsigned i = 0; i < 32; ++i) {
            INFO("x" << i);
            CHECK(ours.registers.x[i] == theirs.registers.x[i]);
        }
        CHECK(ours.registers.sepc == theirs.registers.sepc);
    }
};

} // namespace

TEST_CASE("Fixture hooks: deliver and set_status write the kernel's registers") {
    IpcKernel k;
    TwoHooks hooks(k);
    ReceivedMessage message;
    message.info = info_of(3, 0xabc, 1);
    message.info.caps_unwrapped = 0b1;
    message.badge = 0x5a5a;
    message.status = GENERATE(IpcStatus::Ok, IpcStatus::Signalled, IpcStatus::NothingPending);
    hooks.fixture.deliver(hooks.ours, message);
    hooks.kernel.deliver(hooks.theirs, message);
    hooks.require_same_registers();
    CHECK(hooks.ours.registers.argument(kStatusRegister) == static_cast<u64>(message.status));

    for (IpcStatus status : {IpcStatus::Ok, IpcStatus::InvalidCapability, IpcStatus::ObjectDeleted,
                             IpcStatus::Cancelled, IpcStatus::NoReply, IpcStatus::ReplyInUse}) {
        u64 detail = status == IpcStatus::InvalidCapability ? 1 : 0;
        hooks.fixture.set_status(hooks.ours, status, detail);
        hooks.kernel.set_status(hooks.theirs, status, detail);
        hooks.require_same_registers();
        CHECK(IpcKernel::status_register(hooks.ours) == status);
        CHECK(hooks.ours.registers.argument(kBadgeRegister) == detail);
    }
}

TEST_CASE("Fixture hooks: message registers and restarts as the kernel's") {
    IpcKernel k;
    TwoHooks hooks(k);
    for (u64 i = 0; i < kMessageRegisterCount; ++i) {
        CHECK(hooks.fixture.message_register(hooks.ours, i) == hooks.kernel.message_register(hooks.theirs, i));
        hooks.fixture.set_message_register(hooks.ours, i, 0x77 + i);
        hooks.kernel.set_message_register(hooks.theirs, i, 0x77 + i);
    }
    hooks.require_same_registers();

    Syscall number = GENERATE(Syscall::Call, Syscall::Send, Syscall::Recv, Syscall::ReplyRecv, Syscall::Wait);
    hooks.ours.registers.set_syscall_number(static_cast<u64>(number));
    hooks.theirs.registers.set_syscall_number(static_cast<u64>(number));
    hooks.fixture.restart_system_call(hooks.ours);
    hooks.kernel.restart_system_call(hooks.theirs);
    hooks.require_same_registers();
    CHECK(hooks.ours.registers.sepc == kEcallPc);
    Syscall again = number == Syscall::ReplyRecv ? Syscall::Recv : number;
    CHECK(hooks.ours.registers.syscall_number() == static_cast<u64>(again));
}
