// Faults as IPC in the portable core: the messages the kernel builds (fault_messages.cpp),
// the check of a handler's answer, and a fault travelling as a Call: queued or delivered,
// its words taken from the TCB's record rather than the registers, its answer going to the
// answer hook, and every way it can end without an answer going to the abandon hook.
#include "ipc_fixture.hpp"

#include <ipc/fault_messages.hpp>

using namespace ipctest;

namespace {

constexpr u64 kEndpoint = 20;
constexpr u64 kReply = 22;
constexpr u64 kHandlerSlot = 100;
constexpr u64 kFaulterSlot = 101;

PendingFault sample_syscall_fault() {
    const u64 arguments[8] = {10, 11, 12, 13, 14, 15, 16, 17};
    return unknown_syscall_message(0x1000, 0x2000, 0x3000, kstd::Span<const u64>(arguments, 8), 17);
}

// The faulter sends its fault as the kernel does (raise_fault): the record, then a Call.
SendOutcome send_fault(IpcKernel& k, Tcb& faulter, const PendingFault& fault) {
    faulter.fault = fault;
    auto sent = send_ipc(faulter, k.cap(kEndpoint), MessageInfo{fault.label, fault.length, 0, 0}, Blocking::Yes, true);
    REQUIRE(sent.ok());
    return sent.value();
}

struct FaultWorld {
    IpcKernel k;
    Tcb& handler = k.thread(kHandlerSlot);
    Tcb& faulter = k.thread(kFaulterSlot);
    FaultWorld() {
        k.make_endpoint(kEndpoint);
        k.make_reply(kReply);
        k.give_buffer(handler);
        // Registers that must not travel: the message is the record.
        k.set_message(faulter, {0xbad0, 0xbad1, 0xbad2, 0xbad3});
    }
};

} // namespace

TEST_CASE("Fault messages carry each kind's documented words") {
    PendingFault vm = vm_fault_message(VmFaultInfo{0xdead000, VmAccess::Write, 0x10010, 15});
    CHECK(vm.label == static_cast<u64>(FaultLabel::VmFault));
    CHECK(std::vector<u64>(vm.words, vm.words + vm.length) == std::vector<u64>{0xdead000, 1, 0x10010, 15});

    PendingFault exception =
        user_exception_message(UserExceptionInfo{0x10020, 0x3f000ff000, UserExceptionKind::Breakpoint, 3, 0});
    CHECK(exception.label == static_cast<u64>(FaultLabel::UserException));
    CHECK(std::vector<u64>(exception.words, exception.words + exception.length) ==
          std::vector<u64>{0x10020, 0x3f000ff000, 2, 3, 0});

    PendingFault syscall = sample_syscall_fault();
    CHECK(syscall.length == 12);
    CHECK(std::vector<u64>(syscall.words, syscall.words + 12) ==
          std::vector<u64>{0x1000, 0x2000, 0x3000, 10, 11, 12, 13, 14, 15, 16, 17, 17});

    LookupFailure guard{LookupFailureType::GuardMismatch, 64, 0, 0x5, 3};
    PendingFault cap = capability_fault_message(0x10030, 0x8000000000000000, true, guard);
    CHECK(std::vector<u64>(cap.words, cap.words + cap.length) ==
          std::vector<u64>{0x10030, 0x8000000000000000, 1, static_cast<u64>(LookupFailureType::GuardMismatch), 64, 5, 3});
}

TEST_CASE("A fault answer is a register mask and the values in bit order, or nothing") {
    FaultReply none = decode_fault_reply(MessageInfo{0, 0, 0, 0}, {});
    CHECK(none.problem == FaultReplyProblem::None);
    CHECK(none.mask == 0);

    const u64 mask = fault_reply_bit(FaultReplyRegister::ProgramCounter) | fault_reply_argument_bit(0) |
                     fault_reply_argument_bit(7);
    const u64 words[] = {mask, 0x10004, 42, 99};
    FaultReply reply = decode_fault_reply(MessageInfo{0, 4, 0, 0}, kstd::Span<const u64>(words, 4));
    REQUIRE(reply.problem == FaultReplyProblem::None);
    CHECK(reply.mask == mask);
    CHECK(reply.values[0] == 0x10004);
    CHECK(reply.values[static_cast<u64>(FaultReplyRegister::FirstArgument)] == 42);
    CHECK(reply.values[static_cast<u64>(FaultReplyRegister::FirstArgument) + 7] == 99);
}

TEST_CASE("A malformed fault answer names what is wrong") {
    const u64 words[] = {fault_reply_bit(FaultReplyRegister::StackPointer), 0x1234, 0x5678};
    CHECK(decode_fault_reply(MessageInfo{1, 0, 0, 0}, {}).problem == FaultReplyProblem::NonZeroLabel);
    CHECK(decode_fault_reply(MessageInfo{0, 3, 0, 0}, kstd::Span<const u64>(words, 3)).problem ==
          FaultReplyProblem::WrongLength);
    CHECK(decode_fault_reply(MessageInfo{0, 1, 0, 0}, kstd::Span<const u64>(words, 1)).problem ==
          FaultReplyProblem::WrongLength);
    const u64 unknown[] = {kFaultReplyMaskLimit, 0};
    CHECK(decode_fault_reply(MessageInfo{0, 2, 0, 0}, kstd::Span<const u64>(unknown, 2)).problem ==
          FaultReplyProblem::UnknownRegister);
}

