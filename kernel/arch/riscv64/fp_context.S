/* Saving and loading the floating-point registers. Assembled for rv64imafdc (the kernel
 * proper is built without F and D), with the soft-float ABI like the rest of the kernel:
 * only these two functions touch the FP registers. */
    .text
    .globl riscv_fp_save
riscv_fp_save:
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    fsd f\n, (\n * 8)(a0)
    .endr
    frcsr t0
    sd t0, 256(a0)
    ret

    .globl riscv_fp_load
riscv_fp_load:
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    fld f\n, (\n * 8)(a0)
    .endr
    ld t0, 256(a0)
    fscsr t0
    ret
