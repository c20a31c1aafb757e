#pragma once
// The IPC system calls as inline `ecall`s (numbers, registers and statuses:
// abi/syscalls.hpp, docs/ipc.md), and the IPC operations of Endpoint, Notification and
// ReplyObject (declared in <userlib/ipc_message.hpp>). Only the user target compiles this
// header.
//
// One stub per register shape, so each call loads only the registers it sends. The
// kernel may rewrite a7 (a ReplyRecv cancelled in its receive phase becomes a Recv) and
// writes a0..a6 and the IPC buffer, so every stub names a0..a7 as outputs or clobbers and
// clobbers memory.
#include <userlib/ipc_message.hpp>

namespace tessera::user {

namespace ipc_detail {

constexpr u64 number_of(Syscall call) { return static_cast<u64>(call); }

// What a0..a6 hold after an IPC system call.
inline IpcMessage message_from(u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, u64 a6) {
    IpcMessage out;
    out.badge = a0;
    out.info_word = a1;
    out.words[0] = a2;
    out.words[1] = a3;
    out.words[2] = a4;
    out.words[3] = a5;
    out.status = static_cast<IpcStatus>(a6);
    return out;
}

} // namespace ipc_detail

// Send, NBSend, Call (on an Endpoint) and Reply: a0 the capability, a1 the info word,
// a2..a5 words 0..3.
template <Syscall kCall> inline IpcMessage ipc_send_syscall(CPtr cap, const IpcMessage& message) {
    static_assert(kCall == Syscall::Send || kCall == Syscall::NBSend || kCall == Syscall::Call ||
                  kCall == Syscall::Reply);
    register u64 a0 asm("a0") = cap.value;
    register u64 a1 asm("a1") = message.info_word;
    register u64 a2 asm("a2") = message.words[0];
    register u64 a3 asm("a3") = message.words[1];
    register u64 a4 asm("a4") = message.words[2];
    register u64 a5 asm("a5") = message.words[3];
    register u64 a6 asm("a6");
    register u64 a7 asm("a7") = ipc_detail::number_of(kCall);
    asm volatile("ecall"
                 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5), "=r"(a6), "+r"(a7)
                 :
                 : "memory");
    return ipc_detail::message_from(a0, a1, a2, a3, a4, a5, a6);
}

// Recv and NBRecv: a0 the Endpoint, a6 the Reply object (0: none).
template <Syscall kCall> inline IpcMessage ipc_receive_syscall(CPtr endpoint, CPtr reply) {
    static_assert(kCall == Syscall::Recv || kCall == Syscall::NBRecv);
    register u64 a0 asm("a0") = endpoint.value;
    register u64 a1 asm("a1");
    register u64 a2 asm("a2");
    register u64 a3 asm("a3");
    register u64 a4 asm("a4");
    register u64 a5 asm("a5");
    register u64 a6 asm("a6") = reply.value;
    register u64 a7 asm("a7") = ipc_detail::number_of(kCall);
    asm volatile("ecall"
                 : "+r"(a0), "=r"(a1), "=r"(a2), "=r"(a3), "=r"(a4), "=r"(a5), "+r"(a6), "+r"(a7)
                 :
                 : "memory");
    return ipc_detail::message_from(a0, a1, a2, a3, a4, a5, a6);
}

// ReplyRecv: the answer in a1..a5 through the Reply object in a6, then Recv on a0.
inline IpcMessage ipc_reply_recv_syscall(CPtr endpoint, CPtr reply, const IpcMessage& answer) {
    register u64 a0 asm("a0") = endpoint.value;
    register u64 a1 asm("a1") = answer.info_word;
    register u64 a2 asm("a2") = answer.words[0];
    register u64 a3 asm("a3") = answer.words[1];
    register u64 a4 asm("a4") = answer.words[2];
    register u64 a5 asm("a5") = answer.words[3];
    register u64 a6 asm("a6") = reply.value;
    register u64 a7 asm("a7") = ipc_detail::number_of(Syscall::ReplyRecv);
    asm volatile("ecall"
                 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5), "+r"(a6), "+r"(a7)
                 :
                 : "memory");
    return ipc_detail::message_from(a0, a1, a2, a3, a4, a5, a6);
}

// Signal, Wait and Poll: a0 the Notification; out a0 the word and a6 the status.
template <Syscall kCall> inline IpcMessage ipc_notification_syscall(CPtr notification) {
    static_assert(kCall == Syscall::Signal || kCall == Syscall::Wait || kCall == Syscall::Poll);
    register u64 a0 asm("a0") = notification.value;
    register u64 a1 asm("a1");
    register u64 a6 asm("a6");
    register u64 a7 asm("a7") = ipc_detail::number_of(kCall);
    asm volatile("ecall" : "+r"(a0), "=r"(a1), "=r"(a6), "+r"(a7) : : "a2", "a3", "a4", "a5", "memory");
    IpcMessage out;
    out.badge = a0;
    out.info_word = a1;
    out.status = static_cast<IpcStatus>(a6);
    return out;
}

inline IpcStatus ReplyObject::reply(const IpcMessage& answer) const {
    return ipc_send_syscall<Syscall::Reply>(cap(), answer).status;
}

inline IpcMessage Endpoint::send(const IpcMessage& message) const {
    return ipc_send_syscall<Syscall::Send>(cap(), message);
}

inline IpcMessage Endpoint::nb_send(const IpcMessage& message) const {
    return ipc_send_syscall<Syscall::NBSend>(cap(), message);
}

inline IpcMessage Endpoint::call(const IpcMessage& message) const {
    return ipc_send_syscall<Syscall::Call>(cap(), message);
}

inline IpcMessage Endpoint::recv(ReplyObject reply) const {
    return ipc_receive_syscall<Syscall::Recv>(cap(), reply.cap());
}

inline IpcMessage Endpoint::nb_recv(ReplyObject reply) const {
    return ipc_receive_syscall<Syscall::NBRecv>(cap(), reply.cap());
}

inline IpcMessage Endpoint::reply_recv(ReplyObject reply, const IpcMessage& answer) const {
    return ipc_reply_recv_syscall(cap(), reply.cap(), answer);
}

inline IpcStatus Notification::signal() const { return ipc_notification_syscall<Syscall::Signal>(cap()).status; }

inline IpcMessage Notification::wait() const { return ipc_notification_syscall<Syscall::Wait>(cap()); }

inline IpcMessage Notification::poll() const { return ipc_notification_syscall<Syscall::Poll>(cap()); }

} // namespace tessera::user
