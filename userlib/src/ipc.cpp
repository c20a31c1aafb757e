// invoke() on the target: marshal, ecall, unmarshal.
#include <userlib/message.hpp>
#include <userlib/syscalls.hpp>

namespace tessera::user {

Result<void> invoke(CPtr target, const Request& request, Reply& reply) {
    IpcBuffer* buffer = current_ipc_buffer();
    CallRegisters in = TRY(marshal_call(target, request, buffer));
    CallRegisters out = syscall_call(in);
    return unmarshal_reply(out, buffer, reply);
}

} // namespace tessera::user
