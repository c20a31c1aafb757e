#!/usr/bin/env python3
"""Boots Tessera with its drivers and shell, types at the serial console, and reports TAP.

Unlike qemu-test-runner.py, which only reads, this runner talks to the shell through
QEMU's stdio serial port: what it writes arrives at the UART, and the user-level UART
driver hands it to the shell. Each scenario is one QEMU run:

  shell      every shell command once, with the output each must give
  loopback   `cat` gets tens of KiB at the fastest rate QEMU takes them, and every byte
             must come back, in order
  rtc-alarm  `sleep` waits on the RTC's alarm interrupt; `irq` shows the RTC's line counted
  block      a disk image of random bytes: `blk read` must show its sectors, `blk write`
             must reach the image file
  no-disk    without a disk the block commands say so and nothing else breaks
  supervision  `fault uart` and `fault rtc`: the root task restarts each driver, and the
             console and the clock go on working

The console transcript goes to stderr, which meson keeps in the test log.
"""
import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time

from tap_report import Tap

PROMPT = "tessera> "


class Guest:
    """QEMU with the serial console on pipes; output is collected by a reader thread."""

    def __init__(self, args, extra=()):
        command = [args.qemu, "-machine", "virt", "-cpu", "rv64", "-smp", "2", "-m", "512M",
                   "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot",
                   "-bios", args.bios, "-kernel", args.kernel, "-initrd", args.initrd]
        if args.append:
            command += ["-append", args.append]
        command += list(extra)
        print("# " + " ".join(command))
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT)
        self.output = bytearray()
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.position = 0  # where the next expect() starts looking

    def _read(self):
        while True:
            chunk = self.process.stdout.read1(65536)
            if not chunk:
                return
            with self.lock:
                self.output += chunk

    def text(self, start=0):
        with self.lock:
            raw = bytes(self.output)
        return raw.decode("utf-8", errors="replace").replace("\r\n", "\n")[start:]

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def expect(self, pattern, timeout=20.0, flags=0):
        """Waits until `pattern` appears after the last match; returns the match or None.
        Positions count characters of the normalised transcript (CR LF read as LF)."""
        regex = re.compile(pattern, re.MULTILINE | flags)
        deadline = time.monotonic() + timeout
        while True:
            text = self.text()
            match = regex.search(text, self.position)
            if match:
                self.position = match.end()
                return match
            if time.monotonic() > deadline or self.process.poll() is not None:
                return None
            time.sleep(0.02)

    def appears(self, pattern, timeout=20.0):
        """Waits until `pattern` is anywhere in the transcript, without moving the position:
        for the root task's log lines, which come between other output in no fixed place."""
        regex = re.compile(pattern, re.MULTILINE)
        deadline = time.monotonic() + timeout
        while regex.search(self.text()) is None:
            if time.monotonic() > deadline or self.process.poll() is not None:
                return False
            time.sleep(0.02)
        return True

    def command(self, line, timeout=20.0):
        """Types `line` and Enter at the prompt; returns the output up to the next prompt."""
        self.send(line + "\r")
        match = self.expect(re.escape(line) + r"\n(.*?)" + re.escape(PROMPT), timeout, re.DOTALL)
        return match.group(1) if match else None

    def finish(self, timeout=20.0):
        try:
            status = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            status = None
        self.reader.join(timeout=5)
        sys.stderr.write(self.text())
        return status


def boot_to_prompt(args, tap, extra=()):
    """A guest at the shell's prompt, or None (reported) when the prompt never came."""
    guest = Guest(args, extra)
    reached = guest.expect(re.escape(PROMPT), args.timeout) is not None
    tap.point(reached, "the shell's prompt appears")
    if not reached:
        guest.finish(1)
        return None
    return guest


def check_output(tap, guest, line, pattern, description, timeout=20.0):
    output = guest.command(line, timeout)
    ok = output is not None and re.search(pattern, output, re.MULTILINE) is not None
    tap.point(ok, description, [f"`{line}` gave: {output!r}"] if not ok else [])
    return output


