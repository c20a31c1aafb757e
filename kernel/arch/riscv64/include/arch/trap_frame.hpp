#pragma once
// The register frame saved on every trap. Its layout is shared with trap_entry.S through
// layout.h and checked here, field by field.
#include <arch/layout.h>
#include <kstd/types.hpp>

namespace arch {

struct TrapFrame {
    u64 x[32]; // x[0] is never written: x0 is hard-wired to zero
    u64 sepc;
    u64 sstatus;
    u64 scause;
    u64 stval;

    u64 program_counter() const { return sepc; }
    u64 stack_pointer() const { return x[2]; }
    u64 return_address() const { return x[1]; }
    bool is_interrupt() const { return (scause >> 63) != 0; }
    u64 cause_code() const { return scause & ~(u64{1} << 63); }

    // The system-call convention: number in a7, arguments and results in a0..a5.
    static constexpr unsigned kSyscallArguments = 6;
    u64 syscall_number() const { return x[17]; }
    u64 argument(unsigned index) const { return x[10 + index]; }
    void set_result(unsigned index, u64 value) { x[10 + index] = value; }
    void set_syscall_number(u64 number) { x[17] = number; }
    // Makes the thread execute its `ecall` again (the trap path had stepped past it).
    void restart_syscall() { sepc -= 4; }
    // What a fault handler's answer may change (abi/faults.hpp).
    void set_program_counter(u64 pc) { sepc = pc; }
    void set_stack_pointer(u64 sp) { x[2] = sp; }
    static constexpr unsigned kArgumentRegisters = 8; // a0..a7
    void set_argument(unsigned index, u64 value) { x[10 + index] = value; }
};

static_assert(__builtin_offsetof(TrapFrame, x) == FRAME_REG(0));
static_assert(__builtin_offsetof(TrapFrame, sepc) == FRAME_SEPC);
static_assert(__builtin_offsetof(TrapFrame, sstatus) == FRAME_SSTATUS);
static_assert(__builtin_offsetof(TrapFrame, scause) == FRAME_SCAUSE);
static_assert(__builtin_offsetof(TrapFrame, stval) == FRAME_STVAL);
static_assert(sizeof(TrapFrame) == TRAP_FRAME_SIZE);
static_assert(TRAP_FRAME_SIZE % 16 == 0, "the psABI keeps sp 16-byte aligned");

// The ABI names of x0..x31, for register dumps.
inline constexpr const char* kRegisterNames[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
    "a6",   "a7", "s2", "s3", "s4",  "s5",  "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

} // namespace arch
