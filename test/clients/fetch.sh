#!/usr/bin/env bash
# Fetches the real Docker clients the Engine API conformance tests drive (Docker's CLI 20.10 and
# the Docker SDK for Python) from Debian's archive, at the versions and sha256 pinned in
# packages.txt, and lays them out for test/guest/real-clients.ts:
#   $SLIPWAY_CLIENTS_DIR/staged/docker-20.10   /usr/bin/docker of docker.io (i386)
#   $SLIPWAY_CLIENTS_DIR/staged/python/        the packages' dist-packages, for PYTHONPATH (with
#                                              bytecode when this machine has a Python 3.11)
#   $SLIPWAY_CLIENTS_DIR/staged/VERSIONS       the pinned lines they came from
#   $SLIPWAY_CLIENTS_DIR/debs/                 the verified .debs (a cache)
# SLIPWAY_CLIENTS_DIR defaults to .slipway/clients (git-ignored). A second run with the same
# packages.txt and script does nothing. Needs apt's lists for i386 (docker.io is i386):
#   dpkg --add-architecture i386 && apt-get update
# Usage: fetch.sh           fetch and extract (nothing to do when current)
#        fetch.sh --check   exit 0 when current, 1 when a fetch is needed (no network)
#        fetch.sh --current print packages.txt lines for what the archive serves now
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=$PWD/packages.txt
OUT=${SLIPWAY_CLIENTS_DIR:-$(cd ../.. && pwd)/.slipway/clients}
STAGED=$OUT/staged
DEBS=$OUT/debs

fail() {
  echo "test/clients/fetch.sh: $*" >&2
  exit 1
}

pins() {
  grep -v '^[[:space:]]*\(#\|$\)' "$PACKAGES"
}

# What the staged tree was made from; real-clients.ts computes the same digest.
stamp() {
  cat "$PACKAGES" fetch.sh | sha256sum | cut -d' ' -f1
}

is_current() {
  [ -f "$OUT/stamp" ] && [ "$(cat "$OUT/stamp")" = "$(stamp)" ] && [ -x "$STAGED/docker-20.10" ] && [ -d "$STAGED/python/docker" ]
}

qualified_name() { # NAME ARCH
  if [ "$2" = all ]; then echo "$1"; else echo "$1:$2"; fi
}

print_current() {
  local name arch version sha
  while read -r name arch version sha; do
    apt-cache show "$(qualified_name "$name" "$arch")" 2>/dev/null |
      awk -v n="$name" -v a="$arch" '/^Version:/ { v = $2 } /^SHA256:/ { print n, a, v, $2; exit }' | grep . ||
      fail "apt knows no $(qualified_name "$name" "$arch") (for i386: dpkg --add-architecture i386 && apt-get update)"
  done < <(pins)
}

deb_path() { # NAME ARCH VERSION
  echo "$DEBS/${1}_${3//:/%3a}_${2}.deb"
}

# Explains why apt could not download NAME ARCH VERSION, and stops.
explain_missing() {
  local qualified candidate
  qualified=$(qualified_name "$1" "$2")
  candidate=$(apt-cache policy "$qualified" 2>/dev/null | sed -n 's/^ *Candidate: //p')
  if [ -z "$candidate" ] || [ "$candidate" = "(none)" ]; then
    fail "apt knows no $qualified: run 'apt-get update'$([ "$2" = i386 ] && echo " after 'dpkg --add-architecture i386'")"
  fi
  [ "$candidate" = "$3" ] && return 0
  fail "Debian's archive no longer serves $qualified=$3 (it serves $candidate now: a point release replaced it). Pin the new version in test/clients/packages.txt; 'bash test/clients/fetch.sh --current' prints the lines."
}

# Downloads the pinned .debs not in the cache yet, in one apt call (each call costs ~1 s of
# cache loading), then checks every .deb against its pinned sha256.
fetch_debs() {
  local name arch version sha missing=() tmp got
  while read -r name arch version sha; do
    [ -f "$(deb_path "$name" "$arch" "$version")" ] || missing+=("$(qualified_name "$name" "$arch")=$version")
  done < <(pins)
  if [ ${#missing[@]} -gt 0 ]; then
    tmp=$(mktemp -d "$DEBS/download.XXXXXX")
    if ! (cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "${missing[@]}" >&2); then
      rm -rf "$tmp"
      while read -r name arch version sha; do
        explain_missing "$name" "$arch" "$version"
      done < <(pins)
      fail "apt-get download ${missing[*]} failed (see above)"
    fi
    mv "$tmp"/*.deb "$DEBS/"
    rm -rf "$tmp"
  fi
  while read -r name arch version sha; do
    got=$(sha256sum "$(deb_path "$name" "$arch" "$version")" | cut -d' ' -f1)
    if [ "$got" != "$sha" ]; then
      rm -f "$(deb_path "$name" "$arch" "$version")"
      fail "$(qualified_name "$name" "$arch")=$version: the .deb has sha256 $got, but packages.txt pins $sha (download removed)"
    fi
  done < <(pins)
}

# Bytecode for the Python packages: the guest mounts them read-only, so Python could not cache
# what it compiles, and compiling requests, urllib3 and docker there costs ~20 s per start.
# Every 3.11.x writes the same bytecode format as the image's 3.11.2; unchecked-hash .pyc files
# hold whatever mtimes the 9p share gives the sources.
compile_bytecode() {
  local python
  for python in python3.11 python3; do
    if command -v "$python" >/dev/null 2>&1 && "$python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
      "$python" -m compileall -q --invalidation-mode unchecked-hash "$1" >&2
      return
    fi
  done
  echo "test/clients/fetch.sh: warning: no Python 3.11 here, so the Python packages have no bytecode (every import in the guest compiles them: ~20 s more per start)" >&2
}

case "${1:-}" in
  --check)
    is_current
    exit
    ;;
  --current)
    print_current
    exit
    ;;
  '') ;;
  *) fail "unknown option '$1' (use --check or --current)" ;;
esac

if is_current; then
  echo "test/clients/fetch.sh: $STAGED is current"
  exit 0
fi

started=$SECONDS
mkdir -p "$DEBS"
work=$(mktemp -d "$OUT/staging.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/staged/python" "$work/root"
fetch_debs
while read -r name arch version sha; do
  deb=$(deb_path "$name" "$arch" "$version")
  if [ "$name" = docker.io ]; then
    dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/bin/docker >"$work/staged/docker-20.10"
    chmod 0755 "$work/staged/docker-20.10"
  else
    dpkg-deb -x "$deb" "$work/root"
  fi
done < <(pins)
cp -a "$work/root/usr/lib/python3/dist-packages/." "$work/staged/python/"
compile_bytecode "$work/staged/python"
pins >"$work/staged/VERSIONS"

rm -rf "$STAGED" "$OUT/stamp"
mv "$work/staged" "$STAGED"
stamp >"$OUT/stamp"
echo "test/clients/fetch.sh: staged $(pins | wc -l) packages in $STAGED ($(du -sh "$STAGED" | cut -f1), $((SECONDS - started))s)"
