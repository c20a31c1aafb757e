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

// The boot argument fastpath=off, for one scope.
struct FastpathOff {
    FastpathOff() { set_ipc_fastpath_enabled(false); }
    ~FastpathOff() { set_ipc_fastpath_enabled(true); }
    FastpathOff(const FastpathOff&) = delete;
    FastpathOff& operator=(const FastpathOff&) = delete;
};

} // namespace ipctest
