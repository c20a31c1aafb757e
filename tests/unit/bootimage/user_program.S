// A freestanding riscv64 user program for elf_test.cpp: never run, only parsed. It has what
// a real root task has (code, read-only data, initialised data and bss) in the segments
// user_program.ld lays out at fixed addresses, so the test can check them exactly.

    .section .text._start, "ax", @progbits
    .globl _start
_start:
    la      a0, greeting
    la      a1, counter
    ld      a2, 0(a1)
    addi    a2, a2, 1
    sd      a2, 0(a1)
1:  j       1b

    .section .rodata, "a", @progbits
    .globl greeting
greeting:
    .asciz  "tessera user program"

    .section .data, "aw", @progbits
    .balign 8
    .globl counter
counter:
    .dword  0x7e55e7a5eed00001

    .section .bss, "aw", @nobits
    .balign 8
scratch:
    .zero   0x2000
