#pragma once
// What a capability looks like when it is copied or given new data: the rules CNode.Copy,
// Mint, Mutate and Rotate apply, and the TCB applies to the copies it keeps of its CSpace,
// VSpace, IPC-buffer frame and fault endpoint.
#include <object/capability.hpp>

namespace tessera {

// A badge for an unbadged Endpoint or Notification capability (only when `preserve` is
// false: Mint), or a new guard for a CNode capability (`data` = guard << 6 | guard_bits).
// Other types ignore `data`. A null result means the change is not allowed.
Capability update_capability_data(bool preserve, u64 data, const Capability& cap);

// The capability a copy of `cap` is: null when the type cannot be copied (Untyped,
// IrqControl, Reply, Zombie, Null, and a PageTable that is neither mapped nor a root); a
// Frame copy is not mapped; a PageTable copy keeps the mapping or ASID it records.
Capability derive_capability(const Capability& cap);

} // namespace tessera
