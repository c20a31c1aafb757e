// Faults as IPC (docs/faults.md), as sel4bench's fault benchmark measures them: a thread
// loads from a page nothing is mapped at; the kernel sends the VM fault to its fault
// endpoint, where a handler thread of the same priority waits in Recv; the handler
// answers, by ReplyRecv, with the faulting thread's pc moved past the load, so the loop
// goes on and faults again.
//   fault_to_handler   faulter before the load -> handler after Recv/ReplyRecv returns
//   handler_to_faulter handler before its ReplyRecv -> faulter after the load, resumed
//   fault_roundtrip    faulter before the load -> after it, resumed (a handler that
//                      takes no stamps, so only the fault path and its answer are in)
#include <abi/faults.hpp>

#include "bench_support.hpp"

namespace tessera::roottask::bench {

namespace {

struct FaultStamps {
    u64 endpoint;
    u64 reply;
    u64 done;
    u64 address; // reserved in the root task's address space, never mapped
    volatile u64 handled;
    volatile bool failed;
    u64 fault_start[kRounds];
    u64 resume_end[kRounds];
    u64 handler_end[kRounds];
    u64 reply_start[kRounds];
};
FaultStamps g_fault;

// The load between two counter reads; kept uncompressed (4 bytes) because the handler
// resumes the thread at the faulting pc + 4.
Stamps fault_once(u64 address) {
    Stamps stamps;
    u64 scratch;
    asm volatile("rdcycle %[before]\n\t"
                 ".option push\n\t"
                 ".option norvc\n\t"
                 "ld %[scratch], 0(%[address])\n\t"
                 ".option pop\n\t"
                 "rdcycle %[after]"
                 : [before] "=&r"(stamps.before), [after] "=&r"(stamps.after), [scratch] "=&r"(scratch)
                 : [address] "r"(address)
                 : "memory");
    return stamps;
}

void faulter(u64) {
    // One fault more than recorded: the handler stamps its answer to fault i only when its
    // ReplyRecv returns with fault i + 1.
    for (u64 round = 0; round <= kRounds; ++round) {
        Stamps stamps = fault_once(g_fault.address);
        if (round < kRounds) {
            g_fault.fault_start[round] = stamps.before;
            g_fault.resume_end[round] = stamps.after;
        }
    }
    (void)user::Notification(user::CPtr{g_fault.done}).signal();
}

// Whether `r` holds a VM fault message; then the answer that resumes past the load.
bool answer_fault(Registers& r) {
    if (!ipc_ok(r) || MessageInfo::from_word(r.a[kInfoRegister]).label != static_cast<u64>(FaultLabel::VmFault))
        return false;
    u64 pc = r.a[kFirstWordRegister + static_cast<u64>(VmFaultWord::ProgramCounter)];
    r = ipc_registers(Syscall::ReplyRecv, g_fault.endpoint, 2, g_fault.reply);
    r.a[kFirstWordRegister] = fault_reply_bit(FaultReplyRegister::ProgramCounter);
    r.a[kFirstWordRegister + 1] = pc + 4;
    return true;
}

void stamping_handler(u64) {
    Registers r = ipc_registers(Syscall::Recv, g_fault.endpoint, 0, g_fault.reply);
    Stamps stamps = timed_ecall(r);
    for (;;) {
        const u64 received = stamps.after;
        if (!answer_fault(r)) break;
        stamps = timed_ecall(r);
        u64 round = g_fault.handled;
        if (round < kRounds) {
            g_fault.handler_end[round] = received;
            g_fault.reply_start[round] = stamps.before;
        }
        g_fault.handled = round + 1;
    }
    g_fault.failed = true;
    (void)user::Notification(user::CPtr{g_fault.done}).signal();
}

void plain_handler(u64) {
    Registers r = ipc_registers(Syscall::Recv, g_fault.endpoint, 0, g_fault.reply);
    plain_ecall(r);
    while (answer_fault(r)) plain_ecall(r);
    g_fault.failed = true;
    (void)user::Notification(user::CPtr{g_fault.done}).signal();
}

// One run: a handler and a faulter whose TCB names the endpoint as its fault handler.
user::Result<void> run(Bench& bench, user::ThreadEntry handler) {
    RootEnvironment& root = bench.root();
    g_fault.endpoint = TRY(root.objects.allocate(ObjectType::Endpoint)).value;
    g_fault.reply = TRY(root.objects.allocate(ObjectType::Reply)).value;
    g_fault.done = bench.done().cap().value;
    g_fault.handled = 0;
    g_fault.failed = false;
    TRY(bench.spawn("bench-handler", handler, 0, kPriority));
    user::Tcb thread = TRY(bench.spawn("bench-faulter", faulter, 0, kPriority));
    const user::OwnCaps own = RootEnvironment::own_caps();
    TRY(thread.set_space(user::CPtr{g_fault.endpoint}, own.cnode, 0, own.vspace, 0));
    bench.finish();
    if (g_fault.failed) return kstd::fail(user::Error::of(ErrorCode::IllegalOperation));
    return {};
}

user::Result<void> faults(Bench& bench) {
    g_fault.address = TRY(bench.root().addresses.reserve(1));
    TRY(run(bench, stamping_handler));
    if (g_fault.handled < kRounds) {
        bench.fail("fault_to_handler", "the handler did not receive every fault");
        return {};
    }
    Samples to_handler;
    Samples to_faulter;
    for (u64 round = kWarmup; round < kRounds; ++round) {
        to_handler.add(interval(g_fault.fault_start[round], g_fault.handler_end[round]));
        to_faulter.add(interval(g_fault.reply_start[round], g_fault.resume_end[round]));
    }
    bench.report("fault_to_handler", to_handler);
    bench.report("handler_to_faulter", to_faulter);

    TRY(run(bench, plain_handler));
    Samples roundtrip;
    for (u64 round = kWarmup; round < kRounds; ++round)
        roundtrip.add(interval(g_fault.fault_start[round], g_fault.resume_end[round]));
    bench.report("fault_roundtrip", roundtrip);
    return {};
}

} // namespace

void run_fault_benchmarks(Bench& bench) {
    if (auto ran = faults(bench); !ran) bench.fail("fault_to_handler", ran.error());
}

} // namespace tessera::roottask::bench
