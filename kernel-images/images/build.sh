#!/usr/bin/env bash
# Builds Slipway's offline i386 image catalogue into public/catalogue/: one OCI image layout
# (oci-layout, index.json, blobs/sha256/), catalogue.json (the engine's index) and MANIFEST.
# Needs root (debootstrap, chroot), debootstrap, jq, gcc, python3; Debian's mirror for the
# first build (later builds reuse kernel-images/build/images/cache/).
# UPDATE_LOCKS=1 re-pins every image to what Debian has now (then bump SOURCE_DATE_EPOCH in lib.sh).
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh

started=$(date +%s)
./debian.sh
./python.sh
./nginx.sh
./redis.sh
./postgres.sh
./busybox.sh
./hello-world.sh

records=()
for image in hello-world busybox debian python nginx redis postgres; do
  records+=("$BUILD_DIR/records/$image.json")
done
python3 "$OCITOOL" catalogue "$CATALOGUE_DIR" "${records[@]}"
log "catalogue: $CATALOGUE_DIR ($(du -sh "$CATALOGUE_DIR" | cut -f1)) in $(($(date +%s) - started)) s"
jq -r '.images[] | "\(.repository):\(.tags[0])\t\(.compressedSize)\t\(.uncompressedSize)"' "$CATALOGUE_DIR/catalogue.json" >&2
