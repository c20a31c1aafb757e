#!/usr/bin/env python3
"""Runs the benchmarks (`make bench`, docs/performance.md) and prints their figures.

    tools/run-bench.py KERNEL BOOT_IMAGE [--firmware FW] [--timeout SECONDS]

Boots KERNEL with BOOT_IMAGE as the initrd and `bench` on the command line, on one hart
under QEMU -icount shift=0, where the cycle counter counts retired instructions: every
figure is an instruction count, the same on every machine and in every run. The root task
prints one JSON object per metric; this script adds kernel_text_bytes, read from KERNEL's
section headers, checks that every metric is there and well formed, and prints one JSON
object per line in a fixed order. The guest's other `bench:` lines (the counter overhead,
how often the IPC fastpath ran) go to stderr. Exits non-zero when QEMU fails or times out,
the guest reports a failed benchmark, or a metric is missing or malformed.
"""

import argparse
import json
import os
import struct
import subprocess
import sys

DEFAULT_FIRMWARE = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"

# Every metric of the issue, in the order they are printed. All but the last come from
# the guest.
GUEST_METRICS = [
    "ipc_call_same_as",
    "ipc_replyrecv_same_as",
    "ipc_call_cross_as",
    "ipc_replyrecv_cross_as",
    "ipc_call_len10_cross_as",
    "ipc_replyrecv_len10_cross_as",
    "ipc_send_low_to_high",
    "signal_to_higher_prio",
    "signal_to_lower_prio",
    "yield_thread",
    "fault_to_handler",
    "handler_to_faulter",
    "fault_roundtrip",
    "map_frame_4k",
    "unmap_frame_4k",
    "protect_frame_4k",
    "irq_to_driver",
    "irq_ack",
    "boot_to_roottask",
]
TEXT_METRIC = "kernel_text_bytes"
FIELDS = ["metric", "unit", "median", "min", "max", "samples"]

SHF_ALLOC = 0x2
SHF_EXECINSTR = 0x4


def qemu_command(kernel, boot_image, firmware):
    # The configuration the seL4 figures of the comparison were taken on (issue 8).
    return [
        "qemu-system-riscv64", "-machine", "virt", "-cpu", "rv64", "-m", "3072", "-smp", "1",
        "-icount", "shift=0", "-nographic", "-bios", firmware,
        "-kernel", kernel, "-initrd", boot_image, "-append", "bench",
    ]


def text_bytes(elf_path):
    """The bytes of the ELF's allocated executable sections (for the kernel: .text)."""
    with open(elf_path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError(f"{elf_path}: not a little-endian ELF64 file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    if shoff == 0 or shnum == 0:
        raise ValueError(f"{elf_path}: no section headers")
    total = 0
    for index in range(shnum):
        base = shoff + index * shentsize
        flags, = struct.unpack_from("<Q", data, base + 0x08)
        size, = struct.unpack_from("<Q", data, base + 0x20)
        if flags & SHF_ALLOC and flags & SHF_EXECINSTR:
            total += size
    return total


def check_figure(figure):
    """Why `figure` is not a well-formed metric line, or None."""
    if list(figure.keys()) != FIELDS:
        return f"fields {list(figure.keys())}, expected {FIELDS}"
    if figure["unit"] not in ("instructions", "bytes"):
        return f"unit {figure['unit']!r}"
    numbers = [figure[name] for name in ("median", "min", "max", "samples")]
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in numbers):
        return "median, min, max and samples must be non-negative integers"
    if not figure["min"] <= figure["median"] <= figure["max"]:
        return "not min <= median <= max"
    if figure["samples"] < 1:
        return "no samples"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kernel")
    parser.add_argument("boot_image")
    parser.add_argument("--firmware", default=os.environ.get("OPENSBI_FIRMWARE", DEFAULT_FIRMWARE))
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="seconds before QEMU is stopped (a hung benchmark)")
    args = parser.parse_args()

    problems = []
    command = qemu_command(args.kernel, args.boot_image, args.firmware)
    try:
        run = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             timeout=args.timeout, check=False)
        output = run.stdout.decode("utf-8", errors="replace")
        if run.returncode != 0:
            problems.append(f"QEMU exited with status {run.returncode}")
    except subprocess.TimeoutExpired as expired:
        output = (expired.stdout or b"").decode("utf-8", errors="replace")
        problems.append(f"QEMU did not finish within {args.timeout:g} s")
    except OSError as error:
        print(f"run-bench: cannot run {command[0]}: {error}", file=sys.stderr)
        return 1

    figures = {}
    finished = False
    for raw in output.splitlines():
        line = raw.strip("\r")
        if line.startswith('{"metric"'):
            try:
                figure = json.loads(line)
            except json.JSONDecodeError as error:
                problems.append(f"unreadable metric line {line!r}: {error}")
                continue
            name = figure.get("metric")
            why = check_figure(figure)
            if why is not None:
                problems.append(f"{name}: {why}")
            elif name in figures:
                problems.append(f"{name}: reported twice")
            elif name not in GUEST_METRICS:
                problems.append(f"{name}: not a metric of the benchmark set")
            else:
                figures[name] = figure
        elif line.startswith("bench:"):
            print(line, file=sys.stderr)
            if line.startswith("bench: done, "):
                finished = True
                if not line.startswith("bench: done, 0 failed"):
                    problems.append("the guest reports failed benchmarks")

    if not finished:
        problems.append("the guest never finished its benchmarks")
    try:
        size = text_bytes(args.kernel)
        figures[TEXT_METRIC] = {"metric": TEXT_METRIC, "unit": "bytes", "median": size, "min": size, "max": size,
                                "samples": 1}
    except (OSError, ValueError, struct.error) as error:
        problems.append(f"{TEXT_METRIC}: {error}")

    for name in GUEST_METRICS + [TEXT_METRIC]:
        if name in figures:
            print(json.dumps(figures[name]))
        else:
            problems.append(f"{name}: missing")

    if problems:
        for problem in problems:
            print(f"run-bench: {problem}", file=sys.stderr)
        print("run-bench: the last lines of the guest's output:", file=sys.stderr)
        for line in output.splitlines()[-25:]:
            print(f"  {line}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
