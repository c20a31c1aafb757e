#pragma once
// The system calls as inline `ecall`s (numbers and registers: abi/syscalls.hpp). Only the
// user target compiles this header; everything above it goes through invoke().
#include <abi/ipc_buffer.hpp>
#include <abi/syscalls.hpp>
#include <kstd/string_view.hpp>
#include <userlib/message.hpp>

namespace tessera::user {

// Call: a0 capability pointer, a1 message info, a2..a5 words 0..3 in; a1..a5 reply and
// a6 the IpcStatus out. The kernel may write the IPC buffer, hence the memory clobber, and
// may rewrite a7 (abi/syscalls.hpp), hence its "+r".
inline CallRegisters syscall_call(const CallRegisters& in) {
    register u64 a0 asm("a0") = in.a[0];
    register u64 a1 asm("a1") = in.a[1];
    register u64 a2 asm("a2") = in.a[2];
    register u64 a3 asm("a3") = in.a[3];
    register u64 a4 asm("a4") = in.a[4];
    register u64 a5 asm("a5") = in.a[5];
    register u64 a6 asm("a6");
    register u64 a7 asm("a7") = static_cast<u64>(Syscall::Call);
    asm volatile("ecall"
                 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5), "=r"(a6), "+r"(a7)
                 :
                 : "memory");
    CallRegisters out;
    out.a[0] = a0;
    out.a[1] = a1;
    out.a[2] = a2;
    out.a[3] = a3;
    out.a[4] = a4;
    out.a[5] = a5;
    out.status = static_cast<IpcStatus>(a6);
    return out;
}

inline void syscall_no_arguments(Syscall number) {
    register u64 a7 asm("a7") = static_cast<u64>(number);
    asm volatile("ecall" : : "r"(a7) : "memory");
}

inline void yield() { syscall_no_arguments(Syscall::Yield); }

inline void debug_put_char(char c) {
    register u64 a0 asm("a0") = static_cast<u8>(c);
    register u64 a7 asm("a7") = static_cast<u64>(Syscall::DebugPutChar);
    asm volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
}

// Writes `text` to the kernel console, in pieces of at most kDebugPutStringLimit bytes.
inline void debug_put_string(kstd::StringView text) {
    while (!text.empty()) {
        u64 length = text.size() < kDebugPutStringLimit ? text.size() : kDebugPutStringLimit;
        register u64 a0 asm("a0") = reinterpret_cast<u64>(text.data());
        register u64 a1 asm("a1") = length;
        register u64 a7 asm("a7") = static_cast<u64>(Syscall::DebugPutString);
        asm volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a7) : "memory");
        text = text.substr(length);
    }
}

// Suspends the calling thread; it runs again only if someone resumes it.
inline void debug_suspend() { syscall_no_arguments(Syscall::DebugSuspend); }

// Ends the calling thread for good: it suspends, and suspends again if anyone resumes it.
[[noreturn]] inline void end_current_thread() {
    for (;;) debug_suspend();
}

// How many Calls and ReplyRecvs the kernel's IPC fastpath has completed since boot
// (docs/ipc.md): tests check that it ran, or with `fastpath=off` that it did not.
inline u64 debug_fastpath_count() {
    register u64 a0 asm("a0");
    register u64 a7 asm("a7") = static_cast<u64>(Syscall::DebugFastpathCount);
    asm volatile("ecall" : "=r"(a0) : "r"(a7) : "memory");
    return a0;
}

// Powers the machine off: 0 success, anything else failure.
[[noreturn]] inline void debug_halt(u64 status) {
    register u64 a0 asm("a0") = status;
    register u64 a7 asm("a7") = static_cast<u64>(Syscall::DebugHalt);
    asm volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    for (;;) syscall_no_arguments(Syscall::DebugSuspend);
}

// The calling thread's IPC buffer. Every thread keeps it in `tp` (the compiler never uses
// tp: userlib has no thread-local storage); crt0 and the thread helpers set it.
inline IpcBuffer* current_ipc_buffer() {
    u64 value;
    asm volatile("mv %0, tp" : "=r"(value));
    return reinterpret_cast<IpcBuffer*>(value);
}

inline void set_current_ipc_buffer(IpcBuffer* buffer) {
    asm volatile("mv tp, %0" : : "r"(reinterpret_cast<u64>(buffer)) : "memory");
}

} // namespace tessera::user
