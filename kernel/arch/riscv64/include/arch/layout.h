/* Address-space layout and structure offsets shared by the riscv64 assembly and C++.
 * The C++ side static_asserts each offset against the real structure. */
#pragma once

/* Assembly has no integer suffixes; C++ needs them for 64-bit constants. */
#ifdef __ASSEMBLER__
#define U64_CONSTANT(x) x
#else
#define U64_CONSTANT(x) x##ull
#endif

/* Sv39: the upper half starts at 0xffffffc000000000. RAM is mapped there one to one
 * (virtual = DIRECT_MAP_BASE + physical) and the kernel image sits in the top 2 GiB. */
#define DIRECT_MAP_BASE U64_CONSTANT(0xffffffc000000000)
#define DIRECT_MAP_SIZE U64_CONSTANT(0x2000000000) /* 128 GiB of physical address space */
/* The registers of the devices the kernel touches itself (the interrupt controller; the
 * console UART, for the interrupt self-test) are mapped at KERNEL_DEVICE_BASE + physical,
 * for the first 64 GiB of physical addresses. */
#define KERNEL_DEVICE_BASE U64_CONSTANT(0xffffffe000000000)
#define KERNEL_DEVICE_WINDOW_SIZE U64_CONSTANT(0x1000000000)
#define KERNEL_VIRT_BASE U64_CONSTANT(0xffffffff80000000)
#define KERNEL_PHYS_BASE U64_CONSTANT(0x80000000)
#define KERNEL_VIRT_OFFSET (KERNEL_VIRT_BASE - KERNEL_PHYS_BASE)

#define PAGE_SIZE 4096
#define KERNEL_STACK_SIZE 16384
#define MAX_CPUS_LIMIT 64

/* TrapFrame: x0..x31 (x0's slot is unused), then the trap CSRs. */
#define FRAME_REG(n) ((n) * 8)
#define FRAME_SEPC 256
#define FRAME_SSTATUS 264
#define FRAME_SCAUSE 272
#define FRAME_STVAL 280
#define TRAP_FRAME_SIZE 288

/* CpuLocal, the architecture part at the start of each per-CPU record. */
#define CPU_SELF 0
#define CPU_KERNEL_STACK_TOP 8
#define CPU_STACK_LIMIT 16
#define CPU_EMERGENCY_STACK_TOP 24
#define CPU_SCRATCH0 32
#define CPU_SCRATCH1 40
#define CPU_SSCRATCH_CORRUPT 48
#define CPU_USER_FRAME 56
#define CPU_FP_OWNER 64
#define CPU_LOCAL_SIZE 72

#define SATP_MODE_SV39 (U64_CONSTANT(8) << 60)
#define PTE_V 0x1
#define PTE_R 0x2
#define PTE_W 0x4
#define PTE_X 0x8
#define PTE_U 0x10
#define PTE_G 0x20
#define PTE_A 0x40
#define PTE_D 0x80
