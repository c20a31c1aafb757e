#pragma once
// The architecture's part of a per-CPU record: what trap_entry.S reads through tp.
#include <arch/layout.h>
#include <kstd/types.hpp>

namespace arch {

struct CpuLocal {
    void* self = nullptr;               // the enclosing per-CPU record
    u64 kernel_stack_top = 0;
    u64 stack_limit = 0;          // lowest address a kernel trap frame may occupy
    u64 emergency_stack_top = 0;
    u64 scratch0 = 0;             // t0 and t1, parked while the entry code picks a stack
    u64 scratch1 = 0;
    u64 sscratch_corrupt = 0;     // set by the entry code when sscratch broke its convention
    u64 user_frame = 0;           // where a trap from user mode saves the registers: the
                              // current thread's TrapFrame
    u64 fp_owner = 0;             // whose floating-point registers the hardware holds
                                  // (the FpContext they belong to), 0 if nobody's
};

static_assert(__builtin_offsetof(CpuLocal, self) == CPU_SELF);
static_assert(__builtin_offsetof(CpuLocal, kernel_stack_top) == CPU_KERNEL_STACK_TOP);
static_assert(__builtin_offsetof(CpuLocal, stack_limit) == CPU_STACK_LIMIT);
static_assert(__builtin_offsetof(CpuLocal, emergency_stack_top) == CPU_EMERGENCY_STACK_TOP);
static_assert(__builtin_offsetof(CpuLocal, scratch0) == CPU_SCRATCH0);
static_assert(__builtin_offsetof(CpuLocal, scratch1) == CPU_SCRATCH1);
static_assert(__builtin_offsetof(CpuLocal, sscratch_corrupt) == CPU_SSCRATCH_CORRUPT);
static_assert(__builtin_offsetof(CpuLocal, user_frame) == CPU_USER_FRAME);
static_assert(__builtin_offsetof(CpuLocal, fp_owner) == CPU_FP_OWNER);
static_assert(sizeof(CpuLocal) == CPU_LOCAL_SIZE);

// The per-CPU record of the running CPU; tp holds it whenever the kernel runs.
inline void* current_cpu_record() {
    void* record;
    asm("mv %0, tp" : "=r"(record));
    return record;
}

} // namespace arch