def halt(tap, guest):
    guest.send("halt\r")
    status = guest.finish()
    tap.point(status == 0, "halt powers the machine off and QEMU exits with status 0", [f"status {status}"])


def scenario_shell(args, tap):
    guest = boot_to_prompt(args, tap)
    if guest is None:
        return
    check_output(tap, guest, "help", r"^echo .*\n(.*\n)*halt ", "help lists the commands")
    check_output(tap, guest, "echo hello, world", r"^hello, world$", "echo prints its text")
    check_output(tap, guest, "nonsense", r"unknown command: nonsense", "an unknown command is named")
    ps = check_output(tap, guest, "ps", r"uart.*\n(.*\n)*.*shell", "ps lists the driver tasks and the shell")
    for task in ("roottask", "uart", "rtc", "shell"):
        tap.point(ps is not None and re.search(rf"^\s*{task}\b", ps, re.MULTILINE) is not None,
                  f"ps shows the task {task}")
    irq = check_output(tap, guest, "irq", r"\b10\b.*uart", "irq shows line 10 owned by the UART driver")
    check_output(tap, guest, "caps uart", r"IrqHandler", "caps uart shows the driver's IrqHandler")
    check_output(tap, guest, "caps uart", r"Frame", "caps uart shows its device frame")
    check_output(tap, guest, "caps nobody", r"nobody", "caps of an unknown task says so")
    date = check_output(tap, guest, "date", r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$", "date prints the RTC's time")
    if date:
        year = int(date.strip()[:4])
        tap.point(abs(year - time.gmtime().tm_year) <= 1, "date is this year (the RTC follows the host clock)",
                  [f"date said {date!r}"])
    # Backspace (DEL) erases: the terminal sees "X", then "\b \b", and the command "echo abc".
    guest.send("echo abcX\x7f\r")
    erased = guest.expect(r"X\x08 \x08\n(.*?)\n" + re.escape(PROMPT), 20, re.DOTALL)
    tap.point(erased is not None and erased.group(1) == "abc", "backspace (DEL) erases the last character",
              [] if erased else ["no echo of the erased line"])
    del irq
    halt(tap, guest)


def scenario_loopback(args, tap):
    guest = boot_to_prompt(args, tap)
    if guest is None:
        return
    guest.send("cat\r")
    tap.point(guest.expect(r"cat\n", 10) is not None, "cat starts")
    time.sleep(0.5)
    rng = random.Random(args.seed)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;!?-_=+"
    lines = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 120))) for _ in range(args.loopback_lines)]
    data = "\n".join(lines) + "\n"
    start = guest.position
    started = time.monotonic()
    # One write: QEMU takes bytes only as fast as the UART's FIFO has room, so this is the
    # fastest rate it delivers them.
    guest.send(data)
    deadline = started + args.timeout
    while len(guest.text(start)) < len(data) and time.monotonic() < deadline and guest.process.poll() is None:
        time.sleep(0.05)
    elapsed = time.monotonic() - started
    echoed = guest.text(start)
    arrived = len(echoed) >= len(data)
    guest.position = start + len(echoed)
    expected = data
    tap.point(arrived, f"all {len(data)} bytes came back", [f"after {elapsed:.1f} s, {len(echoed)} bytes"])
    ok = echoed.startswith(expected)
    time.sleep(0.5)  # anything beyond the data would be a duplicate
    echoed = guest.text(start)
    guest.position = start + len(echoed)
    notes = []
    if not ok:
        for index, (a, b) in enumerate(zip(echoed, expected)):
            if a != b:
                notes = [f"first difference at byte {index}: got {echoed[index:index + 40]!r}",
                         f"expected {expected[index:index + 40]!r}"]
                break
        else:
            notes = [f"got {len(echoed)} bytes, expected {len(expected)}"]
    tap.point(ok and len(echoed) == len(expected), "every byte came back in order, none lost or duplicated", notes)
    print(f"# {len(data)} bytes in {elapsed:.2f} s")
    guest.send(b"\x04")
    tap.point(guest.expect(re.escape(PROMPT), 10) is not None, "Ctrl-D ends cat and the prompt returns")
    halt(tap, guest)


