#!/usr/bin/env bash
# Builds the Slipway guest initramfs: busybox, bash, crun, procps ps (+ exactly the libraries they
# need), curl (from curl/), slipway-agent (as /usr/sbin/slipway-agent, /usr/bin/docker,
# /usr/sbin/slipway-net, slipway-ctr and docker-init), /etc, sudo and /init from overlay/.
# Output: kernel-images/dist/initrd.cpio (uncompressed newc: v86 boots it faster than gzip).
# Reproducible: sorted entries, owners 0:0, every mtime = SOURCE_DATE_EPOCH.
# SLIPWAY_AGENT_BINARY=/path overrides the agent (for testing the image without agent sources).
set -euo pipefail
cd "$(dirname "$0")"
source ../debian-packages.sh
umask 022

SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
ROOTFS_DIR=$(pwd)
KERNEL_IMAGES=$(cd .. && pwd)
BUILD_DIR=$KERNEL_IMAGES/build/rootfs
PACKAGES_DIR=$BUILD_DIR/packages
STAGING=$BUILD_DIR/staging
OUTPUT=$KERNEL_IMAGES/dist/initrd.cpio
AGENT_DIR=$KERNEL_IMAGES/agent
AGENT_BINARY=$AGENT_DIR/out/slipway-agent
CURL_DIR=$KERNEL_IMAGES/curl
TRIPLET=i386-linux-gnu
# Names busybox must not claim: real programs (or our own scripts) ship under them.
NOT_APPLETS=" bash curl docker ps "
TERMINALS="dumb linux screen screen-256color tmux tmux-256color vt100 vt220 xterm xterm-256color xterm-color"

# The agent: built by agent/build.sh when its binary is missing or older than any of its sources.
agent_binary() {
  if [ -n "${SLIPWAY_AGENT_BINARY:-}" ]; then
    echo "rootfs/build.sh: using SLIPWAY_AGENT_BINARY=$SLIPWAY_AGENT_BINARY (not a release build)" >&2
    echo "$SLIPWAY_AGENT_BINARY"
    return
  fi
  if [ ! -x "$AGENT_DIR/build.sh" ]; then
    echo "rootfs/build.sh: $AGENT_DIR/build.sh is missing: the agent sources are not there yet" >&2
    echo "  (set SLIPWAY_AGENT_BINARY=/path/to/binary to build a test image anyway)" >&2
    return 1
  fi
  if [ ! -f "$AGENT_BINARY" ] ||
    [ -n "$(find "$AGENT_DIR" -path "$AGENT_DIR/out" -prune -o -type f -newer "$AGENT_BINARY" -print -quit)" ]; then
    "$AGENT_DIR/build.sh" >&2
  fi
  [ -f "$AGENT_BINARY" ] || {
    echo "rootfs/build.sh: agent/build.sh did not write $AGENT_BINARY" >&2
    return 1
  }
  echo "$AGENT_BINARY"
}

# Prints the file providing a shared library in the unpacked packages.
find_library() {
  local soname=$1 dir
  for dir in "$PACKAGES_DIR/lib/$TRIPLET" "$PACKAGES_DIR/usr/lib/$TRIPLET"; do
    if [ -e "$dir/$soname" ]; then
      echo "$dir/$soname"
      return
    fi
  done
  echo "rootfs/build.sh: no package provides $soname" >&2
  return 1
}

# Copies the NEEDED closure of an ELF file into /usr/lib/TRIPLET, one regular file per soname.
install_libraries() {
  local soname library
  for soname in $(readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    [ -e "$STAGING/usr/lib/$TRIPLET/$soname" ] && continue
    library=$(find_library "$soname")
    install -m 0644 "$(readlink -f "$library")" "$STAGING/usr/lib/$TRIPLET/$soname"
    install_libraries "$library"
  done
}

install_program() {
  local source=$1 target=$2
  install -m 0755 "$source" "$STAGING/$target"
  install_libraries "$source"
}

# The guest's curl (curl/): built when missing or older than its sources.
curl_binary() {
  if [ ! -f "$CURL_DIR/out/curl" ] ||
    [ -n "$(find "$CURL_DIR" -path "$CURL_DIR/out" -prune -o -type f -newer "$CURL_DIR/out/curl" -print -quit)" ]; then
    "$CURL_DIR/build.sh" >&2
  fi
  echo "$CURL_DIR/out/curl"
}

agent=$(agent_binary)
curl=$(curl_binary)
case "$(file -b "$agent")" in
ELF\ 32-bit*Intel\ 80386*statically\ linked* | ELF\ 32-bit*Intel\ 80386*static-pie\ linked*) ;;
ELF*) echo "rootfs/build.sh: $agent is not a static i386 ELF: $(file -b "$agent")" >&2; exit 1 ;;
*) echo "rootfs/build.sh: warning: $agent is not an ELF binary (test placeholder?)" >&2 ;;
esac

