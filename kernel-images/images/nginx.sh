#!/usr/bin/env bash
# nginx:latest for linux/386: the debian base plus Debian's nginx, set up like the official image:
# /docker-entrypoint.sh with its /docker-entrypoint.d/ scripts, the welcome server in
# conf.d/default.conf, notices on, access log to stdout and error log to stderr.
# Outputs: layers/nginx.json, records/nginx.json (needs debian.sh first).
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh

tree="$BUILD_DIR/trees/nginx"
copy_tree "$BUILD_DIR/trees/debian" "$tree"
# The official image's worker user: nginx, uid/gid 101.
chroot_run "$tree" groupadd --system --gid 101 nginx
chroot_run "$tree" useradd --system --uid 101 --gid nginx --no-create-home --home-dir /nonexistent \
  --comment 'nginx user' --shell /bin/false nginx
# gettext-base: envsubst, for the templates in /etc/nginx/templates/.
install_packages nginx nginx gettext-base

# docker logs shows what nginx logs, as in the official image.
ln -sfn /dev/stdout "$tree/var/log/nginx/access.log"
ln -sfn /dev/stderr "$tree/var/log/nginx/error.log"
# The official layout: one nginx.conf including conf.d/*.conf, the welcome page served from
# /usr/share/nginx/html. Debian's sites-enabled/default would be a second default server on :80.
install -m 644 nginx/nginx.conf "$tree/etc/nginx/nginx.conf"
install -d -m 755 "$tree/etc/nginx/conf.d"
install -m 644 nginx/default.conf "$tree/etc/nginx/conf.d/default.conf"
rm -f "$tree/etc/nginx/sites-enabled/default"
install -m 644 nginx/50x.html "$tree/usr/share/nginx/html/50x.html"
grep -q '<title>Welcome to nginx!</title>' "$tree/usr/share/nginx/html/index.html"
# CMD passes "daemon off;": a daemon directive in the config would make nginx refuse to start.
if grep -Eq '^[[:space:]]*daemon[[:space:]]' "$tree/etc/nginx/nginx.conf"; then
  log "nginx: nginx.conf sets daemon itself"
  exit 1
fi

install -m 755 nginx/docker-entrypoint.sh "$tree/docker-entrypoint.sh"
install -d -m 755 "$tree/docker-entrypoint.d"
sed "s/@DEFAULT_CONF_SHA256@/$(sha256sum nginx/default.conf | cut -d' ' -f1)/" nginx/10-listen-on-ipv6-by-default.sh \
  >"$tree/docker-entrypoint.d/10-listen-on-ipv6-by-default.sh"
install -m 755 nginx/20-envsubst-on-templates.sh "$tree/docker-entrypoint.d/20-envsubst-on-templates.sh"
chmod 755 "$tree/docker-entrypoint.d/10-listen-on-ipv6-by-default.sh"
# nginx -t as the image would start it: the configuration must load.
chroot_run "$tree" nginx -t -q

inputs=$(finish_over_base nginx)
version=$(chroot "$tree" dpkg-query -W -f '${Version}' nginx)
upstream=${version%%-*}

derived_image nginx "$inputs" '{
  repository: "nginx",
  tags: ["latest", "stable", "'"$upstream"'", "bookworm"],
  layers: [$baseLayer, $layer],
  config: {
    Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "NGINX_VERSION='"$upstream"'"],
    Entrypoint: ["/docker-entrypoint.sh"],
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
    { created_by: "RUN groupadd -r -g 101 nginx && useradd -r -u 101 -g nginx nginx && apt-get install --no-install-recommends nginx gettext-base && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log && COPY nginx.conf conf.d/default.conf docker-entrypoint.sh docker-entrypoint.d/" },
    { created_by: "ENTRYPOINT [\"/docker-entrypoint.sh\"]", empty_layer: true },
    { created_by: "EXPOSE map[80/tcp:{}]", empty_layer: true },
    { created_by: "STOPSIGNAL SIGQUIT", empty_layer: true },
    { created_by: "CMD [\"nginx\" \"-g\" \"daemon off;\"]", empty_layer: true }
  ],
  inputs: $inputs
}'
