#pragma once
// Operation labels: the label of the message-info word of a Call on a kernel object
// names the operation. Numbers are ABI; docs/invocations.md gives each one's arguments.
#include <kstd/types.hpp>

namespace tessera {

enum class InvocationLabel : u64 {
    UntypedRetype = 1,

    CNodeRevoke = 2,
    CNodeDelete = 3,
    CNodeCopy = 4,
    CNodeMint = 5,
    CNodeMove = 6,
    CNodeMutate = 7,
    CNodeRotate = 8,
    // words: index, depth of a badged Endpoint capability with every right: the senders
    // blocked with its badge leave the queue with IpcStatus::Cancelled
    CNodeCancelBadgedSends = 9,
    // words: index, depth            reply: CapabilityDescription words (abi/introspection.hpp)
    CNodeDescribe = 10,

    // words: count                       reply: the first `count` UserContext words
    TcbReadRegisters = 16,
    // words: resume, count, registers    (UserContext order)
    TcbWriteRegisters = 17,
    // words: suspend_source, resume_target, transfer_frame, transfer_integer
    // extra: the source TCB
    TcbCopyRegisters = 18,
    // words: fault_endpoint, cspace_root_data, vspace_root_data, ipc_buffer_address
    // extra: CSpace root, VSpace root, IPC-buffer frame (only when the address is not 0)
    TcbConfigure = 19,
    // words: priority                    extra: authority TCB (its MCP is the ceiling)
    TcbSetPriority = 20,
    // words: mcp                         extra: authority TCB
    TcbSetMCPriority = 21,
    // words: ipc_buffer_address          extra: the frame (only when the address is not 0)
    TcbSetIpcBuffer = 22,
    // words: fault_endpoint, cspace_root_data, vspace_root_data   extra: CSpace, VSpace
    TcbSetSpace = 23,
    TcbSuspend = 24,
    TcbResume = 25,
    // words: up to 15 bytes of name, packed little-endian into two words
    TcbSetName = 26,
    // extra: a Notification (read right) that then also ends this thread's Recv
    TcbBindNotification = 27,
    TcbUnbindNotification = 28,
    // reply: ThreadStatusWord words (abi/introspection.hpp)
    TcbGetStatus = 29,

    // words: vaddr, attributes            extra: the VSpace (a root PageTable with an ASID)
    PageTableMap = 32,
    PageTableUnmap = 33,

    // words: vaddr, rights, attributes    extra: the VSpace
    FrameMap = 40,
    // words: rights, attributes           (the mapping the capability records)
    FrameRemap = 41,
    FrameUnmap = 42,
    // reply: the frame's physical address
    FrameGetAddress = 43,

    // words: index, depth                 extra: a 4 KiB Untyped, the destination CNode root
    AsidControlMakePool = 48,
    // extra: the root PageTable that gets an ASID of the pool
    AsidPoolAssign = 49,

    // words: line, trigger (IrqTrigger), shared (0 or 1), index, depth of the destination
    // extra: the destination's CNode root                 creates an IrqHandler capability
    IrqControlGet = 56,
    // extra: a Notification with write right; its badge is what the driver's Wait returns
    IrqHandlerSetNotification = 57,
    // the driver has serviced its device; the line opens when every handler of it acked
    IrqHandlerAck = 58,
    // unbinds the notification
    IrqHandlerClear = 59,
    // words: priority (1..the controller's highest), the line's, shared by its handlers
    IrqHandlerSetPriority = 60,
    // reply: the IrqStatusWord words (abi/irq.hpp)
    IrqHandlerGetStatus = 61,
};

} // namespace tessera