TEST_CASE("A queued fault reaches a later handler as the record, and its answer goes to the answer hook") {
    FaultWorld w;
    REQUIRE(send_fault(w.k, w.faulter, sample_syscall_fault()) == SendOutcome::Blocked);
    CHECK(w.faulter.state == ThreadState::BlockedOnSend);
    REQUIRE(w.k.receive(w.handler, kEndpoint, Blocking::Yes, kReply) == ReceiveOutcome::Received);
    auto got = w.k.last_received(w.handler);
    REQUIRE(got);
    CHECK(got->info.label == static_cast<u64>(FaultLabel::UnknownSyscall));
    CHECK(got->info.length == 12);
    CHECK(w.k.words(w.handler, 12) == std::vector<u64>{0x1000, 0x2000, 0x3000, 10, 11, 12, 13, 14, 15, 16, 17, 17});
    CHECK(w.faulter.state == ThreadState::BlockedOnReply);

    w.k.reply(w.handler, kReply, {fault_reply_argument_bit(0), 7});
    REQUIRE(w.k.fault_answers[&w.faulter].size() == 1);
    CHECK(w.k.fault_answers[&w.faulter][0].length == 2);
    CHECK(w.faulter.state == ThreadState::Running);
    CHECK(!w.faulter.fault.pending());
    CHECK(w.faulter.ipc.waiting_on == 0);
    // The faulter's own status register was never written: it made no system call.
    CHECK(w.k.status_count(w.faulter) == 0);
}

TEST_CASE("A handler without an IPC buffer gets the fault's first four words") {
    FaultWorld w;
    w.k.buffers.erase(&w.handler);
    REQUIRE(w.k.receive(w.handler, kEndpoint, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
    REQUIRE(send_fault(w.k, w.faulter, vm_fault_message(VmFaultInfo{0x5000, VmAccess::Execute, 0x5000, 12})) ==
            SendOutcome::Blocked);
    auto got = w.k.last_received(w.handler);
    REQUIRE(got);
    CHECK(got->info.length == 4);
    CHECK(w.k.words(w.handler, 4) == std::vector<u64>{0x5000, 2, 0x5000, 12});
}

TEST_CASE("A fault that can get no answer goes to the abandon hook, whichever way") {
    SECTION("the endpoint is deleted while the fault is queued") {
        FaultWorld w;
        REQUIRE(send_fault(w.k, w.faulter, sample_syscall_fault()) == SendOutcome::Blocked);
        REQUIRE(w.k.remove(kEndpoint).ok());
        CHECK(w.k.abandoned_faults[&w.faulter] == std::vector<IpcStatus>{IpcStatus::ObjectDeleted});
        CHECK(w.faulter.state == ThreadState::Suspended);
        CHECK(w.k.status_count(w.faulter) == 0);
    }
    SECTION("the handler receives without a Reply object") {
        FaultWorld w;
        REQUIRE(w.k.receive(w.handler, kEndpoint, Blocking::Yes, kNoReplyObject) == ReceiveOutcome::Blocked);
        send_fault(w.k, w.faulter, sample_syscall_fault());
        CHECK(w.k.abandoned_faults[&w.faulter] == std::vector<IpcStatus>{IpcStatus::NoReply});
        CHECK(w.faulter.state == ThreadState::Suspended);
    }
    SECTION("the handler receives again with the Reply object, unanswered") {
        FaultWorld w;
        REQUIRE(w.k.receive(w.handler, kEndpoint, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
        send_fault(w.k, w.faulter, sample_syscall_fault());
        REQUIRE(w.faulter.state == ThreadState::BlockedOnReply);
        REQUIRE(w.k.receive(w.handler, kEndpoint, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
        CHECK(w.k.abandoned_faults[&w.faulter] == std::vector<IpcStatus>{IpcStatus::Cancelled});
        CHECK(w.k.reply_object(kReply).caller == nullptr);
    }
    SECTION("the Reply object is deleted") {
        FaultWorld w;
        REQUIRE(w.k.receive(w.handler, kEndpoint, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
        send_fault(w.k, w.faulter, sample_syscall_fault());
        REQUIRE(w.k.remove(kReply).ok());
        CHECK(w.k.abandoned_faults[&w.faulter] == std::vector<IpcStatus>{IpcStatus::Cancelled});
    }
}

TEST_CASE("Suspending a faulting thread forgets the fault without restarting a system call") {
    FaultWorld w;
    REQUIRE(send_fault(w.k, w.faulter, sample_syscall_fault()) == SendOutcome::Blocked);
    cancel_ipc(w.faulter);
    CHECK(w.faulter.state == ThreadState::Inactive);
    CHECK(!w.faulter.fault.pending());
    CHECK(w.k.restarts(w.faulter) == 0);
    CHECK(w.k.status_count(w.faulter) == 0);
    CHECK(IpcKernel::queue_of(w.k.endpoint(kEndpoint).queue).empty());
    CHECK(w.k.abandoned_faults[&w.faulter].empty());
}
