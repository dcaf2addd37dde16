# Shared helpers for the i386 image recipes; sourced by build.sh and each <image>.sh.
# Inputs: Debian bookworm i386 packages pinned in locks/<image>.lock (package version per line).
# Work trees and download caches live under kernel-images/build/images/ (git-ignored).

# Failures inside $(...) must stop the build too (finish_over_base runs in one).
shopt -s inherit_errexit

IMAGES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$IMAGES_DIR/../.." && pwd)
BUILD_DIR="$REPO_DIR/kernel-images/build/images"
CATALOGUE_DIR="$REPO_DIR/public/catalogue"
BLOBS_DIR="$CATALOGUE_DIR/blobs/sha256"
LOCKS_DIR="$IMAGES_DIR/locks"
OCITOOL="$IMAGES_DIR/ocitool.py"

# Every timestamp in every image: 2026-11-22T00:00:00Z. Bump it together with the locks;
# it must not be older than the packages, or clamping would break .pyc source mtimes.
export SOURCE_DATE_EPOCH=1795305600
MIRROR=http://deb.debian.org/debian
SUITE=bookworm
CHROOT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

log() { printf '[images] %s\n' "$*" >&2; }

# Run a command inside an i386 tree (this amd64 kernel runs i386 binaries natively).
# Services never start (policy-rc.d) and nothing mounted stays behind on return.
chroot_run() {
  local tree=$1
  shift
  mount -t proc proc "$tree/proc"
  mount --bind /dev "$tree/dev"
  cp /etc/resolv.conf "$tree/etc/resolv.conf"
  printf '#!/bin/sh\nexit 101\n' >"$tree/usr/sbin/policy-rc.d"
  chmod 755 "$tree/usr/sbin/policy-rc.d"
  local status=0
  chroot "$tree" /usr/bin/env -i PATH="$CHROOT_PATH" HOME=/root LC_ALL=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive SOURCE_DATE_EPOCH="$SOURCE_DATE_EPOCH" "$@" || status=$?
  rm -f "$tree/usr/sbin/policy-rc.d" "$tree/etc/resolv.conf"
  stop_tree_processes "$tree"
  umount "$tree/dev" "$tree/proc"
  return "$status"
}

# Anything a maintainer script left running inside the tree would keep /proc busy.
stop_tree_processes() {
  local tree pid
  tree=$(realpath "$1")
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    if [[ $(readlink "/proc/$pid/root" 2>/dev/null) == "$tree" ]]; then
      log "stopping $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) (pid $pid), left running in $tree"
      kill "$pid" 2>/dev/null || true
    fi
  done
  sleep 0.2
}

# Refuse to touch a tree that still has something mounted in it (rm -rf would reach the host).
assert_unmounted() {
  local tree
  tree=$(realpath "$1")
  if findmnt -rn -o TARGET | grep -q "^$tree/"; then
    log "still mounted under $tree:"
    findmnt -rn -o TARGET | grep "^$tree/" >&2
    return 1
  fi
}

# apt-get install in a tree, with package lists and .debs cached outside it.
# The archive dir is not the default one: the slim image's docker-clean hook empties that.
apt_install() {
  local tree=$1
  shift
  local lists="$BUILD_DIR/cache/apt-lists" debs="$BUILD_DIR/cache/apt-debs"
  mkdir -p "$lists/partial" "$debs/partial" "$tree/var/cache/slipway-debs"
  mount --bind "$lists" "$tree/var/lib/apt/lists"
  mount --bind "$debs" "$tree/var/cache/slipway-debs"
  # Same suites as debootstrap (the point release and its updates): bookworm-security's i386
  # index is not reliably fetchable here, and the base image could not have it either.
  mkdir -p "$tree/tmp/slipway-sources.d"
  printf 'deb %s %s main\ndeb %s %s-updates main\n' "$MIRROR" "$SUITE" "$MIRROR" "$SUITE" \
    >"$tree/tmp/slipway-sources.list"
  printf 'Dir::Cache::Archives "/var/cache/slipway-debs/";\nDir::Etc::SourceList "/tmp/slipway-sources.list";\nDir::Etc::SourceParts "/tmp/slipway-sources.d";\n' \
    >"$tree/tmp/slipway-apt.conf"
  local status=0
  chroot_run "$tree" env APT_CONFIG=/tmp/slipway-apt.conf sh -c \
    'apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" >/dev/null' apt-install "$@" ||
    status=$?
  umount "$tree/var/cache/slipway-debs" "$tree/var/lib/apt/lists"
  rm -rf "$tree/var/cache/slipway-debs" "$tree"/tmp/slipway-*
  return "$status"
}

# "package version" lines for every installed package of a tree.
installed_packages() {
  chroot "$1" dpkg-query -W -f '${Package} ${Version}\n' | LC_ALL=C sort
}

# Packages in tree $2 that tree $1 lacks or has at another version, as "package version".
added_packages() {
  LC_ALL=C comm -13 <(installed_packages "$1") <(installed_packages "$2")
}

# Compare what was installed with the lock; write the lock on first build or UPDATE_LOCKS=1.
check_lock() {
  local name=$1 actual=$2 lock="$LOCKS_DIR/$1.lock"
  mkdir -p "$LOCKS_DIR"
  if [[ ! -f $lock || ${UPDATE_LOCKS:-0} == 1 ]]; then
    printf '%s\n' "$actual" >"$lock"
    log "$name: wrote $lock"
  elif ! diff -u "$lock" <(printf '%s\n' "$actual") >&2; then
    log "$name: installed packages differ from $lock (Debian moved on?); rebuild with UPDATE_LOCKS=1"
    return 1
  fi
}