def scenario_rtc_alarm(args, tap):
    guest = boot_to_prompt(args, tap)
    if guest is None:
        return
    before = guest.command("irq")
    started = time.monotonic()
    slept = check_output(tap, guest, "sleep 1", r"slept \d+ ms", "sleep 1 returns after the RTC alarm")
    elapsed = time.monotonic() - started
    tap.point(elapsed >= 0.9, "sleep 1 took at least 0.9 s of real time", [f"{elapsed:.2f} s"])
    if slept:
        ms = int(re.search(r"slept (\d+) ms", slept).group(1))
        tap.point(1000 <= ms < 3000, "the clock measured the sleep as 1..3 s", [f"{ms} ms"])
    after = guest.command("irq")

    def rtc_count(listing):
        if listing is None:
            return None
        for line in listing.splitlines():
            if re.search(r"\brtc\b", line):
                numbers = [int(n) for n in re.findall(r"\b\d+\b", line)]
                return numbers[1] if len(numbers) > 1 else None
        return None

    a, b = rtc_count(before), rtc_count(after)
    tap.point(a is not None and b is not None and b > a, "the RTC's interrupt count grew",
              [f"before {before!r}", f"after {after!r}"])
    halt(tap, guest)


def scenario_block(args, tap):
    sectors = 256
    rng = random.Random(args.seed)
    image = bytearray(rng.getrandbits(8) for _ in range(sectors * 512))
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "disk.img")
        with open(path, "wb") as f:
            f.write(image)
        extra = ["-drive", f"file={path},if=none,format=raw,id=disk0", "-device", "virtio-blk-device,drive=disk0"]
        if args.modern_virtio:
            extra += ["-global", "virtio-mmio.force-legacy=false"]
        guest = boot_to_prompt(args, tap, extra)
        if guest is None:
            return
        check_output(tap, guest, "blk info", rf"\b{sectors}\b", f"blk info reports {sectors} sectors")
        for sector in (0, 1, rng.randrange(2, sectors - 1), sectors - 1):
            dump = guest.command(f"blk read {sector}")
            got = parse_hex_dump(dump)
            want = bytes(image[sector * 512:(sector + 1) * 512])
            tap.point(got == want, f"blk read {sector} shows the image's bytes",
                      [] if got == want else [f"dump: {dump!r}"[:300]])
        check_output(tap, guest, f"blk read {sectors}", r"past the end", "a sector past the end is refused")
        text = "written by the shell " + "".join(rng.choice("abcdef") for _ in range(16))
        target = rng.randrange(0, sectors)
        check_output(tap, guest, f"blk write {target} {text}", r".*", f"blk write {target} answers")
        readback = parse_hex_dump(guest.command(f"blk read {target}"))
        want = text.encode().ljust(512, b"\0")
        tap.point(readback == want, "the written sector reads back")
        # A restarted driver sets the device up afresh, with new DMA pages.
        check_output(tap, guest, "fault virtio-blk", r"executed an illegal instruction", "fault virtio-blk is accepted")
        tap.point(guest.appears(r"roottask: virtio-blk restarted"), "the root task restarts virtio-blk")
        again = parse_hex_dump(guest.command(f"blk read {target}"))
        tap.point(again == want, "the restarted driver reads the sector back")
        halt(tap, guest)
        with open(path, "rb") as f:
            after = f.read()
        tap.point(after[target * 512:(target + 1) * 512] == want, "the write reached the image file")
        untouched = after[:target * 512] == image[:target * 512] and after[(target + 1) * 512:] == image[(target + 1) * 512:]
        tap.point(untouched, "no other sector of the image changed")


def parse_hex_dump(dump):
    """The bytes of a `blk read` dump: lines of an offset, 16 hex bytes, and ASCII."""
    if dump is None:
        return None
    data = bytearray()
    for line in dump.splitlines():
        match = re.match(r"^\s*[0-9a-f]+:?\s+((?:[0-9a-f]{2}\s+){1,16})", line)
        if match:
            data += bytes(int(h, 16) for h in match.group(1).split())
    return bytes(data)


