// The kernel's IPC system calls (kernel/sched/ipc_syscalls.cpp) on the fixture: the
// register convention of abi/syscalls.hpp around the core. Errors land in a6 with a0
// naming the capability at fault (0: a0's, 1: a6's) and a1..a5 untouched; a refused
// ReplyRecv answers nobody; a pointer that resolves to no slot is a capability fault.
#include "fastpath_support.hpp"

using namespace ipctest;

namespace {

constexpr u64 kEndpoint = 20;
constexpr u64 kNotification = 21;
constexpr u64 kReply = 22;
constexpr u64 kWriteOnly = 30;
constexpr u64 kReadOnly = 31;

// A server that received a Call with kReply (the client waits on it) and now runs.
struct Served {
    IpcKernel& k;
    Tcb& server;
    Tcb& client;
    explicit Served(IpcKernel& kernel) : k(kernel), server(kernel.thread(100)), client(kernel.thread(101)) {
        k.make_endpoint(kEndpoint);
        k.make_notification(kNotification);
        k.make_reply(kReply);
        REQUIRE(k.copy(kWriteOnly, kEndpoint, Rights::kWrite | Rights::kGrant) == success());
        REQUIRE(k.copy(kReadOnly, kEndpoint, Rights::kRead) == success());
        load_syscall(server, kEndpoint, MessageInfo{}, 0, kReply, Syscall::Recv);
        handle_ipc_syscall(server, Syscall::Recv);
        REQUIRE(server.state == ThreadState::BlockedOnReceive);
        load_syscall(client, kEndpoint, info_of(1, 0x10), 0xc0, 0, Syscall::Call);
        REQUIRE(handle_endpoint_call(client));
        REQUIRE(client.state == ThreadState::BlockedOnReply);
    }
};

// The system call ended with `status` about capability `which`; a1..a5 as loaded.
void require_refused(Tcb& thread, IpcStatus status, u64 which, u64 word_base) {
    CHECK(IpcKernel::status_register(thread) == status);
    CHECK(thread.registers.argument(kBadgeRegister) == which);
    for (unsigned i = 0; i < kMessageRegisterCount; ++i)
        CHECK(thread.registers.argument(kFirstWordRegister + i) == word_base + i);
}

} // namespace

TEST_CASE("IPC system calls: a Call delivered and answered through the registers") {
    IpcKernel k;
    Served s(k);
    CHECK(IpcKernel::status_register(s.server) == IpcStatus::Ok);
    CHECK(s.server.registers.argument(kBadgeRegister) == 0);
    CHECK(MessageInfo::from_word(s.server.registers.argument(kInfoRegister)) == info_of(1, 0x10));
    CHECK(s.server.registers.argument(kFirstWordRegister) == 0xc0);
    load_syscall(s.server, kReply, info_of(2, 0x20), 0x5e0, 0, Syscall::Reply);
    handle_ipc_syscall(s.server, Syscall::Reply);
    CHECK(IpcKernel::status_register(s.server) == IpcStatus::Ok);
    CHECK(s.client.state == ThreadState::Running);
    CHECK(IpcKernel::status_register(s.client) == IpcStatus::Ok);
    CHECK(MessageInfo::from_word(s.client.registers.argument(kInfoRegister)) == info_of(2, 0x20));
    CHECK(k.words(s.client, 2) == std::vector<u64>{0x5e0, 0x5e1});
}

TEST_CASE("IPC system calls: a refused ReplyRecv answers nobody") {
    IpcKernel k;
    Served s(k);
    struct Refusal {
        u64 a0, a6, which;
    };
    for (Refusal r : {Refusal{kEndpoint, kNoReplyObject, 1}, Refusal{kEndpoint, kNotification, 1},
                      Refusal{kWriteOnly, kReply, 0}, Refusal{kNotification, kReply, 0}}) {
        INFO("a0 " << r.a0 << " a6 " << r.a6);
        load_syscall(s.server, r.a0, info_of(1, 0x30), 0x700, r.a6, Syscall::ReplyRecv);
        handle_ipc_syscall(s.server, Syscall::ReplyRecv);
        require_refused(s.server, IpcStatus::InvalidCapability, r.which, 0x700);
        CHECK(s.server.state == ThreadState::Running);
        CHECK(s.client.state == ThreadState::BlockedOnReply);
        CHECK(k.reply_object(kReply).caller == &s.client);
        CHECK(k.deliveries(s.client) == 0);
    }
    // Done right, it answers and waits again with the object.
    load_syscall(s.server, kEndpoint, info_of(1, 0x30), 0x700, kReply, Syscall::ReplyRecv);
    handle_ipc_syscall(s.server, Syscall::ReplyRecv);
    CHECK(s.client.state == ThreadState::Running);
    CHECK(k.words(s.client, 1) == std::vector<u64>{0x700});
    CHECK(s.server.state == ThreadState::BlockedOnReceive);
    CHECK(k.reply_object(kReply).receiver == &s.server);
}

