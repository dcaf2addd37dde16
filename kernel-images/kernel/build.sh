#!/usr/bin/env bash
# Builds the Slipway guest kernel: Debian's linux-source-6.1 (pinned in packages.txt), tinyconfig + options.txt,
# 32-bit x86, no modules, LZ4-compressed.
# Output: kernel-images/dist/bzImage (and build/kernel/config, the resolved .config).
# Reproducible: fixed build path, timestamp, user, host and version; the same inputs give the same bytes.
set -euo pipefail
cd "$(dirname "$0")"
source ../debian-packages.sh

read -r LINUX_SOURCE_PACKAGE _ LINUX_SOURCE_VERSION < <(packages_in packages.txt)
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}

KERNEL_DIR=$(pwd)
BUILD_DIR=$(cd .. && pwd)/build/kernel
DIST_DIR=$(cd .. && pwd)/dist
SOURCE_TREE=$BUILD_DIR/linux-source-6.1
OUTPUT_TREE=$BUILD_DIR/out

for tool in make gcc flex bison bc cpio lz4 xz perl; do
  command -v "$tool" >/dev/null || {
    echo "kernel/build.sh: missing host tool '$tool' (apt-get install flex bison bc libelf-dev libssl-dev cpio lz4)" >&2
    exit 1
  }
done

# The source tarball: the installed package if it is the pinned version, else the .deb fetched into build/.
source_tarball() {
  local installed
  installed=$(dpkg-query -W -f='${Version}' "$LINUX_SOURCE_PACKAGE" 2>/dev/null || true)
  if [ "$installed" = "$LINUX_SOURCE_VERSION" ] && [ -f /usr/src/linux-source-6.1.tar.xz ]; then
    echo /usr/src/linux-source-6.1.tar.xz
    return
  fi
  local unpacked=$BUILD_DIR/deb/$LINUX_SOURCE_PACKAGE-$LINUX_SOURCE_VERSION
  if [ ! -f "$unpacked/usr/src/linux-source-6.1.tar.xz" ]; then
    rm -rf "$unpacked"
    dpkg-deb -x "$(fetch_package "$LINUX_SOURCE_PACKAGE" all "$LINUX_SOURCE_VERSION" "$BUILD_DIR/deb")" "$unpacked"
  fi
  echo "$unpacked/usr/src/linux-source-6.1.tar.xz"
}

# Prints the options of one section of options.txt, one per line.
options_in() {
  awk -v section="$1:" '
    /^#/ || NF == 0 { next }
    /^[A-Z_]+:$/ { inside = ($0 == section); next }
    inside { for (i = 1; i <= NF; i++) print $i }
  ' "$KERNEL_DIR/options.txt"
}

kconfig() {
  "$SOURCE_TREE/scripts/config" --file "$OUTPUT_TREE/.config" "$@"
}

kmake() {
  make -C "$SOURCE_TREE" O="$OUTPUT_TREE" ARCH=i386 \
    KBUILD_BUILD_TIMESTAMP="$(date -u -d "@$SOURCE_DATE_EPOCH" '+%Y-%m-%d %H:%M:%S UTC')" \
    KBUILD_BUILD_USER=slipway KBUILD_BUILD_HOST=slipway KBUILD_BUILD_VERSION=1 \
    "$@"
}

tarball=$(source_tarball)
echo "kernel/build.sh: extracting $tarball" >&2
rm -rf "$SOURCE_TREE" "$OUTPUT_TREE"
mkdir -p "$BUILD_DIR" "$OUTPUT_TREE" "$DIST_DIR"
tar -xJf "$tarball" -C "$BUILD_DIR"

kmake tinyconfig >/dev/null
for option in $(options_in ENABLE); do kconfig -e "$option"; done
for option in $(options_in DISABLE); do kconfig -d "$option"; done
kmake olddefconfig >/dev/null
for option in $(options_in AFTER_ENABLE); do kconfig -e "$option"; done
for option in $(options_in AFTER_DISABLE); do kconfig -d "$option"; done
kmake olddefconfig >/dev/null

missing=0
for option in $(options_in REQUIRED); do
  if ! grep -qx "CONFIG_$option=y" "$OUTPUT_TREE/.config"; then
    echo "kernel/build.sh: CONFIG_$option is not =y after olddefconfig" >&2
    missing=1
  fi
done
[ "$missing" = 0 ] || exit 1

echo "kernel/build.sh: building bzImage" >&2
kmake -j"$(nproc)" bzImage >"$BUILD_DIR/build.log" 2>&1 || {
  tail -40 "$BUILD_DIR/build.log" >&2
  exit 1
}

cp "$OUTPUT_TREE/.config" "$BUILD_DIR/config"
cp "$OUTPUT_TREE/arch/x86/boot/bzImage" "$DIST_DIR/bzImage"
echo "kernel/build.sh: wrote $DIST_DIR/bzImage ($(stat -c %s "$DIST_DIR/bzImage") bytes)" >&2
