#!/bin/sh
# Boots Tessera in QEMU with the serial console on this terminal. Extra arguments go to
# QEMU after the defaults, so they win: tools/qemu-run.sh build/kernel/tessera.elf -smp 4 -m 2G
# Quit QEMU with Ctrl-A X; the guest's power-off (halt) ends it too.
set -eu
kernel=$1
shift
firmware=${OPENSBI_FIRMWARE:-/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin}
exec qemu-system-riscv64 -machine virt -cpu rv64 -smp 2 -m 512M -nographic \
    -bios "$firmware" -kernel "$kernel" "$@"
