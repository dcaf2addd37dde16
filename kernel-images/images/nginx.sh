#!/usr/bin/env bash
# nginx:latest for linux/386: the debian base plus Debian's nginx, logging to stdout/stderr.
# Outputs: layers/nginx.json, records/nginx.json (needs debian.sh first).
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh

install_over_base nginx nginx
tree="$BUILD_DIR/trees/nginx"
# docker logs shows what nginx logs, as in the official image.
ln -sfn /dev/stdout "$tree/var/log/nginx/access.log"
ln -sfn /dev/stderr "$tree/var/log/nginx/error.log"
# CMD passes "daemon off;": a daemon directive in the config would make nginx refuse to start.
if grep -Eq '^[[:space:]]*daemon[[:space:]]' "$tree/etc/nginx/nginx.conf"; then
  log "nginx: nginx.conf sets daemon itself"
  exit 1
fi
inputs=$(finish_over_base nginx)
version=$(chroot "$tree" dpkg-query -W -f '${Version}' nginx)
upstream=${version%%-*}

derived_image nginx "$inputs" '{
  repository: "nginx",
  tags: ["latest", "stable", "'"$upstream"'", "bookworm"],
  layers: [$baseLayer, $layer],
  config: {
    Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "NGINX_VERSION='"$upstream"'"],
    Cmd: ["nginx", "-g", "daemon off;"],
    ExposedPorts: { "80/tcp": {} },
    StopSignal: "SIGQUIT",
    Labels: {
      "org.opencontainers.image.title": "nginx",
      "org.opencontainers.image.version": "'"$upstream"'",
      "org.opencontainers.image.base.name": "docker.io/library/debian:bookworm-slim",
      "org.opencontainers.image.base.digest": $baseDigest,
      "io.slipway.recipe": "kernel-images/images/nginx.sh",
      "io.slipway.debian.suite": "bookworm",
      "io.slipway.debian.source": "nginx='"$version"'",
      "io.slipway.debian.sources": $sources
    }
  },
  history: [
    { created_by: "debootstrap --variant=minbase --arch=i386 bookworm, slimmed (no docs, man pages, locales, apt lists)" },
    { created_by: "ENV NGINX_VERSION='"$upstream"'", empty_layer: true },
    { created_by: "RUN apt-get install --no-install-recommends nginx && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log" },
    { created_by: "EXPOSE map[80/tcp:{}]", empty_layer: true },
    { created_by: "STOPSIGNAL SIGQUIT", empty_layer: true },
    { created_by: "CMD [\"nginx\" \"-g\" \"daemon off;\"]", empty_layer: true }
  ],
  inputs: $inputs
}'
