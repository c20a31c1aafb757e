#!/usr/bin/env python3
"""Prints the closing line of `make test`: "N passed, N failed" over every suite.

Reads meson's testlog.json. A TAP test counts each of its test points; a test that
reported no points (it crashed, timed out, or is not TAP) counts once, by its result.
A TAP test whose points all passed but which still failed (a missing plan, a bad exit)
adds one failure, so nothing that failed is hidden by its passing points.
"""
import json
import re
import sys

POINT = re.compile(r"^(not )?ok\b")


def main():
    log = sys.argv[1] if len(sys.argv) > 1 else "build/meson-logs/testlog.json"
    passed = failed = 0
    failures = []
    with open(log, encoding="utf-8") as lines:
        for line in lines:
            test = json.loads(line)
            points = [POINT.match(l) for l in (test.get("stdout") or "").splitlines()]
            points = [p for p in points if p]
            test_ok = test["result"] in ("OK", "EXPECTEDFAIL")
            if points:
                bad = sum(1 for p in points if p.group(1))
                passed += len(points) - bad
                failed += bad
                if not test_ok and bad == 0:
                    failed += 1
                if bad or not test_ok:
                    failures.append(test["name"])
            elif test_ok:
                passed += 1
            else:
                failed += 1
                failures.append(test["name"])
    if failures:
        print("failing tests: " + ", ".join(failures))
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
