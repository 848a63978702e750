#!/usr/bin/env bash
# Makes the build root the shipped prebuilds are compiled in: a minimal Debian 11 "bullseye"
# (glibc 2.31, GCC 10, CMake 3.18) from Debian's apt archive, so the binaries ask for no glibc
# symbol newer than that era's (the floor is checked by test/package/glibc-floor.test.ts).
# Debian 10 "buster", whose glibc 2.28 matches Node 20's own floor, is no longer served.
# Needs root (debootstrap, chroot). Usage: make-build-root.sh <dir>; a finished root is reused.
set -euo pipefail
root=${1:?usage: make-build-root.sh <dir>}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if [ -x "$root/usr/bin/g++" ] && [ -x "$root/usr/bin/cmake" ]; then
  echo "build root: $root (reused)"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "make-build-root.sh: debootstrap and chroot need root" >&2
  exit 1
fi
if ! command -v debootstrap >/dev/null; then
  apt-get install -y --no-install-recommends debootstrap >/dev/null
fi
rm -rf "$root"
mkdir -p "$(dirname "$root")"
start=$(date +%s)
debootstrap --variant=minbase --include=g++,make,cmake,binutils bullseye "$root.partial" "$mirror" >"$root.log" 2>&1 || {
  tail -n 20 "$root.log" >&2
  exit 1
}
mv "$root.partial" "$root"
echo "build root: $root made in $(($(date +%s) - start)) s ($(chroot "$root" g++ --version | head -n1))"
