#include <userlib/syscalls.hpp>

#include "fault_support.hpp"

extern "C" {
extern const char flt_support_load[];
}

namespace tessera::roottask::fault_tests {

LoadOutcome g_load;

[[gnu::noinline]] void load_thread(u64 address) {
    u64 value;
    asm volatile(".option push\n"
                 ".option norvc\n"
                 ".globl flt_support_load\n"
                 "flt_support_load:\n"
                 "  ld %0, 0(%1)\n"
                 ".option pop\n"
                 : "=r"(value)
                 : "r"(address)
                 : "memory");
    g_load.value = value;
    g_load.done = true;
}

u64 load_instruction() { return reinterpret_cast<u64>(flt_support_load); }

namespace {

FaultRecord start_record(FaultLabel label, u64 badge, u64 length) {
    FaultRecord record;
    record.status = IpcStatus::Ok;
    record.badge = badge;
    record.label = static_cast<u64>(label);
    record.length = length;
    return record;
}

template <typename Word> void put(FaultRecord& record, Word which, u64 value) {
    record.words[static_cast<u64>(which)] = value;
}

} // namespace

FaultRecord record_of(const user::IpcMessage& received, const IpcBuffer& buffer) {
    user::FaultMessage message(received, buffer);
    FaultRecord record;
    record.status = received.status;
    record.badge = message.badge();
    record.label = message.label();
    record.length = message.length();
    for (u64 i = 0; i < kMaxFaultWords; ++i) record.words[i] = message.word(i);
    return record;
}

FaultRecord vm_fault(u64 badge, u64 address, VmAccess access, u64 pc, u64 cause) {
    FaultRecord record = start_record(FaultLabel::VmFault, badge, static_cast<u64>(VmFaultWord::Count));
    put(record, VmFaultWord::Address, address);
    put(record, VmFaultWord::Access, static_cast<u64>(access));
    put(record, VmFaultWord::ProgramCounter, pc);
    put(record, VmFaultWord::Cause, cause);
    return record;
}

FaultRecord user_exception(u64 badge, u64 pc, u64 sp, UserExceptionKind kind, u64 cause, u64 value) {
    FaultRecord record = start_record(FaultLabel::UserException, badge, static_cast<u64>(UserExceptionWord::Count));
    put(record, UserExceptionWord::ProgramCounter, pc);
    put(record, UserExceptionWord::StackPointer, sp);
    put(record, UserExceptionWord::Kind, static_cast<u64>(kind));
    put(record, UserExceptionWord::Cause, cause);
    put(record, UserExceptionWord::Value, value);
    return record;
}

FaultRecord unknown_syscall(u64 badge, u64 pc, u64 sp, u64 ra, const u64 (&registers)[kSyscallArgumentWords]) {
    FaultRecord record = start_record(FaultLabel::UnknownSyscall, badge, static_cast<u64>(UnknownSyscallWord::Count));
    put(record, UnknownSyscallWord::ProgramCounter, pc);
    put(record, UnknownSyscallWord::StackPointer, sp);
    put(record, UnknownSyscallWord::ReturnAddress, ra);
    for (u64 i = 0; i < kSyscallArgumentWords; ++i)
        record.words[static_cast<u64>(UnknownSyscallWord::FirstArgument) + i] = registers[i];
    put(record, UnknownSyscallWord::Number, registers[kSyscallArgumentWords - 1]);
    return record;
}

FaultRecord capability_fault(u64 badge, u64 pc, u64 pointer, bool receive_phase, const LookupFailure& failure) {
    FaultRecord record =
        start_record(FaultLabel::CapabilityFault, badge, static_cast<u64>(CapabilityFaultWord::Count));
    put(record, CapabilityFaultWord::ProgramCounter, pc);
    put(record, CapabilityFaultWord::Pointer, pointer);
    put(record, CapabilityFaultWord::ReceivePhase, receive_phase ? 1 : 0);
    put(record, CapabilityFaultWord::LookupType, static_cast<u64>(failure.type));
    put(record, CapabilityFaultWord::BitsLeft, failure.bits_left);
    // The detail words are the failure type's own (abi/faults.hpp); the others stay 0.
    if (failure.type == LookupFailureType::DepthMismatch) put(record, CapabilityFaultWord::Detail1, failure.bits_found);
    if (failure.type == LookupFailureType::GuardMismatch) {
        put(record, CapabilityFaultWord::Detail1, failure.guard_found);
        put(record, CapabilityFaultWord::Detail2, failure.guard_bits);
    }
    return record;
}

bool expect_fault(TestContext& t, kstd::StringView what, const FaultRecord& got, const FaultRecord& expected) {
    bool same = true;
    if (got.status != expected.status) {
        t.note("{}: status {}, expected {}", what, got.status, expected.status);
        same = false;
    }
    if (got.badge != expected.badge) {
        t.note("{}: badge {}, expected {}", what, kstd::Hex{got.badge}, kstd::Hex{expected.badge});
        same = false;
    }
    if (got.label != expected.label || got.length != expected.length) {
        t.note("{}: label {} length {}, expected label {} length {}", what, got.label, got.length, expected.label,
               expected.length);
        same = false;
    }
    // Every word, those past the length too: a received message leaves them 0.
    for (u64 i = 0; i < kMaxFaultWords; ++i) {
        if (got.words[i] == expected.words[i]) continue;
        t.note("{}: word {} is {}, expected {}", what, i, kstd::Hex{got.words[i]}, kstd::Hex{expected.words[i]});
        same = false;
    }
    t.expect(same, "{}: the fault message differs", what);
    return same;
}

user::Result<FaultChannel> make_fault_channel(TestContext& t, u64 badge, user::CapRights rights) {
    FaultChannel channel;
    channel.endpoint = TRY(ipc_tests::new_endpoint(t));
    channel.reply = TRY(ipc_tests::new_reply_object(t));
    channel.handler_cap = TRY(ipc_tests::mint(t, channel.endpoint.cap(), rights, badge));
    channel.badge = badge;
    return channel;
}

user::Result<void> set_fault_handler(TestContext& t, user::Tcb thread, user::CPtr fault_endpoint, u64 cspace_data) {
    return thread.set_space(fault_endpoint, t.own_cnode(), cspace_data, t.own_vspace(), 0);
}

user::Result<user::Tcb> make_handled_thread(TestContext& t, kstd::StringView name, user::ThreadEntry entry,
                                            u64 argument, u64 priority, user::CPtr fault_endpoint) {
    user::Tcb thread = TRY(make_stopped_thread(t, name, entry, argument, priority)).tcb;
    TRY(set_fault_handler(t, thread, fault_endpoint));
    return thread;
}

FaultRecord take_fault(const FaultChannel& channel) {
    user::IpcMessage received = channel.endpoint.nb_recv(channel.reply);
    return record_of(received, *user::current_ipc_buffer());
}

IpcStatus answer(const FaultChannel& channel, const user::FaultAnswer& answer) {
    return channel.reply.reply(answer.message(*user::current_ipc_buffer()));
}

user::FaultAnswer skip_instruction(u64 pc) { return user::FaultAnswer().set_program_counter(pc + kInstructionBytes); }

bool expect_state(TestContext& t, kstd::StringView what, user::Tcb thread, ThreadStatus wanted) {
    auto report = thread.get_status();
    if (!report) {
        t.fail_with(what, report.error());
        return false;
    }
    ThreadStatus state = report.value().state;
    t.expect(state == wanted, "{}: the thread is {}, expected {}", what, thread_status_name(state),
             thread_status_name(wanted));
    return state == wanted;
}

bool expect_pc(TestContext& t, kstd::StringView what, user::Tcb thread, u64 wanted) {
    auto registers = thread.read_registers(1);
    if (!registers) {
        t.fail_with(what, registers.error());
        return false;
    }
    u64 pc = registers.value().pc;
    t.expect(pc == wanted, "{}: the thread's pc is {}, expected {}", what, kstd::Hex{pc}, kstd::Hex{wanted});
    return pc == wanted;
}

void stop_threads(TestContext& t, kstd::Span<const user::Tcb> threads) {
    for (const user::Tcb& thread : threads)
        if (auto stopped = thread.suspend(); !stopped) t.fail_with("stopping a thread of the test", stopped.error());
}

namespace {

void handler_main(u64 argument) {
    HandlerThread& handler = *reinterpret_cast<HandlerThread*>(argument);
    IpcBuffer& buffer = *user::current_ipc_buffer();
    const u64 rounds = kstd::min(handler.rounds, HandlerThread::kMaxRounds);
    user::IpcMessage received = handler.channel.endpoint.recv(handler.channel.reply);
    for (u64 round = 0; round < rounds; ++round) {
        handler.records[round] = record_of(received, buffer);
        if (handler.events != nullptr) handler.events->add(handler.on_receive);
        user::IpcMessage answer = handler.decide(handler.records[round]).message(buffer);
        if (round + 1 < rounds) {
            // A server's loop: answer and wait for the next fault in one system call.
            received = handler.channel.endpoint.reply_recv(handler.channel.reply, answer);
            handler.answered[round] = IpcStatus::Ok; // ReplyRecv reports only its receive
        } else {
            handler.answered[round] = handler.channel.reply.reply(answer);
        }
        handler.handled = round + 1;
        if (handler.events != nullptr) handler.events->add(handler.on_answered);
    }
}

} // namespace

user::Result<user::Tcb> start_handler(TestContext& t, kstd::StringView name, HandlerThread& handler, u64 priority,
                                      user::CPtr fault_endpoint) {
    handler.handled = 0;
    for (FaultRecord& record : handler.records) record = FaultRecord{};
    user::Tcb thread = TRY(make_handled_thread(t, name, handler_main, reinterpret_cast<u64>(&handler), priority,
                                               fault_endpoint));
    TRY(thread.resume());
    return thread;
}

CopiedCall g_copied_call;

void call_copied_function(u64 target) {
    auto function = reinterpret_cast<u64 (*)(u64)>(target);
    g_copied_call.result = function(kCopiedFunctionArgument);
    g_copied_call.done = true;
}

void copy_function_to(volatile u32* code) {
    for (usize i = 0; i < sizeof(kCopiedFunction) / sizeof(kCopiedFunction[0]); ++i) code[i] = kCopiedFunction[i];
}

[[gnu::noinline]] void make_system_call(const u64 (&arguments)[kSyscallArgumentWords], SyscallRun& run) {
    register u64 a0 asm("a0") = arguments[0];
    register u64 a1 asm("a1") = arguments[1];
    register u64 a2 asm("a2") = arguments[2];
    register u64 a3 asm("a3") = arguments[3];
    register u64 a4 asm("a4") = arguments[4];
    register u64 a5 asm("a5") = arguments[5];
    register u64 a6 asm("a6") = arguments[6];
    register u64 a7 asm("a7") = arguments[7];
    // sp and ra as they are at the ecall, in registers no other operand can take.
    register u64 sp asm("t0");
    register u64 ra asm("t1");
    asm volatile(".option push\n"
                 ".option norvc\n"
                 "  mv %[sp], sp\n"
                 "  mv %[ra], ra\n"
                 ".globl flt_h_unknown_ecall\n"
                 "flt_h_unknown_ecall:\n"
                 "  ecall\n"
                 ".option pop\n"
                 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5), "+r"(a6), "+r"(a7), [sp] "=&r"(sp),
                   [ra] "=&r"(ra)
                 :
                 : "memory");
    const u64 after[kSyscallArgumentWords] = {a0, a1, a2, a3, a4, a5, a6, a7};
    for (u64 i = 0; i < kSyscallArgumentWords; ++i) run.after[i] = after[i];
    run.sp = sp;
    run.ra = ra;
    run.done = true;
}

} // namespace tessera::roottask::fault_tests
