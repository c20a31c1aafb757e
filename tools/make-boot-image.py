#!/usr/bin/env python3
"""Writes Tessera's boot image: a CPIO archive in the "newc" format (what `cpio -o -H newc`
writes), the file the kernel receives through QEMU's -initrd and reads with
kernel/bootimage/cpio.cpp.

    make-boot-image.py OUTPUT NAME=PATH [NAME=PATH ...]

Each NAME=PATH puts the file PATH into the archive as NAME (the kernel looks for "roottask";
the root task reads "manifest" and the files it names). Members are written in the order
given, as regular files with mode 0644 (0755 for executables), owner 0, time 0, so the same
inputs always give the same bytes.
"""
import os
import stat
import sys

MAGIC = b"070701"
TRAILER = "TRAILER!!!"


def pad4(length):
    return (4 - length % 4) % 4


def member(inode, name, mode, data):
    encoded = name.encode() + b"\0"
    fields = [inode, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(encoded), 0]
    header = MAGIC + b"".join(b"%08X" % field for field in fields)
    out = header + encoded + b"\0" * pad4(len(header) + len(encoded))
    return out + data + b"\0" * pad4(len(data))


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    output, specs = argv[1], argv[2:]
    archive = bytearray()
    seen = set()
    for inode, spec in enumerate(specs, start=1):
        name, separator, path = spec.partition("=")
        if not separator or not name or not path:
            sys.stderr.write(f"make-boot-image: '{spec}' is not NAME=PATH\n")
            return 2
        if name in seen or name == TRAILER:
            sys.stderr.write(f"make-boot-image: '{name}' given twice or reserved\n")
            return 2
        seen.add(name)
        with open(path, "rb") as file:
            data = file.read()
        executable = os.stat(path).st_mode & stat.S_IXUSR
        mode = stat.S_IFREG | (0o755 if executable else 0o644)
        archive += member(inode, name, mode, data)
    archive += member(0, TRAILER, 0, b"")
    archive += b"\0" * ((512 - len(archive) % 512) % 512)
    with open(output, "wb") as file:
        file.write(archive)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
