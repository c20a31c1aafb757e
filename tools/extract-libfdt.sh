#!/bin/sh
# Puts the upstream libfdt sources into a build directory, without upstream's
# libfdt_env.h: that header is the library's porting hook, and the kernel supplies its own
# (kernel/libfdt/include/libfdt_env.h). The sources themselves are not changed.
# Usage: extract-libfdt.sh tarball <linux-source.tar.xz> <output directory>
#        extract-libfdt.sh directory <libfdt source directory> <output directory>
set -eu
kind=$1
source=$2
output=$3
[ -f "$output/.extracted" ] && exit 0
mkdir -p "$output"
case "$kind" in
    tarball)
        if [ ! -f "$source" ]; then
            echo "extract-libfdt: $source not found; install linux-source-6.1 (tools/install-deps.sh) or configure with -Dlibfdt_source=<dir>" >&2
            exit 1
        fi
        tar -xJf "$source" -C "$output" --strip-components=4 --wildcards '*/scripts/dtc/libfdt/*'
        ;;
    directory)
        cp "$source"/*.c "$source"/*.h "$output"/
        ;;
    *) echo "extract-libfdt: unknown kind $kind" >&2; exit 2 ;;
esac
[ -f "$output/libfdt.h" ] || { echo "extract-libfdt: no libfdt sources in $source" >&2; exit 1; }
rm -f "$output/libfdt_env.h"
touch "$output/.extracted"
