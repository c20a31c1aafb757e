// IPC, one way at a time, as sel4bench's ipc benchmark measures it: a client Calls a server
// that waits in Recv (the Call's figure: client before its ecall -> server after its Recv
// or ReplyRecv returns), and the server answers by ReplyRecv (its figure: server before its
// ecall -> client after its Call returns). Client and server run at one priority. The
// server is a thread of the root task (same address space) or the bench-peer task (its
// own address space and CSpace, writing its stamps into two pages it shares with the root
// task). Also a Send from a low-priority thread to a waiting higher-priority one.
#include <bootimage/cpio.hpp>
#include <userlib/address_space.hpp>
#include <userlib/print.hpp>
#include <userlib/syscalls.hpp>
#include <userlib/task_loader.hpp>

#include "bench_peer.hpp"
#include "bench_support.hpp"

namespace tessera::roottask::bench {

namespace {

// The client's side of a run: its stamps, and the notification it signals when done.
struct CallerStamps {
    u64 endpoint;
    u64 length;
    u64 done;
    volatile bool failed;
    u64 call_start[kRounds];
    u64 reply_end[kRounds];
};

struct ServerArguments {
    u64 endpoint;
    u64 reply;
    u64 done;
    ServerStamps* stamps;
};

CallerStamps g_caller;
ServerStamps g_server;
ServerArguments g_server_arguments;

void caller_loop(u64 argument) {
    CallerStamps& caller = *reinterpret_cast<CallerStamps*>(argument);
    // One Call more than recorded: the server stamps its answer to call i only when its
    // ReplyRecv returns with call i + 1.
    for (u64 round = 0; round <= kRounds; ++round) {
        Registers r = ipc_registers(Syscall::Call, caller.endpoint, caller.length);
        Stamps stamps = timed_ecall(r);
        if (!ipc_ok(r)) {
            caller.failed = true;
            break;
        }
        if (round < kRounds) {
            caller.call_start[round] = stamps.before;
            caller.reply_end[round] = stamps.after;
        }
    }
    (void)user::Notification(user::CPtr{caller.done}).signal();
}

void server_loop(u64 argument) {
    ServerArguments& server = *reinterpret_cast<ServerArguments*>(argument);
    serve(server.endpoint, server.reply, *server.stamps);
    // Only a failed system call ends serve(): let the root task see it rather than wait.
    (void)user::Notification(user::CPtr{server.done}).signal();
}

void reset_caller(Bench& bench, u64 endpoint, u64 length) {
    g_caller.endpoint = endpoint;
    g_caller.length = length;
    g_caller.done = bench.done().cap().value;
    g_caller.failed = false;
}

void reset_server(ServerStamps& stamps) {
    stamps.rounds = 0;
    stamps.failed = 0;
}

// Also says how many of the run's Calls and ReplyRecvs the kernel's fastpath completed
// (`fastpath_runs`), so a figure that left the fastpath is seen as such.
void report_pair(Bench& bench, kstd::StringView call_metric, kstd::StringView reply_metric,
                 const ServerStamps& server, u64 fastpath_runs) {
    user::println("bench: {} and {}: the fastpath completed {} of {} Calls and ReplyRecvs", call_metric,
                  reply_metric, fastpath_runs, 2 * (kRounds + 1));
    if (g_caller.failed || server.failed != 0 || server.rounds < kRounds) {
        bench.fail(call_metric, "the Calls did not all complete");
        bench.fail(reply_metric, "the Calls did not all complete");
        return;
    }
    Samples call;
    Samples reply;
    for (u64 round = kWarmup; round < kRounds; ++round) {
        call.add(interval(g_caller.call_start[round], server.call_end[round]));
        reply.add(interval(server.reply_start[round], g_caller.reply_end[round]));
    }
    bench.report(call_metric, call);
    bench.report(reply_metric, reply);
}

user::Result<void> same_address_space(Bench& bench) {
    RootEnvironment& root = bench.root();
    u64 endpoint = TRY(root.objects.allocate(ObjectType::Endpoint)).value;
    u64 reply = TRY(root.objects.allocate(ObjectType::Reply)).value;
    reset_server(g_server);
    g_server_arguments = ServerArguments{endpoint, reply, bench.done().cap().value, &g_server};
    reset_caller(bench, endpoint, 0);
    // The server first, so it is waiting in Recv when the client's first Call comes.
    TRY(bench.spawn("bench-server", server_loop, reinterpret_cast<u64>(&g_server_arguments), kPriority));
    const u64 fastpath_before = user::debug_fastpath_count();
    TRY(bench.spawn("bench-client", caller_loop, reinterpret_cast<u64>(&g_caller), kPriority));
    bench.finish();
    report_pair(bench, "ipc_call_same_as", "ipc_replyrecv_same_as", g_server,
                user::debug_fastpath_count() - fastpath_before);
    return {};
}

// The bench-peer task: its endpoint, its Reply object (moved in), and the shared pages.
user::Result<user::StartedTask> start_peer(Bench& bench, u64 endpoint, ServerStamps*& shared) {
    RootEnvironment& root = bench.root();
    auto file = cpio_find(root.boot_info.boot_image(), kPeerFile);
    if (!file) return kstd::fail(user::Error::of(user::LibraryError::NotFound));
    u64 reply = TRY(root.objects.allocate(ObjectType::Reply)).value;

    constexpr u64 kPages = (sizeof(ServerStamps) + kPageBytes - 1) / kPageBytes;
    static_assert(kPages <= kPeerStampPages);
    u64 address = TRY(root.addresses.reserve(kPages));
    user::MappedFrame mappings[kPages];
    for (u64 page = 0; page < kPages; ++page) {
        user::Frame frame = TRY(user::map_new_frame(root.objects, root.objects, root.own_caps().vspace,
                                                    address + page * kPageBytes, VmRights::kReadWrite));
        mappings[page] = user::MappedFrame{frame.cap(), kPeerStampAddress + page * kPageBytes, VmRights::kReadWrite};
    }
    shared = reinterpret_cast<ServerStamps*>(address);

    user::GivenCap given[] = {{user::CPtr{endpoint}, user::CapRights::all()}, {user::CPtr{reply}, {}, true}};
    user::StarterResources starter = root.starter();
    user::TaskSpec spec{.name = kPeerFile,
                        .elf = file.value().data,
                        .priority = kPriority,
                        .caps = given,
                        .argument = kPeerStampAddress,
                        .mappings = mappings};
    return user::start_task(starter, spec);
}

// A peer per run, so each starts from fresh (zeroed) stamps.
user::Result<void> cross_address_space(Bench& bench, u64 length, kstd::StringView call_metric,
                                       kstd::StringView reply_metric) {
    u64 endpoint = TRY(bench.root().objects.allocate(ObjectType::Endpoint)).value;
    ServerStamps* shared = nullptr;
    user::StartedTask peer = TRY(start_peer(bench, endpoint, shared));
    reset_caller(bench, endpoint, length);
    const u64 fastpath_before = user::debug_fastpath_count();
    TRY(bench.spawn("bench-client", caller_loop, reinterpret_cast<u64>(&g_caller), kPriority));
    bench.finish();
    const u64 fastpath_runs = user::debug_fastpath_count() - fastpath_before;
    TRY(peer.tcb.suspend());
    report_pair(bench, call_metric, reply_metric, *shared, fastpath_runs);
    return {};
}

// Send from a thread to a higher-priority one waiting in Recv (no Reply object).
struct SendStamps {
    u64 endpoint;
    u64 done;
    volatile u64 received;
    volatile bool failed;
    u64 send_start[kRounds];
    u64 receive_end[kRounds];
};
SendStamps g_send;

void receiver_loop(u64) {
    for (;;) {
        Registers r = ipc_registers(Syscall::Recv, g_send.endpoint);
        Stamps stamps = timed_ecall(r);
        if (!ipc_ok(r)) break;
        u64 round = g_send.received;
        if (round < kRounds) g_send.receive_end[round] = stamps.after;
        g_send.received = round + 1;
    }
    g_send.failed = true;
    (void)user::Notification(user::CPtr{g_send.done}).signal();
}

void sender_loop(u64) {
    for (u64 round = 0; round < kRounds; ++round) {
        Registers r = ipc_registers(Syscall::Send, g_send.endpoint);
        Stamps stamps = timed_ecall(r);
        if (!ipc_ok(r)) {
            g_send.failed = true;
            break;
        }
        g_send.send_start[round] = stamps.before;
    }
    (void)user::Notification(user::CPtr{g_send.done}).signal();
}

user::Result<void> send_low_to_high(Bench& bench) {
    g_send.endpoint = TRY(bench.root().objects.allocate(ObjectType::Endpoint)).value;
    g_send.done = bench.done().cap().value;
    g_send.received = 0;
    g_send.failed = false;
    TRY(bench.spawn("bench-receiver", receiver_loop, 0, kPriority + 1));
    TRY(bench.spawn("bench-sender", sender_loop, 0, kPriority));
    bench.finish();
    if (g_send.failed || g_send.received < kRounds) {
        bench.fail("ipc_send_low_to_high", "the Sends did not all arrive");
        return {};
    }
    Samples samples;
    for (u64 round = kWarmup; round < kRounds; ++round)
        samples.add(interval(g_send.send_start[round], g_send.receive_end[round]));
    bench.report("ipc_send_low_to_high", samples);
    return {};
}

} // namespace

void run_ipc_benchmarks(Bench& bench) {
    if (auto ran = same_address_space(bench); !ran) bench.fail("ipc_call_same_as", ran.error());
    if (auto ran = cross_address_space(bench, 0, "ipc_call_cross_as", "ipc_replyrecv_cross_as"); !ran)
        bench.fail("ipc_call_cross_as", ran.error());
    if (auto ran = cross_address_space(bench, 10, "ipc_call_len10_cross_as", "ipc_replyrecv_len10_cross_as"); !ran)
        bench.fail("ipc_call_len10_cross_as", ran.error());
    if (auto ran = send_low_to_high(bench); !ran) bench.fail("ipc_send_low_to_high", ran.error());
}

} // namespace tessera::roottask::bench
