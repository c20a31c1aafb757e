#!/usr/bin/env python3
"""Writes a boot-image-like CPIO archive with the real GNU cpio, for cpio_test.cpp.

usage: make_cpio_fixture.py CPIO FORMAT OUTPUT   (FORMAT: newc or crc)

The files cover what the reader must get right: names of every length modulo 4 (so every
amount of name padding), an empty file, sizes that are not multiples of 4, a directory,
a nested path and a symbolic link. Each file's byte i is (i * 7 + len(name)) % 251, where
name is the path in the archive; fixture_content() in bootimage_support.cpp makes the same.
"""
import os
import subprocess
import sys
import tempfile

# (path in the archive, kind, size or link target, mode); archive order is this order.
FILES = [
    ("roottask", "file", 1001, 0o755),
    ("empty", "file", 0, 0o644),
    ("a", "file", 3, 0o644),
    ("bc", "file", 4, 0o600),
    ("dir", "dir", None, 0o755),
    ("dir/nested.bin", "file", 4098, 0o644),
    ("link", "symlink", "roottask", 0o777),
]


def content(name, size):
    return bytes((i * 7 + len(name)) % 251 for i in range(size))


def main():
    cpio, archive_format, output = sys.argv[1:4]
    if archive_format not in ("newc", "crc"):
        sys.exit(f"unknown format {archive_format!r}")
    with tempfile.TemporaryDirectory() as root:
        for name, kind, detail, mode in FILES:
            path = os.path.join(root, name)
            if kind == "dir":
                os.mkdir(path)
            elif kind == "symlink":
                os.symlink(detail, path)
                continue  # a link's own mode is not settable on Linux; it is always 0777
            else:
                with open(path, "wb") as f:
                    f.write(content(name, detail))
            os.chmod(path, mode)
        names = "".join(name + "\n" for name, *_ in FILES).encode()
        with open(output, "wb") as out:
            subprocess.run([cpio, "--create", "--quiet", "--format=" + archive_format],
                           input=names, stdout=out, cwd=root, check=True)


if __name__ == "__main__":
    main()
