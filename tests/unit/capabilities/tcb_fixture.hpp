#pragma once
// The TCB tests' kernel: the capability fixture plus a real Scheduler behind the thread
// control hooks, a TCB finaliser that takes a dying thread off the scheduler (as the
// kernel's does), and a stand-in for the architecture's VSpace-root check (PageTables
// the test declares roots). Calls go through handle_invocation with an invocation context
// (the calling thread and room for reply words), as the Call system call makes them.
#include "cap_fixture.hpp"

#include <set>

#include <object/tcb.hpp>
#include <object/thread_control.hpp>
#include <sched/scheduler.hpp>

namespace captest {

struct CallOptions {
    Tcb* caller = nullptr;
    std::vector<u64>* reply_words = nullptr; // receives the reply words of a success
    u64 reply_room = MessageInfo::kMaxMessageLength;
    bool no_reply = false;                    // an invocation with nowhere to put reply words
    const Capability* cspace = nullptr;       // the caller's CSpace root; default: the fixture's
    PreemptionPoint* interrupt = nullptr;
};

class ThreadKernel : public Kernel {
public:
    explicit ThreadKernel(unsigned arena_bits = 20);
    ~ThreadKernel();

    Scheduler scheduler;
    std::set<u64> vspace_roots;     // PageTable addresses the fake check accepts
    std::vector<u64> finalised_tcbs; // addresses, in the order the finaliser ran

private:
    u64 next_asid_ = 1;

public:

    // Retypes a TCB into root slot `slot`; priority and MCP set as the boot code sets them.
    Tcb& make_tcb(u64 slot, u8 priority = 0, u8 mcp = 0);
    Tcb& tcb(u64 slot) { return *tcb_of(cap(slot)); }
    void make(ObjectType type, u64 slot, u64 size_bits = 0);
    // A PageTable in `slot` made a root with an ASID, which the VSpace-root check accepts.
    void make_vspace(u64 slot);

    Reply call(u64 invoked, InvocationLabel label, const std::vector<u64>& words,
               const std::vector<u64>& extra = {}, const CallOptions& options = {});
    // Repeats a preempted call until it completes; counts the restarts.
    Reply call_until_done(u64 invoked, InvocationLabel label, const std::vector<u64>& words,
                          const std::vector<u64>& extra, CallOptions options, u64* restarts = nullptr);
};

// Copies made for TCB slots: children of the given capability, nothing else.
bool is_child_of(Slot& parent, const Slot& child);

} // namespace captest
