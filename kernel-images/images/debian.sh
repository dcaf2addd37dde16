#!/usr/bin/env bash
# debian:bookworm-slim for linux/386: debootstrap minbase, slimmed like the official slim image.
# Outputs: trees/debian (the base every other Debian image copies), records/debian.json.
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh

tree="$BUILD_DIR/trees/debian"
[[ ! -e $tree ]] || assert_unmounted "$tree"
rm -rf "$tree"
mkdir -p "$BUILD_DIR/cache/debootstrap" "$BUILD_DIR/records" "$BUILD_DIR/layers"
log "debian: debootstrap --variant=minbase --arch=i386 $SUITE"
nice -n 10 debootstrap --variant=minbase --arch=i386 --cache-dir="$BUILD_DIR/cache/debootstrap" \
  "$SUITE" "$tree" "$MIRROR" >"$BUILD_DIR/debootstrap.log"

# The sources the official image carries, in deb822 form.
rm -f "$tree/etc/apt/sources.list"
cat >"$tree/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES

# Slim: no docs but copyrights, no man/info pages, no translations; dpkg keeps it so for
# every package installed later (this is the official slim image's dpkg.cfg.d/docker).
cat >"$tree/etc/dpkg/dpkg.cfg.d/docker" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
DPKG
cat >"$tree/etc/apt/apt.conf.d/docker-clean" <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT
echo 'Acquire::GzipIndexes "true"; Acquire::CompressionTypes::Order:: "gz";' >"$tree/etc/apt/apt.conf.d/docker-gzip-indexes"
echo 'Acquire::Languages "none";' >"$tree/etc/apt/apt.conf.d/docker-no-languages"
echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$tree/etc/apt/apt.conf.d/docker-autoremove-suggests"
find "$tree/usr/share/doc" -mindepth 1 -not -type d -not -name copyright -delete
find "$tree/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$tree"/usr/share/{groff,info,linda,locale,man}/* "$tree"/usr/share/lintian/overrides/*
normalise_tree "$tree"

packages=$(installed_packages "$tree")
check_lock debian "$packages"
inputs=$(debian_inputs_json "$tree" <<<"$packages")

log "debian: layer"
make_layer "$BUILD_DIR/layers/debian.json" "$tree"
jq -n --argjson inputs "$inputs" --arg layer "$BUILD_DIR/layers/debian.json" \
  --arg sources "$(inputs_label "$inputs")" '{
  repository: "debian",
  tags: ["bookworm-slim", "bookworm", "12", "12-slim", "latest"],
  layers: [$layer],
  config: {
    Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
    Cmd: ["bash"],
    Labels: {
      "org.opencontainers.image.title": "debian",
      "org.opencontainers.image.version": "12-slim",
      "io.slipway.recipe": "kernel-images/images/debian.sh",
      "io.slipway.debian.suite": "bookworm",
      "io.slipway.debian.sources": $sources
    }
  },
  history: [
    { created_by: "debootstrap --variant=minbase --arch=i386 bookworm, slimmed (no docs, man pages, locales, apt lists)" },
    { created_by: "CMD [\"bash\"]", empty_layer: true }
  ],
  inputs: $inputs
}' >"$BUILD_DIR/records/debian.spec.json"
make_image "$BUILD_DIR/records/debian.spec.json" "$BUILD_DIR/records/debian.json"
log "debian: $(jq -r '.manifest.digest' "$BUILD_DIR/records/debian.json")"
