/* Trap entry and exit. While the kernel runs, tp holds the per-CPU record and sscratch is
 * zero; while a user thread runs, sscratch holds the per-CPU record (the user-mode issue
 * adds that path). The whole register frame is saved, then one C++ function takes over. */
#include <arch/layout.h>

.macro save_gprs base
    sd x1, FRAME_REG(1)(\base)
    sd x3, FRAME_REG(3)(\base)
    sd x4, FRAME_REG(4)(\base)
    sd x7, FRAME_REG(7)(\base)
    sd x8, FRAME_REG(8)(\base)
    sd x9, FRAME_REG(9)(\base)
    sd x10, FRAME_REG(10)(\base)
    sd x11, FRAME_REG(11)(\base)
    sd x12, FRAME_REG(12)(\base)
    sd x13, FRAME_REG(13)(\base)
    sd x14, FRAME_REG(14)(\base)
    sd x15, FRAME_REG(15)(\base)
    sd x16, FRAME_REG(16)(\base)
    sd x17, FRAME_REG(17)(\base)
    sd x18, FRAME_REG(18)(\base)
    sd x19, FRAME_REG(19)(\base)
    sd x20, FRAME_REG(20)(\base)
    sd x21, FRAME_REG(21)(\base)
    sd x22, FRAME_REG(22)(\base)
    sd x23, FRAME_REG(23)(\base)
    sd x24, FRAME_REG(24)(\base)
    sd x25, FRAME_REG(25)(\base)
    sd x26, FRAME_REG(26)(\base)
    sd x27, FRAME_REG(27)(\base)
    sd x28, FRAME_REG(28)(\base)
    sd x29, FRAME_REG(29)(\base)
    sd x30, FRAME_REG(30)(\base)
    sd x31, FRAME_REG(31)(\base)
.endm

    .section .text.trap, "ax", @progbits
    .balign 4
    .globl trap_entry
trap_entry:
    csrrw tp, sscratch, tp
    bnez tp, trap_from_user
    /* From the kernel: sscratch now holds our tp; take it back and leave sscratch zero. */
    csrrw tp, sscratch, zero
.Lkernel_trap:
    sd t0, CPU_SCRATCH0(tp)
    sd t1, CPU_SCRATCH1(tp)
    /* A frame outside this CPU's kernel stack means the stack overflowed into its guard
     * page (or sp is corrupt): storing there would fault again on every attempt, so the
     * frame goes to the emergency stack and the C++ side reports it. */
    addi t0, sp, -TRAP_FRAME_SIZE
    ld t1, CPU_STACK_LIMIT(tp)
    bltu t0, t1, .Lbad_stack
    ld t1, CPU_KERNEL_STACK_TOP(tp)
    bleu sp, t1, 1f
.Lbad_stack:
    /* A corrupted sp anywhere else would fault the same way, so it takes this path too. */
    ld t0, CPU_EMERGENCY_STACK_TOP(tp)
    addi t0, t0, -TRAP_FRAME_SIZE
1:  sd sp, FRAME_REG(2)(t0)
    mv sp, t0
    save_gprs sp
    ld t0, CPU_SCRATCH0(tp)
    sd t0, FRAME_REG(5)(sp)
    ld t1, CPU_SCRATCH1(tp)
    sd t1, FRAME_REG(6)(sp)
    csrr t0, sepc
    sd t0, FRAME_SEPC(sp)
    csrr t0, sstatus
    sd t0, FRAME_SSTATUS(sp)
    csrr t0, scause
    sd t0, FRAME_SCAUSE(sp)
    csrr t0, stval
    sd t0, FRAME_STVAL(sp)

    mv a0, sp
    call riscv_kernel_trap

    /* Back to the interrupted kernel code, with whatever the handler left in the frame. */
    ld t0, FRAME_SEPC(sp)
    csrw sepc, t0
    ld t0, FRAME_SSTATUS(sp)
    csrw sstatus, t0
    ld x1, FRAME_REG(1)(sp)
    ld x3, FRAME_REG(3)(sp)
    ld x4, FRAME_REG(4)(sp)
    ld x5, FRAME_REG(5)(sp)
    ld x6, FRAME_REG(6)(sp)
    ld x7, FRAME_REG(7)(sp)
    ld x8, FRAME_REG(8)(sp)
    ld x9, FRAME_REG(9)(sp)
    ld x10, FRAME_REG(10)(sp)
    ld x11, FRAME_REG(11)(sp)
    ld x12, FRAME_REG(12)(sp)
    ld x13, FRAME_REG(13)(sp)
    ld x14, FRAME_REG(14)(sp)
    ld x15, FRAME_REG(15)(sp)
    ld x16, FRAME_REG(16)(sp)
    ld x17, FRAME_REG(17)(sp)
    ld x18, FRAME_REG(18)(sp)
    ld x19, FRAME_REG(19)(sp)
    ld x20, FRAME_REG(20)(sp)
    ld x21, FRAME_REG(21)(sp)
    ld x22, FRAME_REG(22)(sp)
    ld x23, FRAME_REG(23)(sp)
    ld x24, FRAME_REG(24)(sp)
    ld x25, FRAME_REG(25)(sp)
    ld x26, FRAME_REG(26)(sp)
    ld x27, FRAME_REG(27)(sp)
    ld x28, FRAME_REG(28)(sp)
    ld x29, FRAME_REG(29)(sp)
    ld x30, FRAME_REG(30)(sp)
    ld x31, FRAME_REG(31)(sp)
    ld x2, FRAME_REG(2)(sp)
    sret

trap_from_user:
    /* No user thread exists yet, so a non-zero sscratch means the kernel corrupted it.
     * Restore the convention, note the fault for the C++ side to report, and carry on. */
    csrrw tp, sscratch, zero
    sd t0, CPU_SCRATCH0(tp)
    li t0, 1
    sd t0, CPU_SSCRATCH_CORRUPT(tp)
    ld t0, CPU_SCRATCH0(tp)
    j .Lkernel_trap

/* Stores every register into the frame at a0, so a panic outside a trap can still print
 * a register dump. sepc holds the caller's return address. */
    .globl riscv_capture_registers
riscv_capture_registers:
    sd sp, FRAME_REG(2)(a0)
    sd t0, FRAME_REG(5)(a0)
    sd t1, FRAME_REG(6)(a0)
    save_gprs a0
    sd ra, FRAME_SEPC(a0)
    csrr t0, sstatus
    sd t0, FRAME_SSTATUS(a0)
    sd zero, FRAME_SCAUSE(a0)
    sd zero, FRAME_STVAL(a0)
    ld t0, FRAME_REG(5)(a0)
    ret
