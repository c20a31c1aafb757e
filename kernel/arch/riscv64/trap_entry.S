/* Trap entry and exit. While the kernel runs, tp holds the per-CPU record and sscratch is
 * zero; while a user thread runs, sscratch holds the per-CPU record and tp is the user's.
 * The whole register frame is saved (on the kernel stack for a kernel trap, in the current
 * thread's TCB for a user trap), then one C++ function takes over. */
#include <arch/layout.h>

.macro save_gprs base
    /* x2 (sp), x5 and x6 (t0, t1) are parked elsewhere first and stored by the caller. */
    .irp n, 1, 3, 4, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    sd x\n, FRAME_REG(\n)(\base)
    .endr
.endm

/* Loads every register but x0 and `skip` (the base register, loaded last by the caller). */
.macro load_gprs base, skip
    .irp n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    .if \n != \skip
    ld x\n, FRAME_REG(\n)(\base)
    .endif
    .endr
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
    load_gprs sp, 2
    ld x2, FRAME_REG(2)(sp)
    sret

trap_from_user:
    /* tp is now the per-CPU record and sscratch the user's tp. The registers go to the
     * current thread's frame; the kernel then starts afresh at the top of its stack, since
     * nothing of an earlier kernel activation survives a return to user mode. */
    sd t0, CPU_SCRATCH0(tp)
    ld t0, CPU_USER_FRAME(tp)
    beqz t0, .Lno_user_frame
    save_gprs t0
    sd sp, FRAME_REG(2)(t0)
    sd t1, FRAME_REG(6)(t0)
    ld t1, CPU_SCRATCH0(tp)
    sd t1, FRAME_REG(5)(t0)
    csrrw t1, sscratch, zero
    sd t1, FRAME_REG(4)(t0)
    csrr t1, sepc
    sd t1, FRAME_SEPC(t0)
    csrr t1, sstatus
    sd t1, FRAME_SSTATUS(t0)
    csrr t1, scause
    sd t1, FRAME_SCAUSE(t0)
    csrr t1, stval
    sd t1, FRAME_STVAL(t0)
    ld sp, CPU_KERNEL_STACK_TOP(tp)
    mv a0, t0
    call riscv_user_trap
    /* riscv_user_trap never returns: it leaves through riscv_return_to_user or idles. */
1:  j 1b

.Lno_user_frame:
    /* sscratch was not zero, yet no thread is current: the kernel broke its own
     * convention. Take the kernel path (its stack check moves to the emergency stack if sp
     * is not a kernel stack) and let the C++ side report it. */
    csrw sscratch, zero
    li t0, 1
    sd t0, CPU_SSCRATCH_CORRUPT(tp)
    ld t0, CPU_SCRATCH0(tp)
    j .Lkernel_trap

/* riscv_return_to_user(TrapFrame* frame): loads every register from the frame and returns
 * to user mode. sstatus in the frame must say user mode (SPP clear). */
    .globl riscv_return_to_user
riscv_return_to_user:
    /* From the sscratch write on, a trap would take the user path while still in the
     * kernel; the boot path gets here with interrupts enabled (the timer runs already), so
     * they go off first. The frame's sstatus and sret turn them on again for the thread. */
    csrci sstatus, 2
    sd a0, CPU_USER_FRAME(tp)
    csrw sscratch, tp
    ld t0, FRAME_SEPC(a0)
    csrw sepc, t0
    ld t0, FRAME_SSTATUS(a0)
    csrw sstatus, t0
    load_gprs a0, 10
    ld x10, FRAME_REG(10)(a0)
    sret

/* riscv_idle_loop(stack top): the idle thread. Runs on a fresh kernel stack with
 * interrupts enabled, waiting; an interrupt that makes a thread runnable never returns. */
    .globl riscv_idle_loop
riscv_idle_loop:
    mv sp, a0
    csrsi sstatus, 2
1:  wfi
    j 1b

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
