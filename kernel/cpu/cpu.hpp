#pragma once
// The per-CPU record. Every CPU has one from the first instruction of C++ onwards; the
// architecture keeps a pointer to it in a register (tp on riscv64) while the kernel runs.
#include <arch/cpu_local.hpp>
#include <kstd/types.hpp>
#include <sched/scheduler.hpp>
#include <time/tick_clock.hpp>

namespace tessera {

#ifndef TESSERA_MAX_CPUS
#error "the build defines TESSERA_MAX_CPUS"
#endif
inline constexpr usize kMaxCpus = TESSERA_MAX_CPUS;

struct Cpu {
    arch::CpuLocal arch; // first: the trap entry addresses it at offset 0
    u32 index = 0;       // dense kernel numbering, 0 is the boot CPU
    u64 hardware_id = 0; // hart id on riscv64, APIC id on x86_64
    TickClock clock;
    u64 spurious_interrupts = 0;
    bool panicking = false;
    bool idling = false; // in the idle loop: an interrupt may switch to a thread
    Scheduler scheduler;
};

static_assert(__builtin_offsetof(Cpu, arch) == 0);

extern Cpu cpus[kMaxCpus];

inline Cpu& this_cpu() { return *static_cast<Cpu*>(arch::current_cpu_record()); }

} // namespace tessera
