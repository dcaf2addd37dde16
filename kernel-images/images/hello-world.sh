#!/usr/bin/env bash
# hello-world for linux/386: one static i386 program of ours (hello/hello.c), nothing else.
# Outputs: layers/hello-world.json, records/hello-world.json.
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh

tree="$BUILD_DIR/trees/hello-world"
rm -rf "$tree"
mkdir -p "$tree" "$BUILD_DIR/layers" "$BUILD_DIR/records"
# No libc and no build id: the binary depends only on the compiler's code generation.
gcc -m32 -static -nostdlib -ffreestanding -fno-pic -no-pie -Os -fno-asynchronous-unwind-tables \
  -fno-stack-protector -Wall -Wextra -Werror -Wl,--build-id=none -Wl,-z,noseparate-code -s \
  -o "$tree/hello" hello/hello.c
touch -d "@$SOURCE_DATE_EPOCH" "$tree" "$tree/hello"
make_layer "$BUILD_DIR/layers/hello-world.json" "$tree"

# The compiler is the input here: record the host's Debian gcc and binutils.
inputs=$(dpkg-query -W -f '${source:Package} ${source:Version}\n' gcc-12 binutils | LC_ALL=C sort -u |
  jq -R -s -c 'split("\n") | map(select(. != "") | split(" ") | { kind: "debian-host-tool", name: .[0], version: .[1] })')
jq -n --argjson inputs "$inputs" --arg layer "$BUILD_DIR/layers/hello-world.json" '{
  repository: "hello-world",
  tags: ["latest", "linux"],
  layers: [$layer],
  config: {
    Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
    Cmd: ["/hello"],
    Labels: {
      "org.opencontainers.image.title": "hello-world",
      "io.slipway.recipe": "kernel-images/images/hello-world.sh",
      "io.slipway.built-with": ($inputs | map(.name + "=" + .version) | join(" "))
    }
  },
  history: [
    { created_by: "COPY hello / # kernel-images/images/hello/hello.c, gcc -m32 -static -nostdlib" },
    { created_by: "CMD [\"/hello\"]", empty_layer: true }
  ],
  inputs: $inputs
}' >"$BUILD_DIR/records/hello-world.spec.json"
make_image "$BUILD_DIR/records/hello-world.spec.json" "$BUILD_DIR/records/hello-world.json"
log "hello-world: $(jq -r .manifest.digest "$BUILD_DIR/records/hello-world.json")"
