#!/bin/sh
# Installs the Debian packages a Tessera target needs, and nothing when they are all present.
# Usage: tools/install-deps.sh [build|run|test|debug]...
set -eu

packages_build="clang lld llvm libclang-rt-14-dev meson ninja-build python3 xz-utils linux-source-6.1"
packages_run="qemu-system-misc opensbi"
packages_test="catch2 libfdt-dev device-tree-compiler cpio"
packages_debug="gdb-multiarch"

wanted=""
for purpose in "${@:-build}"; do
    case "$purpose" in
        build) wanted="$wanted $packages_build" ;;
        run)   wanted="$wanted $packages_build $packages_run" ;;
        test)  wanted="$wanted $packages_build $packages_run $packages_test" ;;
        debug) wanted="$wanted $packages_build $packages_run $packages_debug" ;;
        *) echo "install-deps: unknown purpose '$purpose'" >&2; exit 2 ;;
    esac
done

missing=""
for package in $wanted; do
    case " $missing " in *" $package "*) continue ;; esac
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing="$missing $package"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    as_root=""
elif command -v sudo >/dev/null 2>&1; then
    as_root="sudo"
else
    echo "install-deps: missing packages:$missing; run as root or install sudo" >&2
    exit 1
fi

echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$as_root apt-get update -qq
# shellcheck disable=SC2086
$as_root apt-get install -y -qq --no-install-recommends $missing >/dev/null
