#pragma once
// The numbers of IrqControl.Get and IrqHandler.GetStatus that user space sees (labels in
// abi/invocation_labels.hpp, the rules in docs/interrupts.md). The kernel and userlib
// share this header.
#include <abi/message_info.hpp>
#include <abi/syscalls.hpp>
#include <kstd/types.hpp>

namespace tessera {

// How the device signals its line: word 1 of IrqControl.Get.
enum class IrqTrigger : u64 {
    Edge = 0,
    LevelHigh = 1,
    LevelLow = 2,
};

inline constexpr u64 kIrqTriggerCount = 3;

// The reply words of IrqHandler.GetStatus, in this order.
enum class IrqStatusWord : u64 {
    Bound = 0,       // 1 when a notification is bound
    Masked = 1,      // 1 when the controller holds the line masked
    Delivered = 2,   // interrupts signalled to this handler since Get
    LastTime = 3,    // the timebase (riscv64: the `time` CSR) at the last one; 0 before any
    Line = 4,        // the controller line
    Shared = 5,      // 1 when the handler was asked for as shared
    AwaitingAck = 6, // 1 when this handler was signalled and has not acked since
};

inline constexpr u64 kIrqStatusWords = 7;

// The words the driver needs most come first: they travel in the message registers, so a
// thread without an IPC buffer still gets them.
static_assert(static_cast<u64>(IrqStatusWord::LastTime) < kMessageRegisterCount);
static_assert(static_cast<u64>(IrqStatusWord::AwaitingAck) + 1 == kIrqStatusWords);
static_assert(kIrqStatusWords <= MessageInfo::kMaxMessageLength);

} // namespace tessera
