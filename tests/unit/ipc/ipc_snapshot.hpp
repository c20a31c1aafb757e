#pragma once
// A picture of everything IPC and scheduling can change, comparable between two fixtures:
// the threads, endpoints, notifications and Reply objects of a scenario get names, and
// every pointer among them is written as a name (anything else relative to the arena), so
// two runs of one scenario in two IpcKernels (at different addresses) compare equal
// exactly when they left the same state. The fastpath tests take it after the fastpath
// and after the general path, and before and after a fastpath that declined.
#include "ipc_fixture.hpp"

#include <string>
#include <utility>
#include <vector>

namespace ipctest {

class IpcSnapshot {
public:
    explicit IpcSnapshot(IpcKernel& kernel) : kernel_(kernel) {}

    IpcSnapshot& thread(std::string name, Tcb& thread);
    IpcSnapshot& endpoint(std::string name, u64 slot);
    IpcSnapshot& notification(std::string name, u64 slot);
    IpcSnapshot& reply(std::string name, u64 slot);

    // One line per fact: each thread (state, registers, IPC wait, scheduling), each
    // object, the scheduler's current thread and ready queues (in order), and the
    // capability picture. With `with_hook_logs`, also how often the fixture's hooks
    // told each thread something (a fastpath writes registers without the hooks).
    std::vector<std::string> take(bool with_hook_logs = false) const;

    // Probes what the Scheduler keeps to itself by using it: charges the current thread
    // from `now`, then lets it choose at `now`, taking every chosen thread off, until
    // nothing is left. Destroys the state; the result is the order threads would run in.
    std::vector<std::string> drain_scheduler(u64 now) const;

private:
    std::string name_of(const void* object) const;
    std::string thread_line(const std::string& name, Tcb& thread) const;
    void add_ready_queues(std::vector<std::string>& lines) const;

    IpcKernel& kernel_;
    std::vector<std::pair<std::string, Tcb*>> threads_;
    std::vector<std::pair<std::string, const void*>> objects_;
    std::vector<std::pair<std::string, u64>> endpoints_, notifications_, replies_;
};

// "" when the pictures are equal, else the first line where they differ (both versions),
// so that a failed comparison names the fact that differs.
std::string first_difference(const std::vector<std::string>& expected, const std::vector<std::string>& actual);

} // namespace ipctest
