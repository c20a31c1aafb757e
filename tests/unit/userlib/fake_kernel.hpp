#pragma once
// userlib's invoke() on the host: the request goes through userlib's own marshalling into
// registers and an IPC buffer, is read back the way the kernel's Call path reads it, and
// is handled by the kernel's real invocation code (handle_invocation) over the capability
// tests' host kernel (tests/unit/capabilities/cap_fixture.hpp); the reply comes back the
// same way. So these tests check userlib against the kernel's decoders, not a copy of them.
#include "../capabilities/cap_fixture.hpp"

namespace userlib_test {

// While one exists, invoke() goes to its kernel. Root CNode in slot 2 (pointers are slot
// numbers), a 1 MiB RAM Untyped in slot 1.
class HostKernel {
public:
    explicit HostKernel(unsigned arena_bits = 20);
    ~HostKernel();
    HostKernel(const HostKernel&) = delete;
    HostKernel& operator=(const HostKernel&) = delete;

    captest::Kernel& kernel() { return kernel_; }
    tessera::IpcBuffer& ipc_buffer() { return buffer_; }
    // Calls that went through invoke() so far.
    unsigned calls() const { return calls_; }
    void count_call() { ++calls_; }

private:
    captest::Kernel kernel_;
    tessera::IpcBuffer buffer_{};
    unsigned calls_ = 0;
};

HostKernel& current_host_kernel();

} // namespace userlib_test
