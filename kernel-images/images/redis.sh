#!/usr/bin/env bash
# redis:latest for linux/386: the debian base plus Debian's redis-server, open to other containers.
# Outputs: layers/redis.json, records/redis.json (needs debian.sh first).
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh

tree="$BUILD_DIR/trees/redis"
copy_tree "$BUILD_DIR/trees/debian" "$tree"
# uid/gid 999 as in the official image; Debian's postinst keeps an existing redis user.
chroot_run "$tree" groupadd --system --gid 999 redis
chroot_run "$tree" useradd --system --uid 999 --gid redis --home-dir /var/lib/redis \
  --shell /usr/sbin/nologin redis
install_packages redis redis-server
# redis-check-aof and redis-check-rdb are the same 2.5 MB binary (the server picks its role from
# argv[0]); Debian ships two copies, a hard link costs nothing in the layer (1 MB gzipped less).
cmp "$tree/usr/bin/redis-check-aof" "$tree/usr/bin/redis-check-rdb"
ln -f "$tree/usr/bin/redis-check-rdb" "$tree/usr/bin/redis-check-aof"
install -m 755 redis-entrypoint.sh "$tree/usr/local/bin/docker-entrypoint.sh"
install -d -m 755 -o 999 -g 999 "$tree/data"
inputs=$(finish_over_base redis)
version=$(chroot "$tree" dpkg-query -W -f '${Version}' redis-server)
upstream=${version#*:}
upstream=${upstream%%-*}

derived_image redis "$inputs" '{
  repository: "redis",
  tags: ["latest", "7", "7.0", "'"$upstream"'", "bookworm"],
  layers: [$baseLayer, $layer],
  config: {
    Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "REDIS_VERSION='"$upstream"'"],
    Entrypoint: ["docker-entrypoint.sh"],
    Cmd: ["redis-server"],
    ExposedPorts: { "6379/tcp": {} },
    Volumes: { "/data": {} },
    WorkingDir: "/data",
    Labels: {
      "org.opencontainers.image.title": "redis",
      "org.opencontainers.image.version": "'"$upstream"'",
      "org.opencontainers.image.base.name": "docker.io/library/debian:bookworm-slim",
      "org.opencontainers.image.base.digest": $baseDigest,
      "io.slipway.recipe": "kernel-images/images/redis.sh",
      "io.slipway.debian.suite": "bookworm",
      "io.slipway.debian.source": "redis='"$version"'",
      "io.slipway.debian.sources": $sources
    }
  },
  history: [
    { created_by: "debootstrap --variant=minbase --arch=i386 bookworm, slimmed (no docs, man pages, locales, apt lists)" },
    { created_by: "ENV REDIS_VERSION='"$upstream"'", empty_layer: true },
    { created_by: "RUN groupadd -r -g 999 redis && useradd -r -g redis -u 999 redis && apt-get install --no-install-recommends redis-server && mkdir /data && chown redis:redis /data && COPY docker-entrypoint.sh /usr/local/bin/" },
    { created_by: "VOLUME [/data]", empty_layer: true },
    { created_by: "WORKDIR /data", empty_layer: true },
    { created_by: "ENTRYPOINT [\"docker-entrypoint.sh\"]", empty_layer: true },
    { created_by: "EXPOSE map[6379/tcp:{}]", empty_layer: true },
    { created_by: "CMD [\"redis-server\"]", empty_layer: true }
  ],
  inputs: $inputs
}'
