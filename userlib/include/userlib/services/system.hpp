#pragma once
// The system service: the root task serves it to the shell, from what it started and the
// capabilities it kept (docs/services.md). Names travel as NUL-padded bytes.
//   ListThreads: w0 the index (0..). Answer: w0 the index, w1 the thread's state (the
//                kernel's ThreadStatus, <abi/introspection.hpp>), w2 its priority, w3 the
//                task's restarts, w4..w7 the task's name (32 bytes), w8..w9 the thread's
//                name (16 bytes). OutOfRange past the last thread.
//   ListIrqs:    w0 the index. Answer: w0 the line, w1 interrupts delivered, w2 masked,
//                w3 shared, w4 awaiting ack, w5 bound, w6..w9 the owning task's name.
//                OutOfRange past the last handler the root task gave out.
//   ListCaps:    w0 the first slot to look at, w1..w4 the task's name. Answer: the first
//                occupied slot from there: w0 its index, w1 the capability's type
//                (CapabilityKind), w2 its rights, w3 its badge or guard word, w4 the
//                object's address, w5 the object's size in bits. OutOfRange when no
//                occupied slot follows; NotPresent for an unknown task.
//   Halt:        powers the machine off through SBI; no answer comes.
//   Fault:       w0..w3 a task's name: its thread executes an illegal instruction, which
//                its supervisor (the root task) answers by restarting it. Only the
//                supervised tasks (the drivers) take it; NotPresent for any other name.
#include <userlib/services/service_message.hpp>

namespace tessera::user {

enum class SystemRequest : u64 { ListThreads = 1, ListIrqs = 2, ListCaps = 3, Halt = 4, Fault = 5 };

inline constexpr u64 kServiceNameBytes = 32;
inline constexpr u64 kServiceNameWords = kServiceNameBytes / 8;
inline constexpr u64 kThreadNameWords = 2;

struct ThreadEntry {
    u64 state = 0;
    u64 priority = 0;
    u64 restarts = 0;
    char task[kServiceNameBytes + 1] = {};
    char thread[kThreadNameWords * 8 + 1] = {};
};

struct IrqEntry {
    u64 line = 0;
    u64 delivered = 0;
    bool masked = false;
    bool shared = false;
    bool awaiting_ack = false;
    bool bound = false;
    char owner[kServiceNameBytes + 1] = {};
};

struct CapEntry {
    u64 slot = 0;
    u64 kind = 0;
    u64 rights = 0;
    u64 data = 0;
    u64 object = 0;
    u64 size_bits = 0;
};

class SystemClient {
public:
    SystemClient() = default;
    explicit SystemClient(Endpoint endpoint) : endpoint_(endpoint) {}

    bool present() const { return endpoint_.cap().value != 0; }
    // Each returns OutOfRange (as a ServiceRefused error) past the end.
    Result<ThreadEntry> thread(u64 index) const;
    Result<IrqEntry> irq(u64 index) const;
    Result<CapEntry> capability(kstd::StringView task, u64 first_slot) const;
    Result<void> halt() const;
    Result<void> fault(kstd::StringView task) const;

private:
    Endpoint endpoint_;
};

} // namespace tessera::user
