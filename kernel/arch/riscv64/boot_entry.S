/* Kernel entry from OpenSBI: a0 = hart id, a1 = physical address of the device tree,
 * S-mode, MMU off, running at the physical load address. This code only gets the kernel
 * to its linked (upper-half) address; everything else happens in C++. */
#include <arch/layout.h>

    .section .text.entry, "ax", @progbits
    .globl _start
_start:
    /* The cycle counter at the kernel's first instruction, for the boot-time benchmark
     * (under QEMU -icount it counts instructions); kept in s11 until riscv_boot_main. */
    rdcycle s11
    csrw sie, zero
    csrw sscratch, zero
    /* Only the first hart through may boot. OpenSBI's HSM keeps the others stopped, but
     * firmware that releases every hart at once must not get two kernels. */
    lla t0, boot_hart_claimed
    li t1, 1
    amoswap.w.aq t1, t1, (t0)
    bnez t1, park_hart

    lla t0, __bss_start
    lla t1, __bss_end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:
    /* Boot page table: gigapages for (1) the kernel at its physical address, so the
     * instruction after the satp write still fetches, (2) the kernel at its linked address,
     * (3) the direct-map window over the device tree, so discovery can read it. */
    lla s0, boot_root_table
    li s1, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | PTE_G

    lla t0, _start
    srli t1, t0, 30               /* gigapage number of the kernel's physical address */
    andi t2, t1, 511
    slli t3, t1, 28               /* PPN[2] in place: (pa >> 30) << 28 == (pa >> 12) << 10 */
    or t3, t3, s1
    slli t2, t2, 3
    add t2, s0, t2
    sd t3, 0(t2)

    li t4, KERNEL_VIRT_OFFSET
    add t2, t0, t4
    srli t2, t2, 30
    andi t2, t2, 511
    slli t2, t2, 3
    add t2, s0, t2
    sd t3, 0(t2)

    /* Two gigapages from the one holding the device tree; a blob cannot span more. A
     * pointer beyond the direct map is left unmapped for C++ to report. */
    srli t1, a1, 30
    li t2, (DIRECT_MAP_SIZE >> 30) - 1
    bgeu t1, t2, 3f
    slli t3, t1, 28
    or t3, t3, s1
    li t4, 256                    /* index of DIRECT_MAP_BASE in the root table */
    add t2, t1, t4
    slli t2, t2, 3
    add t2, s0, t2
    sd t3, 0(t2)
    li t4, 1 << 28
    add t3, t3, t4
    sd t3, 8(t2)
3:
    srli t0, s0, 12
    li t1, SATP_MODE_SV39
    or t0, t0, t1
    sfence.vma
    csrw satp, t0
    sfence.vma

    ld t0, high_entry_address
    jr t0

high_entry:
    /* Now at the linked address; pc-relative addressing yields upper-half addresses. */
    la sp, boot_cpu_stack_top
    la t0, trap_entry
    csrw stvec, t0
    mv tp, zero
    mv a2, s11
    call riscv_boot_main
    /* riscv_boot_main never returns; fall into the park loop if it ever does. */

park_hart:
    csrw sie, zero
1:  wfi
    j 1b

    .section .rodata.entry, "a", @progbits
    .balign 8
high_entry_address:
    .quad high_entry

    .section .data.entry, "aw", @progbits
    .balign 4
boot_hart_claimed:
    .word 0

    .section .bss.boot_page_table, "aw", @nobits
    .balign PAGE_SIZE
    .globl boot_root_table
boot_root_table:
    .skip PAGE_SIZE

/* Per-CPU kernel stacks, each above an unmapped guard page, and small emergency stacks
 * the trap entry switches to when a kernel stack has overflowed. */
    .section .bss.kernel_stacks, "aw", @nobits
    .balign PAGE_SIZE
    .globl kernel_stacks
kernel_stacks:
    .skip (PAGE_SIZE + KERNEL_STACK_SIZE) * TESSERA_MAX_CPUS
    .globl emergency_stacks
emergency_stacks:
    .skip PAGE_SIZE * TESSERA_MAX_CPUS

    .set boot_cpu_stack_top, kernel_stacks + PAGE_SIZE + KERNEL_STACK_SIZE
