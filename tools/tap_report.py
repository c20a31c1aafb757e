"""TAP output for the QEMU test runners: one line per check, the plan at the end."""
import sys


class Tap:
    def __init__(self):
        self.count = 0
        self.failed = 0

    def point(self, ok, description, diagnostics=()):
        self.count += 1
        if not ok:
            self.failed += 1
        print(f"{'' if ok else 'not '}ok {self.count} - {description}")
        for line in diagnostics:
            print(f"# {line}")
        sys.stdout.flush()

    def finish(self):
        """Prints the plan; returns the process exit status."""
        print(f"1..{self.count}")
        return 1 if self.failed else 0