def scenario_no_disk(args, tap):
    guest = boot_to_prompt(args, tap)
    if guest is None:
        return
    check_output(tap, guest, "blk read 0", r"no disk", "blk read without a disk says there is none")
    check_output(tap, guest, "echo still here", r"^still here$", "the shell goes on")
    halt(tap, guest)


def scenario_supervision(args, tap):
    guest = boot_to_prompt(args, tap)
    if guest is None:
        return
    # After each fault the test waits for the restart's log line before typing on: the root
    # task prints it through the kernel's output, which would otherwise land anywhere in
    # the echo of the next command line.
    check_output(tap, guest, "fault uart", r"uart executed an illegal instruction", "fault uart is accepted")
    restarted = guest.appears(r"roottask: uart restarted \(1 restarts\)")
    tap.point(restarted, "the root task restarts the UART driver")
    check_output(tap, guest, "echo still here", r"^still here$", "the console works after the restart")
    check_output(tap, guest, "ps", r"^uart\s+uart\s+200\s+\w+\s+1$", "ps shows one restart of uart")
    irq = check_output(tap, guest, "irq", r"^\s*10 uart\s+\d+ no ", "the UART's line is bound and unmasked")
    check_output(tap, guest, "fault rtc", r"rtc executed an illegal instruction", "fault rtc is accepted")
    tap.point(guest.appears(r"roottask: rtc restarted \(1 restarts\)"), "the root task restarts the RTC driver")
    check_output(tap, guest, "date", r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$", "the clock answers after its restart")
    check_output(tap, guest, "sleep 1", r"slept \d+ ms", "the restarted RTC driver's alarm interrupt still comes")
    check_output(tap, guest, "fault shell", r"not a supervised task", "only drivers are supervised")
    check_output(tap, guest, "fault uart", r"executed an illegal instruction", "a second fault uart is accepted")
    tap.point(guest.appears(r"roottask: uart restarted \(2 restarts\)"), "the root task restarts the UART driver again")
    check_output(tap, guest, "ps", r"^uart\s+uart\s+200\s+\w+\s+2$", "ps shows two restarts of uart")
    # Restarts must not use up the root task's resources (each instance's slots and memory
    # are its driver's own, reused): far more restarts than one instance's worth of slots
    # would allow if they leaked.
    refused = [n for n in range(args.restarts)
               if guest.command("fault rtc") is None or not guest.appears(rf"roottask: rtc restarted \({n + 2} restarts\)")]
    tap.point(not refused, f"{args.restarts} more restarts of rtc are accepted", [f"failed at {refused[:3]}"] if refused else [])
    check_output(tap, guest, "ps", rf"^rtc\s+rtc\s+190\s+\w+\s+{args.restarts + 1}$",
                 f"ps counts {args.restarts + 1} restarts of rtc")
    check_output(tap, guest, "date", r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$", "the clock still answers")
    del irq
    halt(tap, guest)


SCENARIOS = {
    "shell": scenario_shell,
    "loopback": scenario_loopback,
    "rtc-alarm": scenario_rtc_alarm,
    "block": scenario_block,
    "no-disk": scenario_no_disk,
    "supervision": scenario_supervision,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--qemu", required=True)
    parser.add_argument("--bios", required=True)
    parser.add_argument("--kernel", required=True)
    parser.add_argument("--initrd", required=True)
    parser.add_argument("--append", default="")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds for the boot and for each long step")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random, printed)")
    parser.add_argument("--loopback-lines", type=int, default=1000)
    parser.add_argument("--modern-virtio", action="store_true", help="virtio-mmio version 2 instead of legacy")
    parser.add_argument("--restarts", type=int, default=150, help="supervision: restarts of the RTC driver in a row")
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    args = parser.parse_args()
    if args.seed is None:
        args.seed = random.randrange(1 << 32)
    print(f"# seed {args.seed}")
    tap = Tap()
    SCENARIOS[args.scenario](args, tap)
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
