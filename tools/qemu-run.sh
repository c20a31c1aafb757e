#!/bin/sh
# Boots Tessera in QEMU with the serial console on this terminal:
#   tools/qemu-run.sh KERNEL [BOOT_IMAGE] [QEMU arguments...]
# BOOT_IMAGE (the CPIO archive with the root task, docs/boot-image.md) goes in as -initrd;
# an argument starting with '-' is QEMU's, so the boot image may be left out. Extra
# arguments go to QEMU after the defaults, so they win:
#   tools/qemu-run.sh build/kernel/tessera.elf build/roottask/boot-image.cpio -smp 4 -m 2G
# Quit QEMU with Ctrl-A X; the guest's power-off (halt) ends it too.
set -eu
kernel=$1
shift
initrd=
if [ $# -gt 0 ]; then
    case $1 in
    -*) ;;
    *) initrd=$1; shift ;;
    esac
fi
firmware=${OPENSBI_FIRMWARE:-/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin}
if [ -n "$initrd" ]; then
    exec qemu-system-riscv64 -machine virt -cpu rv64 -smp 2 -m 512M -nographic \
        -bios "$firmware" -kernel "$kernel" -initrd "$initrd" "$@"
fi
exec qemu-system-riscv64 -machine virt -cpu rv64 -smp 2 -m 512M -nographic \
    -bios "$firmware" -kernel "$kernel" "$@"
