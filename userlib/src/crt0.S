/* The entry of every user program. The starter (the kernel for the root task, userlib's
 * loader for the others) sets pc, sp and a0 and nothing else; everything C++ needs is
 * set up by tessera_user_start. The loaders zero-fill bss (ELF semantics: memory past a
 * segment's file size), so it is not cleared again here. */
    .section .text._start, "ax", @progbits
    .global _start
    .type _start, @function
_start:
    andi sp, sp, -16       /* the psABI's stack alignment, whatever the starter chose */
    li ra, 0               /* backtraces end here */
    li s0, 0
    call tessera_user_start
1:  j 1b
    .size _start, . - _start