TEST_CASE("IPC system calls: wrong capabilities are InvalidCapability, naming which") {
    IpcKernel k;
    Served s(k);
    Tcb& thread = k.thread(102);
    SECTION("Recv with something other than a Reply object in a6") {
        load_syscall(thread, kEndpoint, MessageInfo{}, 0x900, kEndpoint, Syscall::Recv);
        handle_ipc_syscall(thread, Syscall::Recv);
        require_refused(thread, IpcStatus::InvalidCapability, 1, 0x900);
    }
    SECTION("Recv without read") {
        load_syscall(thread, kWriteOnly, MessageInfo{}, 0x900, kNoReplyObject, Syscall::Recv);
        handle_ipc_syscall(thread, Syscall::Recv);
        require_refused(thread, IpcStatus::InvalidCapability, 0, 0x900);
    }
    SECTION("Send without write") {
        load_syscall(thread, kReadOnly, info_of(1), 0x900, 0, Syscall::Send);
        handle_ipc_syscall(thread, Syscall::Send);
        require_refused(thread, IpcStatus::InvalidCapability, 0, 0x900);
    }
    SECTION("Reply on an endpoint") {
        load_syscall(thread, kEndpoint, info_of(1), 0x900, 0, Syscall::Reply);
        handle_ipc_syscall(thread, Syscall::Reply);
        require_refused(thread, IpcStatus::InvalidCapability, 0, 0x900);
        CHECK(s.client.state == ThreadState::BlockedOnReply);
    }
    SECTION("Signal on an endpoint") {
        load_syscall(thread, kEndpoint, MessageInfo{}, 0x900, 0, Syscall::Signal);
        handle_ipc_syscall(thread, Syscall::Signal);
        require_refused(thread, IpcStatus::InvalidCapability, 0, 0x900);
    }
    SECTION("Call without grant or grant-reply") {
        REQUIRE(k.copy(32, kEndpoint, Rights::kWrite) == success());
        load_syscall(thread, 32, info_of(1), 0x900, 0, Syscall::Call);
        CHECK(handle_endpoint_call(thread));
        require_refused(thread, IpcStatus::InvalidCapability, 0, 0x900);
    }
    SECTION("a Recv with a Reply object in use elsewhere") {
        k.make_reply(33);
        load_syscall(s.server, kEndpoint, MessageInfo{}, 0, 33, Syscall::Recv);
        handle_ipc_syscall(s.server, Syscall::Recv);
        load_syscall(thread, kEndpoint, MessageInfo{}, 0x900, 33, Syscall::Recv);
        handle_ipc_syscall(thread, Syscall::Recv);
        require_refused(thread, IpcStatus::ReplyInUse, 1, 0x900);
    }
    CHECK(thread.state == ThreadState::Running);
    CHECK(k.faults.empty());
    // Call on something other than an endpoint is a kernel-object invocation instead.
    load_syscall(thread, kNotification, info_of(0), 0x900, 0, Syscall::Call);
    CHECK_FALSE(handle_endpoint_call(thread));
}

TEST_CASE("IPC system calls: a pointer that resolves to nothing is a capability fault") {
    IpcKernel k;
    Served s(k);
    Tcb& thread = k.thread(102);
    bool in_a6 = GENERATE(false, true);
    u64 a0 = in_a6 ? kEndpoint : kUnresolvedPointer;
    u64 a6 = in_a6 ? kUnresolvedPointer : kReply;
    load_syscall(thread, a0, MessageInfo{}, 0x900, a6, Syscall::Recv);
    handle_ipc_syscall(thread, Syscall::Recv);
    REQUIRE(k.faults.size() == 1);
    CHECK(k.faults[0].first == &thread);
    CHECK(k.faults[0].second.pointer == kUnresolvedPointer);
    CHECK(k.faults[0].second.in_receive_phase);
    CHECK(thread.state == ThreadState::Suspended);
    CHECK(thread.registers.sepc == kEcallPc);
    CHECK(k.reply_object(kReply).caller == &s.client); // the Recv dropped nobody
    CHECK(k.endpoint(kEndpoint).queue.empty());
}
