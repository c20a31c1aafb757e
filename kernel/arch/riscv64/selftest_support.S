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
