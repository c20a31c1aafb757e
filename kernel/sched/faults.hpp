#pragma once
// Faults as IPC (abi/faults.hpp, docs/faults.md): a faulting thread's message to its
// fault handler, the handler's answer, and what happens when there is no handler or the
// answer never comes.
#include <object/tcb.hpp>

namespace tessera {

enum class FaultRouting : u8 {
    NoHandler, // the TCB names no fault handler: the caller logs the fault and suspends
    Sent,      // sent as a Call to the handler (or queued for it): the thread waits
    Refused,   // the handler capability cannot take it (rights): logged, suspended
};

// The thread faulted (its registers are as the fault left them): sends `fault` to its
// handler.
FaultRouting raise_fault(Tcb& thread, const PendingFault& fault);

// Registers the IPC core's answer_fault and abandon_fault hooks. Called once at boot.
void install_fault_delivery();

} // namespace tessera
