#!/usr/bin/env python3
"""Boots Tessera in QEMU, reads the serial console, and reports TAP for `meson test`.

Each case is one QEMU run. The kernel's own TAP lines (from `-append selftest`) are
relayed as test points, followed by the runner's checks on the console text: lines that
must or must not appear, and that the guest powered off by itself within the timeout.
The whole console transcript goes to stderr, which meson keeps in the test log.
"""
import argparse
import re
import subprocess
import sys
import time

from tap_report import Tap

KERNEL_TAP = re.compile(r"^(not )?ok \d+ - (.*)$")


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--qemu", required=True)
    parser.add_argument("--bios", required=True)
    parser.add_argument("--kernel", required=True)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before the guest is killed")
    parser.add_argument("--append", default="", help="kernel command line")
    parser.add_argument("--qemu-arg", action="append", default=[], help="extra QEMU argument (repeatable)")
    parser.add_argument("--expect", action="append", default=[], help="regex some console line must match")
    parser.add_argument("--forbid", action="append", default=[], help="regex no console line may match")
    parser.add_argument("--count", action="append", default=[],
                        help="REGEX=N: exactly N console lines must match REGEX")
    parser.add_argument("--kernel-tap", action="store_true", help="relay the kernel's TAP self-test lines")
    parser.add_argument("--expect-tests", type=int, default=0, help="minimum number of kernel self-tests")
    return parser.parse_args()


def run_guest(args):
    command = [args.qemu, "-machine", "virt", "-cpu", "rv64", "-smp", "2", "-m", "512M",
               "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot",
               "-bios", args.bios, "-kernel", args.kernel]
    if args.append:
        command += ["-append", args.append]
    command += args.qemu_arg
    print("# " + " ".join(command))
    started = time.monotonic()
    try:
        completed = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, timeout=args.timeout)
        output, timed_out, status = completed.stdout, False, completed.returncode
    except subprocess.TimeoutExpired as expired:
        output, timed_out, status = expired.stdout or b"", True, None
    elapsed = time.monotonic() - started
    text = output.decode("utf-8", errors="replace").replace("\r\n", "\n")
    sys.stderr.write(text)
    return text.splitlines(), timed_out, status, elapsed


def main():
    args = parse_arguments()
    lines, timed_out, status, elapsed = run_guest(args)
    tap = Tap()

    if args.kernel_tap:
        relayed = 0
        for index, line in enumerate(lines):
            match = KERNEL_TAP.match(line)
            if not match:
                continue
            relayed += 1
            notes = []
            # The kernel prints a test's diagnostics ("# ID: ...") before its result line.
            back = index - 1
            while back >= 0 and lines[back].startswith("# "):
                notes.insert(0, lines[back][2:])
                back -= 1
            tap.point(match.group(1) is None, "kernel: " + match.group(2), notes)
        tap.point(relayed >= max(args.expect_tests, 1),
                  f"the kernel ran at least {max(args.expect_tests, 1)} self-tests",
                  [f"it reported {relayed}"])

    for pattern in args.expect:
        regex = re.compile(pattern)
        tap.point(any(regex.search(line) for line in lines), f"console shows /{pattern}/")
    for pattern in args.forbid:
        regex = re.compile(pattern)
        hits = [line for line in lines if regex.search(line)]
        tap.point(not hits, f"console never shows /{pattern}/", hits[:3])
    for spec in args.count:
        pattern, _, wanted = spec.rpartition("=")
        regex = re.compile(pattern)
        hits = sum(1 for line in lines if regex.search(line))
        tap.point(hits == int(wanted), f"console shows /{pattern}/ exactly {wanted} time(s)", [f"seen {hits}"])

    tap.point(not timed_out and status == 0,
              f"the guest powered off by itself within {args.timeout:.0f} s (QEMU exit status 0)",
              [f"QEMU exit status {status}, {elapsed:.1f} s"] if not timed_out else ["killed at the timeout"])
    if tap.failed:
        print("# last console lines:")
        for line in lines[-15:]:
            print(f"#   {line}")
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
