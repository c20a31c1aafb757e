#!/usr/bin/env python3
"""Makes a deliberately broken device tree from a valid one, for the system suite.

Usage: make-broken-dtb.py <kind> <valid.dtb> <output.dtb>

The valid blob is one QEMU dumped (-machine virt,dumpdtb=...). Source-level breakage is
done on its dtc decompilation and compiled back; blob-level breakage edits the bytes.
"""
import re
import struct
import subprocess
import sys


def decompile(path):
    return subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", path], check=True,
                          capture_output=True, text=True).stdout


def compile_to(source, path):
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", path, "-"], input=source, check=True,
                   text=True)


def replace_memory_reg(source, new_reg):
    pattern = re.compile(r"(memory@[0-9a-f]+ \{[^}]*?)reg = <[^>]*>;", re.S)
    result, count = pattern.subn(lambda m: m.group(1) + new_reg, source, count=1)
    if count != 1:
        sys.exit("make-broken-dtb: no memory reg found")
    return result


def remove_memory_node(source):
    result, count = re.subn(r"\n\tmemory@[0-9a-f]+ \{.*?\n\t\};", "", source, count=1, flags=re.S)
    if count != 1:
        sys.exit("make-broken-dtb: no memory node found")
    return result


SOURCE_EDITS = {
    # 12 bytes where 2 address cells + 2 size cells make 16 per entry.
    "memory-reg-length": lambda s: replace_memory_reg(s, "reg = <0x00 0x80000000 0x00>;"),
    "memory-reg-empty": lambda s: replace_memory_reg(s, "reg;"),
    "memory-size-zero": lambda s: replace_memory_reg(s, "reg = <0x00 0x80000000 0x00 0x00>;"),
    "no-memory-node": remove_memory_node,
}


def move_node_last(source, name):
    """Moves a top-level node to the end of the root node, so that a cut at the end of the
    structure block damages only that node and spares those the firmware needs."""
    pattern = re.compile(r"\n\t" + re.escape(name) + r" \{.*?\n\t\};", re.S)
    match = pattern.search(source)
    if not match:
        sys.exit(f"make-broken-dtb: no node {name}")
    source = source[:match.start()] + source[match.end():]
    closing = source.rindex("\n};")
    return source[:closing] + match.group(0) + source[closing:]


FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END = 1, 2, 3, 4, 9


def cut_inside_last_node(blob):
    """Ends the structure block right after the first property of the last node, leaving
    that node and the root unclosed: a blob cut short in transit."""
    off_struct = struct.unpack(">I", blob[8:12])[0]
    offset = off_struct
    last_node_first_property_end = None
    after_begin = False
    while True:
        tag = struct.unpack(">I", blob[offset:offset + 4])[0]
        offset += 4
        if tag == FDT_BEGIN_NODE:
            name_end = blob.index(b"\0", offset)
            offset = (name_end + 1 + 3) & ~3
            after_begin = True
        elif tag == FDT_PROP:
            length = struct.unpack(">I", blob[offset:offset + 4])[0]
            offset = (offset + 8 + length + 3) & ~3
            if after_begin:
                last_node_first_property_end = offset
            after_begin = False
        elif tag in (FDT_END_NODE, FDT_NOP):
            after_begin = False
        elif tag == FDT_END:
            break
        else:
            sys.exit(f"make-broken-dtb: bad tag {tag}")
    cut = last_node_first_property_end
    blob[cut:cut + 4] = struct.pack(">I", FDT_END)
    blob[36:40] = struct.pack(">I", cut + 4 - off_struct)  # size_dt_struct
    return blob


def truncated_structure(valid, output):
    with_fw_cfg_last = move_node_last(decompile(valid), "fw-cfg@10100000")
    compile_to(with_fw_cfg_last, output)
    blob = bytearray(open(output, "rb").read())
    open(output, "wb").write(cut_inside_last_node(blob))


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    kind, valid, output = sys.argv[1:]
    if kind in SOURCE_EDITS:
        compile_to(SOURCE_EDITS[kind](decompile(valid)), output)
    elif kind == "truncated-structure":
        truncated_structure(valid, output)
    else:
        sys.exit(f"make-broken-dtb: unknown kind {kind}")


if __name__ == "__main__":
    main()
