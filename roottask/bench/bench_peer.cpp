// The server of the cross-address-space IPC benchmarks (ipc_bench.cpp), in a task of its
// own: its first given capability is the endpoint, the second its Reply object (moved
// in), and TaskInfo's argument the address of the stamps it shares with the root task.
// It runs the same server loop as the same-address-space benchmark, so the two figures
// differ only by the address-space switch.
#include <userlib/start.hpp>
#include <userlib/task_layout.hpp>

#include "timing.hpp"

using namespace tessera;

int task_main(const user::TaskStart& start) {
    if (start.task_info == nullptr) return 1;
    const u64 endpoint = user::slot_of(user::TaskSlot::FirstGiven);
    auto* stamps = reinterpret_cast<bench::ServerStamps*>(start.task_info->argument);
    bench::serve(endpoint, endpoint + 1, *stamps);
    return 1;
}