# apt arguments pinning every package of a lock: "pkg=version ...".
lock_pins() {
  awk '{ print $1 "=" $2 }' "$LOCKS_DIR/$1.lock"
}

# Debian source packages behind binary packages ("package version" lines on stdin), as JSON inputs.
debian_inputs_json() {
  local tree=$1
  awk '{ print $1 }' | xargs chroot "$tree" dpkg-query -W -f '${source:Package} ${source:Version}\n' |
    LC_ALL=C sort -u | jq -R -s -c 'split("\n") | map(select(. != "") | split(" ")
      | { kind: "debian-source", name: .[0], version: .[1] })'
}

# "src=version src=version" for labels, from a JSON inputs array.
inputs_label() {
  jq -r 'map(.name + "=" + .version) | join(" ")' <<<"$1"
}

# Remove what varies between two builds or is runtime state, as the official images do.
normalise_tree() {
  local tree=$1
  assert_unmounted "$tree"
  rm -rf "$tree"/var/lib/apt/lists/* "$tree"/var/cache/apt/*.bin "$tree"/var/cache/apt/archives/*.deb \
    "$tree"/var/cache/debconf/*-old "$tree"/var/lib/dpkg/*-old "$tree"/var/cache/ldconfig/aux-cache \
    "$tree"/tmp/* "$tree"/var/tmp/* "$tree"/root/.bash_history "$tree"/etc/machine-id \
    "$tree"/etc/resolv.conf "$tree"/etc/hostname "$tree"/dev/* "$tree"/proc/* "$tree"/sys/* \
    "$tree"/var/log/apt/* "$tree"/var/log/*.log "$tree"/run/adduser
  # wtmp, btmp, lastlog, faillog stay, empty, with the modes base-files gave them.
  find "$tree/var/log" -type f -exec truncate -s 0 {} +
}

# Build a layer of tree $2 over tree $3 (or the whole tree when $3 is absent) into the blobs.
make_layer() {
  local out=$1 tree=$2 base=${3:-}
  mkdir -p "$BLOBS_DIR" "$(dirname "$out")"
  nice -n 10 python3 "$OCITOOL" layer "$BLOBS_DIR" "$tree" ${base:+"$base"} >"$out"
}

# Turn an image spec (JSON) into config + manifest blobs and an image record.
make_image() {
  local spec=$1 record=$2
  python3 "$OCITOOL" image "$BLOBS_DIR" "$spec" >"$record"
}

# Copy a tree with owners, modes, links and hard links intact.
copy_tree() {
  [[ ! -e $2 ]] || assert_unmounted "$2"
  rm -rf "$2"
  cp -a "$1" "$2"
}

# Copy the debian base to trees/NAME and install PACKAGES there; with a lock, every package
# the lock lists is pinned to its version, and only PACKAGES stay marked as manually installed.
install_over_base() {
  copy_tree "$BUILD_DIR/trees/debian" "$BUILD_DIR/trees/$1"
  install_packages "$@"
}

# Install PACKAGES into trees/NAME, which already is a copy of the base (pinned as above).
install_packages() {
  local name=$1
  shift
  local tree="$BUILD_DIR/trees/$name" pins=("$@")
  if [[ -f $LOCKS_DIR/$name.lock && ${UPDATE_LOCKS:-0} != 1 ]]; then
    mapfile -t pins < <(lock_pins "$name")
  fi
  log "$name: apt-get install ${*}"
  apt_install "$tree" "${pins[@]}"
  local auto
  auto=$(added_packages "$BUILD_DIR/trees/debian" "$tree" | awk '{ print $1 }' | grep -vxF -f <(printf '%s\n' "$@") || true)
  if [[ -n $auto ]]; then
    # shellcheck disable=SC2086 # one package name per word
    chroot "$tree" apt-mark auto $auto >/dev/null
  fi
}

# Normalise trees/NAME, check its lock, write its layer over the base; print the image's
# Debian inputs (base and added source packages) as JSON.
finish_over_base() {
  local name=$1 tree="$BUILD_DIR/trees/$1" base="$BUILD_DIR/trees/debian"
  normalise_tree "$tree"
  local added
  added=$(added_packages "$base" "$tree")
  check_lock "$name" "$added"
  log "$name: layer"
  make_layer "$BUILD_DIR/layers/$name.json" "$tree" "$base"
  jq -c -s 'add | unique_by(.name) | sort_by(.name)' <(jq -c .inputs "$BUILD_DIR/records/debian.json") \
    <(debian_inputs_json "$tree" <<<"$added")
}


# Write records/NAME.spec.json from a jq program over $inputs, $sources, $baseLayer, $layer and
# $baseDigest, then the image itself.
derived_image() {
  local name=$1 inputs=$2 program=$3
  jq -n --argjson inputs "$inputs" --arg sources "$(inputs_label "$inputs")" \
    --arg baseLayer "$BUILD_DIR/layers/debian.json" --arg layer "$BUILD_DIR/layers/$name.json" \
    --arg baseDigest "$(jq -r .manifest.digest "$BUILD_DIR/records/debian.json")" \
    "$program" >"$BUILD_DIR/records/$name.spec.json"
  make_image "$BUILD_DIR/records/$name.spec.json" "$BUILD_DIR/records/$name.json"
  log "$name: $(jq -r .manifest.digest "$BUILD_DIR/records/$name.json")"
}
