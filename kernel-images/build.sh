#!/usr/bin/env bash
# Builds every guest artifact into kernel-images/dist/ and describes them in dist/MANIFEST:
#   bios.bin, vgabios-stdvga.bin (bios/), initrd.cpio (rootfs/, with the agent from agent/ and
#   curl from curl/),
#   bzImage (kernel/; skipped when its inputs are unchanged, see the kernel-inputs line),
#   disk-template.gz (disk/: the empty ext4 of the Docker host's disk).
# Two runs give byte-identical dist/ files. Set FORCE_KERNEL=1 to rebuild the kernel anyway.
set -euo pipefail
cd "$(dirname "$0")"
source debian-packages.sh

export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
DIST_DIR=dist
MANIFEST=$DIST_DIR/MANIFEST
AGENT_BINARY=${SLIPWAY_AGENT_BINARY:-agent/out/slipway-agent}

seconds_since() { echo $((SECONDS - $1))s; }

# Everything the bzImage depends on: the recipe, the pinned source and the compiler.
kernel_inputs_hash() {
  {
    cat kernel/build.sh kernel/options.txt kernel/packages.txt
    gcc --version | head -n 1
    echo "SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH"
  } | sha256sum | cut -d' ' -f1
}

kernel_is_current() {
  [ -z "${FORCE_KERNEL:-}" ] && [ -f "$DIST_DIR/bzImage" ] && [ -f "$MANIFEST" ] &&
    grep -qx "stamp kernel-inputs $(kernel_inputs_hash)" "$MANIFEST" &&
    grep -qx "artifact bzImage $(sha256sum "$DIST_DIR/bzImage" | cut -d' ' -f1) .*" "$MANIFEST"
}

# The agent is built without a .comment section (-fno-ident): then it is the host gcc -m32.
agent_compiler() {
  readelf -p .comment "$AGENT_BINARY" 2>/dev/null | sed -n 's/^ *\[ *[0-9a-f]*\] *//p' | head -n 1 | grep . ||
    echo "$(gcc --version | head -n 1) -m32"
}

write_manifest() {
  local file name arch version
  echo "# Slipway guest artifacts, written by kernel-images/build.sh. Lines:"
  echo "#   artifact FILE SHA256 SIZE | deb NAME ARCH VERSION (component) | tool WHAT VERSION | stamp NAME HASH"
  for file in bios.bin vgabios-stdvga.bin bzImage initrd.cpio disk-template.gz; do
    echo "artifact $file $(sha256sum "$DIST_DIR/$file" | cut -d' ' -f1) $(stat -c %s "$DIST_DIR/$file")"
  done
  for component in bios kernel rootfs; do
    while read -r name arch version; do
      echo "deb $name $arch $version ($component)"
    done < <(packages_in "$component/packages.txt")
  done
  # The agent links the host's static i386 glibc.
  dpkg-query -W -f='deb ${Package} ${Architecture} ${Version} (agent)\n' libc6-dev-i386 2>/dev/null || true
  echo "tool kernel-gcc $(gcc --version | head -n 1)"
  echo "tool agent-gcc $(agent_compiler)"
  echo "tool agent-sha256 $(sha256sum "$AGENT_BINARY" | cut -d' ' -f1)"
  echo "tool curl-sha256 $(sha256sum curl/out/curl | cut -d' ' -f1)"
  echo "tool disk-mke2fs $(mke2fs -V 2>&1 | head -n 1)"
  echo "tool source-date-epoch $SOURCE_DATE_EPOCH"
  echo "stamp kernel-inputs $(kernel_inputs_hash)"
}

start=$SECONDS
bios/build.sh
echo "build.sh: bios $(seconds_since "$start")" >&2

if [ -z "${SLIPWAY_AGENT_BINARY:-}" ] && [ -x agent/build.sh ]; then
  start=$SECONDS
  agent/build.sh
  echo "build.sh: agent $(seconds_since "$start")" >&2
fi

start=$SECONDS
curl/build.sh
echo "build.sh: curl $(seconds_since "$start")" >&2

start=$SECONDS
rootfs/build.sh
echo "build.sh: rootfs $(seconds_since "$start")" >&2

if kernel_is_current; then
  echo "build.sh: kernel inputs unchanged, keeping $DIST_DIR/bzImage" >&2
else
  start=$SECONDS
  kernel/build.sh
  echo "build.sh: kernel $(seconds_since "$start")" >&2
fi

start=$SECONDS
disk/build.sh
echo "build.sh: disk $(seconds_since "$start")" >&2

write_manifest >"$MANIFEST.tmp"
mv "$MANIFEST.tmp" "$MANIFEST"
echo "build.sh: wrote $MANIFEST" >&2
cat "$MANIFEST" >&2
