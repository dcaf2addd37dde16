#!/usr/bin/env bash
# Copies SeaBIOS and its standard VGA BIOS from Debian's seabios package (pinned in packages.txt).
# Outputs: kernel-images/dist/bios.bin, kernel-images/dist/vgabios-stdvga.bin
set -euo pipefail
cd "$(dirname "$0")"
source ../debian-packages.sh

BUILD_DIR=../build/bios
DIST_DIR=../dist

unpack_packages packages.txt "$BUILD_DIR/deb" "$BUILD_DIR/unpacked"
mkdir -p "$DIST_DIR"
for file in bios.bin vgabios-stdvga.bin; do
  install -m 0644 "$BUILD_DIR/unpacked/usr/share/seabios/$file" "$DIST_DIR/$file"
done
echo "bios/build.sh: wrote $DIST_DIR/bios.bin $DIST_DIR/vgabios-stdvga.bin" >&2
