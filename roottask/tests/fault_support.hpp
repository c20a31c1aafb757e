#pragma once
// What the fault-handler tests (flt_handler_*_test.cpp) share: a fault endpoint with its
// Reply object and the badged capability a TCB names as its fault handler, threads whose
// faults go there, fault messages read whole and compared word by word, and a handler
// thread for the tests where the root task cannot be the handler (a handler that must
// block, or fault itself). Faulting threads are named "fault-..." (the system test
// forbids any other thread being suspended by a fault) and run above the root task, so
// each has run up to its fault before the Resume that started it returns.
#include <abi/introspection.hpp>
#include <userlib/faults.hpp>

#include "ipc_support.hpp"

extern "C" {
extern const char flt_h_unknown_ecall[];
}

namespace tessera::roottask::fault_tests {

using ipc_tests::as_received;
using ipc_tests::delete_cap;
using ipc_tests::EventLog;
using ipc_tests::expect_message;
using ipc_tests::expect_status;
using ipc_tests::kRoot;
using ipc_tests::kWriteGrant;
using ipc_tests::kWriteGrantReply;
using ipc_tests::kWriteOnly;
using ipc_tests::make_stopped_thread;
using ipc_tests::new_endpoint;
using ipc_tests::new_reply_object;
using ipc_tests::outcome;
using ipc_tests::pattern_message;
using ipc_tests::start_resumed;
using roottask::TestContext;

// RISC-V exception causes (scause) the messages carry.
inline constexpr u64 kCauseMisalignedLoad = 4;
inline constexpr u64 kCauseMisalignedStore = 6;
inline constexpr u64 kCauseIllegalInstruction = 2;
inline constexpr u64 kCauseBreakpoint = 3;
inline constexpr u64 kCauseFetchPageFault = 12;
inline constexpr u64 kCauseLoadPageFault = 13;
inline constexpr u64 kCauseStorePageFault = 15;

// Every instruction the tests fault on is 4 bytes long (assembled with .option norvc).
inline constexpr u64 kInstructionBytes = 4;

// A pointer the root CNode's all-zero guard refuses (its top bit is set).
inline constexpr u64 kUnresolvablePointer = u64{1} << 63;

// ---- Fault messages ----

// A fault message as the handler received it: everything it can see. The words past the
// fourth are copied out of the IPC buffer at once, before the next system call reuses it.
struct FaultRecord {
    IpcStatus status = static_cast<IpcStatus>(0xff); // 0xff: nothing was received
    u64 badge = 0;
    u64 label = 0;
    u64 length = 0;
    u64 words[kMaxFaultWords] = {};
};

// What a receive returned, as a record (read through user::FaultMessage, as a handler would).
FaultRecord record_of(const user::IpcMessage& received, const IpcBuffer& buffer);

// The exact message each kind of fault must arrive as (abi/faults.hpp), status Ok.
FaultRecord vm_fault(u64 badge, u64 address, VmAccess access, u64 pc, u64 cause);
FaultRecord user_exception(u64 badge, u64 pc, u64 sp, UserExceptionKind kind, u64 cause, u64 value);
// `registers`: a0..a7 at the ecall (a7 is the number, repeated in the last word).
FaultRecord unknown_syscall(u64 badge, u64 pc, u64 sp, u64 ra, const u64 (&registers)[kSyscallArgumentWords]);
FaultRecord capability_fault(u64 badge, u64 pc, u64 pointer, bool receive_phase, const LookupFailure& failure);

// Whether `got` is exactly `expected`: status, badge, label, length and every word. Notes
// each difference under `what`, and counts one failure.
bool expect_fault(TestContext& t, kstd::StringView what, const FaultRecord& got, const FaultRecord& expected);

// ---- The handler's objects ----

// One fault handler's objects: the endpoint it receives on (all rights), the Reply object
// it answers through, and the copy with `badge` and `rights` that faulting TCBs name.
struct FaultChannel {
    user::Endpoint endpoint;
    user::ReplyObject reply;
    user::CPtr handler_cap;
    u64 badge = 0;
};
user::Result<FaultChannel> make_fault_channel(TestContext& t, u64 badge,
                                              user::CapRights rights = kWriteGrantReply);

// Names `fault_endpoint` (0: none) as the fault handler of `thread` (TCB.SetSpace), which
// keeps the root task's CNode (with the guard of `cspace_data`, 0: its own) and VSpace.
user::Result<void> set_fault_handler(TestContext& t, user::Tcb thread, user::CPtr fault_endpoint,
                                     u64 cspace_data = 0);

// A thread as make_stopped_thread makes it (not yet run) whose faults go to `fault_endpoint`.
user::Result<user::Tcb> make_handled_thread(TestContext& t, kstd::StringView name, user::ThreadEntry entry,
                                            u64 argument, u64 priority, user::CPtr fault_endpoint);

// The root task as the handler: takes the fault waiting on the channel's endpoint (NBRecv
// with the channel's Reply object, which the faulting thread then waits on). Status
// NothingPending when no fault waits.
FaultRecord take_fault(const FaultChannel& channel);
// Answers the fault parked on the channel's Reply object; returns the Reply's status.
IpcStatus answer(const FaultChannel& channel, const user::FaultAnswer& answer);
// An answer that moves the pc past the faulting instruction (at `pc`) and sets nothing else.
user::FaultAnswer skip_instruction(u64 pc);

// ---- Threads ----

// A thread body for the tests of how a fault can end: one load from `address`, at the
// instruction load_instruction(), then the value is recorded and the thread ends.
struct LoadOutcome {
    volatile u64 value;
    volatile bool done;
};
extern LoadOutcome g_load;
void load_thread(u64 address);
u64 load_instruction();
inline void reset_load() {
    g_load.value = 0;
    g_load.done = false;
}

// Whether `thread` is in `wanted` state (TCB.GetStatus); notes the difference.
bool expect_state(TestContext& t, kstd::StringView what, user::Tcb thread, ThreadStatus wanted);
// Whether `thread` stopped with its pc at `wanted` (TCB.ReadRegisters); notes the difference.
bool expect_pc(TestContext& t, kstd::StringView what, user::Tcb thread, u64 wanted);

// Stops the test's threads (TCB.Suspend), so none is still waiting on a fault when the
// harness revokes the test's objects: that would end the fault with a log line the
// system test does not expect, and a woken handler would run on while its memory goes.
void stop_threads(TestContext& t, kstd::Span<const user::Tcb> threads);
template <typename... Threads> void stop(TestContext& t, Threads... threads) {
    const user::Tcb list[] = {threads...};
    stop_threads(t, kstd::Span<const user::Tcb>(list, sizeof...(threads)));
}

// A function the page-fault tests copy into a page at run time and call there, hand-
// assembled so that it runs anywhere: `addi a0, a0, 42; ret`.
inline constexpr u32 kCopiedFunction[] = {0x02a50513, 0x00008067};
inline constexpr u64 kCopiedFunctionAdds = 42;
inline constexpr u64 kCopiedFunctionArgument = 7;

// What call_copied_function saw: the result, and whether the call returned at all.
struct CopiedCall {
    volatile u64 result;
    volatile bool done;
};
extern CopiedCall g_copied_call;

// A thread body: calls the function at `target` with kCopiedFunctionArgument.
void call_copied_function(u64 target);
// Writes kCopiedFunction at `code`.
void copy_function_to(volatile u32* code);

// What a thread saw of an unknown system call it made: a0..a7 once the ecall "returned"
// (the handler's answer), and sp and ra as they were at the ecall.
struct SyscallRun {
    volatile u64 after[kSyscallArgumentWords];
    volatile u64 sp;
    volatile u64 ra;
    volatile bool done;
};

// Makes a system call with `arguments` in a0..a7 (a7 the number) at the ecall labelled
// flt_h_unknown_ecall, and records what it saw in `run`.
void make_system_call(const u64 (&arguments)[kSyscallArgumentWords], SyscallRun& run);

// A handler thread: receives faults on `channel`, records each, lets `decide` work out the
// answer (it may do anything a handler does, even fault), answers, and ends after
// `rounds` faults. Between rounds it answers and receives with one ReplyRecv, as a server
// loop does; the last answer is a Reply. `events`, when set, gets `on_receive` once a
// fault is received and `on_answered` once the answer's system call has returned.
struct HandlerThread {
    static constexpr u64 kMaxRounds = 4;
    using Decide = user::FaultAnswer (*)(const FaultRecord& fault);

    FaultChannel channel;
    Decide decide = nullptr;
    u64 rounds = 1;
    EventLog* events = nullptr;
    char on_receive = 'h';
    char on_answered = 'd';

    volatile u64 handled = 0;
    FaultRecord records[kMaxRounds];
    IpcStatus answered[kMaxRounds] = {};
};

// Starts `handler` as a thread named `name` at `priority`, its own faults going to
// `fault_endpoint` (0: none); above the root task it has blocked in its first receive
// before this returns.
user::Result<user::Tcb> start_handler(TestContext& t, kstd::StringView name, HandlerThread& handler, u64 priority,
                                      user::CPtr fault_endpoint = user::CPtr{0});

} // namespace tessera::roottask::fault_tests
