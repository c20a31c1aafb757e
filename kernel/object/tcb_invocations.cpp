// TCB invocations (placeholder until the decoders land).
#include <object/invocation.hpp>

namespace tessera {

kstd::Result<void, InvocationError> invoke_tcb(const Invocation&) {
    return kstd::fail(InvocationError::of(ErrorCode::IllegalOperation));
}

} // namespace tessera
