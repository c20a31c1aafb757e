#pragma once
// What the two fastpath suites share: a system call's registers as user space loads them,
// the capability a scenario names (or a pointer that resolves to nothing), and the
// switch that turns the fastpath off for one scope.
#include "ipc_snapshot.hpp"

#include <algorithm>
#include <string>

#include <ipc/fastpath.hpp>
#include <sched/ipc_syscalls.hpp>

namespace ipctest {

// What a scenario's capability register names.
enum class Target : u8 { Endpoint, Notification, Unresolved };

// Its high bit breaks the root CNode's guard: no slot at all (a capability fault).
inline constexpr u64 kUnresolvedPointer = u64{1} << 63;

inline const char* target_name(Target target) {
    switch (target) {
    case Target::Endpoint: return "endpoint";
    case Target::Notification: return "notification";
    case Target::Unresolved: return "unresolved";
    }
    return "?";
}

// a0..a7 of a system call: the capability pointer, the info word, four words, a6, a7.
// Unused words get recognisable junk, so a register the operation should leave alone
// shows when it does not.
inline void load_syscall(Tcb& thread, u64 pointer, MessageInfo info, u64 word_base, u64 a6, Syscall number) {
    thread.registers.set_result(kBadgeRegister, pointer);
    thread.registers.set_result(kInfoRegister, info.to_word());
    for (unsigned i = 0; i < kMessageRegisterCount; ++i)
        thread.registers.set_result(kFirstWordRegister + i, word_base + i);
    thread.registers.set_result(kStatusRegister, a6);
    thread.registers.set_syscall_number(static_cast<u64>(number));
}

// True when a thread of `priority` outranks every one of `others` (all queued).
inline bool outranks(u8 priority, const std::vector<u8>& others) {
    return std::all_of(others.begin(), others.end(), [&](u8 other) { return priority > other; });
}

inline std::string priorities(const std::vector<u8>& others) {
    std::string text = "{";
    for (u8 p : others) text += " " + std::to_string(p);
    return text + " }";
}

// An IPC buffer whose words are base, base + 1, ...: a word copied from the wrong place shows.
inline void fill_buffer(IpcKernel& k, Tcb& thread, u64 base) {
    IpcBuffer& buffer = k.give_buffer(thread);
    for (u64 i = 0; i < MessageInfo::kMaxMessageLength; ++i) buffer.message[i] = base + i;
}

// Runs a scenario both ways: in one World through the fastpath (`fast(world)`), in a fresh
// World through the general trap path (`general(world)`), each followed by the scheduler's
// choice, which must pick `next(world)`. Compares everything either can change and the
// order in which threads then run. When the fastpath declines, checks it changed nothing.
// `applies`: whether the fastpath's conditions hold. True when it took the call.
template <typename World, typename Scenario, typename Fast, typename General, typename Next>
bool compare_with_general_path(const Scenario& s, bool applies, u64 now, Fast fast, General general, Next next) {
    std::vector<std::string> fast_picture, fast_run_order;
    {
        World world(s);
        std::vector<std::string> before = world.picture.take(true);
        u64 count = ipc_fastpath_count();
        bool taken = fast(world);
        REQUIRE(taken == applies);
        CHECK(ipc_fastpath_count() == count + (taken ? 1 : 0));
        if (!taken) {
            CHECK(first_difference(before, world.picture.take(true)) == "");
            return false;
        }
        fast_picture = world.picture.take();
        // The kernel lets the scheduler choose after every system call: after the
        // fastpath it keeps the partner and changes nothing.
        CHECK(world.k.scheduler.choose(now) == next(world));
        CHECK(first_difference(fast_picture, world.picture.take()) == "");
        fast_run_order = world.picture.drain_scheduler(now + 7);
    }
    World world(s);
    general(world);
    CHECK(world.k.scheduler.choose(now) == next(world));
    CHECK(first_difference(world.picture.take(), fast_picture) == "");
    CHECK(world.picture.drain_scheduler(now + 7) == fast_run_order);
    return true;
}

// The boot argument fastpath=off, for one scope.
struct FastpathOff {
    FastpathOff() { set_ipc_fastpath_enabled(false); }
    ~FastpathOff() { set_ipc_fastpath_enabled(true); }
    FastpathOff(const FastpathOff&) = delete;
    FastpathOff& operator=(const FastpathOff&) = delete;
};

} // namespace ipctest
