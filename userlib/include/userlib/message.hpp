#pragma once
// An invocation as userlib builds it (a label, words, extra capabilities) and the reply,
// plus the register convention of the Call system call (abi/syscalls.hpp): words 0..3 in
// a2..a5, the rest and the extra capabilities' pointers in the IPC buffer. The marshalling
// here is pure, so host tests check it; ipc.cpp does the ecall.
#include <abi/invocation_labels.hpp>
#include <abi/ipc_buffer.hpp>
#include <abi/syscalls.hpp>
#include <userlib/capability.hpp>
#include <userlib/error.hpp>

namespace tessera::user {

// The longest request userlib sends: TCB.WriteRegisters, 2 + 32 words.
inline constexpr usize kMaxRequestWords = 40;
// The longest reply userlib reads: TCB.ReadRegisters, 32 words.
inline constexpr usize kMaxReplyWords = 40;

struct Request {
    InvocationLabel label{};
    u64 words[kMaxRequestWords] = {};
    usize length = 0;
    CPtr extra[MessageInfo::kMaxExtraCaps] = {};
    usize extra_count = 0;

    Request() = default;
    explicit Request(InvocationLabel operation) : label(operation) {}

    // Appends a word; a request longer than kMaxRequestWords is a userlib bug.
    Request& word(u64 value);
    Request& cap(CPtr pointer);

    constexpr MessageInfo info() const {
        return MessageInfo{static_cast<u64>(label), length, extra_count, 0};
    }
};

struct Reply {
    MessageInfo info;
    u64 words[kMaxReplyWords] = {};
    usize length = 0; // words received (at most kMaxReplyWords are kept)
};

// The registers of a Call, a0..a5, and after it the IpcStatus the kernel puts in a6
// (InvalidCapability when a0 named an empty slot; a reply's label says so too).
struct CallRegisters {
    u64 a[6] = {};
    IpcStatus status = IpcStatus::Ok;
};

// Puts the request into registers and, for words 4.. and extra capabilities, the IPC
// buffer. A request that needs the buffer fails with NoIpcBuffer when there is none.
Result<CallRegisters> marshal_call(CPtr target, const Request& request, IpcBuffer* buffer);

// Reads the reply from the registers after the ecall (a1 info, a2..a5 words 0..3) and the
// IPC buffer; an error label becomes the decoded Error.
Result<void> unmarshal_reply(const CallRegisters& after, const IpcBuffer* buffer, Reply& reply);

// Invokes `target` with `request`: the Call system call on the target, a fake kernel in
// host tests (whichever defines it is linked in).
Result<void> invoke(CPtr target, const Request& request, Reply& reply);

// The same, for operations whose reply carries no words.
Result<void> invoke(CPtr target, const Request& request);

} // namespace tessera::user