unpack_packages "$ROOTFS_DIR/packages.txt" "$BUILD_DIR/deb" "$PACKAGES_DIR"

rm -rf "$STAGING"
mkdir -p "$STAGING"
cd "$STAGING"
# Merged /usr, as in Debian bookworm.
mkdir -p usr/bin usr/sbin usr/lib/$TRIPLET usr/share/terminfo usr/local/bin usr/local/sbin \
  dev proc sys tmp run root mnt/host newroot var/tmp var/log etc
ln -s usr/bin bin
ln -s usr/sbin sbin
ln -s usr/lib lib
ln -s ../run var/run
chmod 1777 tmp var/tmp
chmod 0700 root
mknod -m 0600 dev/console c 5 1
mknod -m 0666 dev/null c 1 3

install -m 0755 "$PACKAGES_DIR/bin/busybox" usr/bin/busybox
for applet in $(usr/bin/busybox --list-full); do
  name=${applet##*/}
  case "$NOT_APPLETS" in *" $name "*) continue ;; esac
  # busybox lists /bin, /sbin, /usr/bin and /usr/sbin paths; with merged /usr they all live in /usr.
  target=usr/${applet#usr/}
  [ -e "$target" ] || ln -s /usr/bin/busybox "$target"
done

install -m 0755 "$(readlink -f "$PACKAGES_DIR/lib/ld-linux.so.2")" usr/lib/$TRIPLET/ld-linux.so.2
ln -s $TRIPLET/ld-linux.so.2 usr/lib/ld-linux.so.2
install_program "$PACKAGES_DIR/bin/bash" usr/bin/bash
install_program "$PACKAGES_DIR/usr/bin/crun" usr/bin/crun
# procps ps: `docker top` passes the user's options on to it, as Docker does with the host's ps.
install_program "$PACKAGES_DIR/bin/ps" usr/bin/ps
install_program "$curl" usr/bin/curl
install -m 0755 "$agent" usr/sbin/slipway-agent
ln -s /usr/sbin/slipway-agent usr/bin/docker
ln -s slipway-agent usr/sbin/slipway-net
ln -s slipway-agent usr/sbin/slipway-ctr
ln -s slipway-agent usr/sbin/docker-init

for terminal in $TERMINALS; do
  for dir in "$PACKAGES_DIR/lib/terminfo" "$PACKAGES_DIR/usr/share/terminfo"; do
    entry=$dir/${terminal:0:1}/$terminal
    if [ -f "$entry" ]; then
      mkdir -p "usr/share/terminfo/${terminal:0:1}"
      install -m 0644 "$entry" "usr/share/terminfo/${terminal:0:1}/$terminal"
      break
    fi
  done
done

cp -R "$ROOTFS_DIR/overlay/." .
find . -path ./dev -prune -o -type f -perm /111 -exec chmod 0755 {} + -o -type f -exec chmod 0644 {} +
chmod 0755 init usr/bin/sudo

find . -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
mkdir -p "$(dirname "$OUTPUT")"
find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
  cpio --quiet -o -H newc --reproducible -R 0:0 >"$OUTPUT.tmp"
mv "$OUTPUT.tmp" "$OUTPUT"
touch -d "@$SOURCE_DATE_EPOCH" "$OUTPUT"
echo "rootfs/build.sh: wrote $OUTPUT ($(stat -c %s "$OUTPUT") bytes)" >&2
