#pragma once
// The reply words of CNode.Describe and TCB.GetStatus (abi/introspection.hpp).
#include <object/invocation.hpp>

namespace tessera {

struct Tcb;

// False when `reply` has no room for every word (the trap path always gives enough).
[[nodiscard]] bool describe_capability(const Capability& cap, ReplyWords& reply);
[[nodiscard]] bool describe_thread(const Tcb& thread, ReplyWords& reply);

} // namespace tessera
