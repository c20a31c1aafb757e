/* riscv64_register_round_trip(u64 after[32]): fills every register the trap entry must
 * preserve with a distinct pattern, takes a breakpoint trap, and stores what came back.
 * sp and tp are left alone: the trap entry relies on them, and the test checks them too
 * (by returning at all, and through this_cpu()). */
#include <arch/layout.h>

#define PATTERN(n) (0x0101010101010101 * (n) ^ 0x5a00000000000000)

    .section .text, "ax", @progbits
    .globl riscv64_register_round_trip
    .globl riscv64_round_trip_breakpoint
riscv64_register_round_trip:
    addi sp, sp, -(8 * 48)
    sd ra, 0(sp)
    sd gp, 8(sp)
    sd s0, 16(sp)
    sd s1, 24(sp)
    sd s2, 32(sp)
    sd s3, 40(sp)
    sd s4, 48(sp)
    sd s5, 56(sp)
    sd s6, 64(sp)
    sd s7, 72(sp)
    sd s8, 80(sp)
    sd s9, 88(sp)
    sd s10, 96(sp)
    sd s11, 104(sp)
    sd a0, 112(sp)

    .irp n, 1, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    li x\n, PATTERN(\n)
    .endr
riscv64_round_trip_breakpoint:
    ebreak
    .irp n, 1, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    sd x\n, (120 + 8 * \n)(sp)
    .endr

    ld a0, 112(sp)
    addi t0, sp, 120
    li t1, 32
1:  ld t2, 0(t0)
    sd t2, 0(a0)
    addi t0, t0, 8
    addi a0, a0, 8
    addi t1, t1, -1
    bnez t1, 1b

    ld ra, 0(sp)
    ld gp, 8(sp)
    ld s0, 16(sp)
    ld s1, 24(sp)
    ld s2, 32(sp)
    ld s3, 40(sp)
    ld s4, 48(sp)
    ld s5, 56(sp)
    ld s6, 64(sp)
    ld s7, 72(sp)
    ld s8, 80(sp)
    ld s9, 88(sp)
    ld s10, 96(sp)
    ld s11, 104(sp)
    addi sp, sp, 8 * 48
    ret

/* riscv64_save_kernel_context(ctx) returns 0; riscv64_resume_kernel_context(ctx) makes
 * that call return again, with 1. The user-mode self-test uses the pair to come back to
 * its own kernel frames after the scheduler has run its threads. ctx: ra, sp, s0..s11. */
    .globl riscv64_save_kernel_context
riscv64_save_kernel_context:
    sd ra, 0(a0)
    sd sp, 8(a0)
    sd s0, 16(a0)
    sd s1, 24(a0)
    sd s2, 32(a0)
    sd s3, 40(a0)
    sd s4, 48(a0)
    sd s5, 56(a0)
    sd s6, 64(a0)
    sd s7, 72(a0)
    sd s8, 80(a0)
    sd s9, 88(a0)
    sd s10, 96(a0)
    sd s11, 104(a0)
    li a0, 0
    ret

    .globl riscv64_resume_kernel_context
riscv64_resume_kernel_context:
    ld ra, 0(a0)
    ld sp, 8(a0)
    ld s0, 16(a0)
    ld s1, 24(a0)
    ld s2, 32(a0)
    ld s3, 40(a0)
    ld s4, 48(a0)
    ld s5, 56(a0)
    ld s6, 64(a0)
    ld s7, 72(a0)
    ld s8, 80(a0)
    ld s9, 88(a0)
    ld s10, 96(a0)
    ld s11, 104(a0)
    li a0, 1
    ret

/* The user program of the user-mode self-test, copied into a user frame: position-
 * independent, talking to the kernel only through system calls.
 *   a0: the thread's tag; a1 selects the behaviour:
 *   0  records (tag, 1), yields, records (tag, 2), suspends itself;
 *   1  loads from an unmapped address (a fault);
 *   2  records (tag, 1..3), busy for 60 ms of the timebase after each, then suspends:
 *      only the timer can take the CPU away from it. */
    .section .rodata.user_program, "a", @progbits
    .balign 4
    .globl riscv64_user_program_start
    .globl riscv64_user_program_end
riscv64_user_program_start:
    mv s0, a0
    li t0, 1
    beq a1, t0, 2f
    li t0, 2
    beq a1, t0, 3f
    li a7, 0x101
    mv a0, s0
    li a1, 1
    ecall
    li a7, 2
    ecall
    li a7, 0x101
    mv a0, s0
    li a1, 2
    ecall
    li a7, 0x102
    ecall
1:  j 1b
2:  li t0, 0x7fff000
    ld t1, 0(t0)
    j 1b
3:  li s1, 1
5:  li a7, 0x101
    mv a0, s0
    mv a1, s1
    ecall
    rdtime t1
    li t2, 600000
    add t1, t1, t2
6:  rdtime t3
    bltu t3, t1, 6b
    addi s1, s1, 1
    li t2, 4
    bltu s1, t2, 5b
    li a7, 0x102
    ecall
    j 1b
riscv64_user_program_end:
