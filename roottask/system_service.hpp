#pragma once
// The system service (userlib/services/system.hpp), served by the root task from its
// registry: the threads of every task, the interrupt handlers it gave out, the
// capabilities in a task's CSpace, and the power switch.
#include <userlib/ipc.hpp>

#include "supervisor.hpp"
#include "task_registry.hpp"

namespace tessera::roottask {

// Answers requests on `endpoint` forever, parking callers on `reply`. The supervised
// drivers' faults arrive here too (badge kFaultBadgeBit): each goes to the supervisor.
[[noreturn]] void serve_system(const TaskRegistry& registry, Supervisor& supervisor, user::Endpoint endpoint,
                               user::ReplyObject reply);

// One request's answer (exposed so the loop stays a loop).
user::IpcMessage answer_system_request(const TaskRegistry& registry, Supervisor& supervisor,
                                       const user::IpcMessage& request, IpcBuffer& buffer);

} // namespace tessera::roottask
