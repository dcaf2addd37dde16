#!/usr/bin/env bash
# postgres:15 for linux/386: the debian base plus Debian's PostgreSQL 15, arranged like the
# official image (uid 999, PGDATA volume, docker-entrypoint.sh that initialises on first start).
# The LLVM JIT stays out (libLLVM and Z3: 30 MB gzipped): queries run the same without it.
# Outputs: layers/postgres.json, records/postgres.json (needs debian.sh first).
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh

major=15
tree="$BUILD_DIR/trees/postgres"
copy_tree "$BUILD_DIR/trees/debian" "$tree"
# uid/gid 999 as in the official image; Debian's postinst keeps an existing postgres user.
chroot_run "$tree" groupadd --system --gid 999 postgres
chroot_run "$tree" useradd --system --uid 999 --gid postgres --home-dir /var/lib/postgresql \
  --shell /bin/bash postgres
install -d -m 755 -o 999 -g 999 "$tree/var/lib/postgresql"

# Files dpkg leaves out while installing (the slim image's own mechanism, dropped afterwards so
# that later apt installs get whole packages): the JIT provider, its bitcode, libLLVM and the
# Z3 solver only libLLVM loads (25 MB).
cat >"$tree/etc/dpkg/dpkg.cfg.d/slipway-postgres" <<DPKG
path-exclude /usr/lib/postgresql/$major/lib/bitcode/*
path-exclude /usr/lib/postgresql/$major/lib/llvmjit*
path-exclude /usr/lib/llvm-14/*
path-exclude /usr/lib/i386-linux-gnu/libLLVM-14.so*
path-exclude /usr/lib/i386-linux-gnu/libz3.so*
DPKG
install_packages postgres "postgresql-$major" locales
rm "$tree/etc/dpkg/dpkg.cfg.d/slipway-postgres"

# The package made a cluster in /var/lib/postgresql/15/main; the image initialises $PGDATA at
# first start instead, and never makes one again when extended with apt.
chroot_run "$tree" pg_dropcluster "$major" main
sed -ri 's/^#?(create_main_cluster)\s*=.*$/\1 = false/' "$tree/etc/postgresql-common/createcluster.conf"
# ssl-cert's snakeoil pair is random at every build; the server does not use it (ssl is off).
rm -f "$tree/etc/ssl/private/ssl-cert-snakeoil.key" "$tree/etc/ssl/certs/ssl-cert-snakeoil.pem"
# Every new cluster listens on all addresses, so other containers reach it.
sed -ri "s!^#?(listen_addresses)\s*=\s*\S+.*!\1 = '*'!" "$tree/usr/share/postgresql/$major/postgresql.conf.sample"
grep -F "listen_addresses = '*'" "$tree/usr/share/postgresql/$major/postgresql.conf.sample" >/dev/null
# The official image's default locale; compiled into its own directory (no locale-archive).
chroot_run "$tree" localedef --no-archive -i en_US -c -f UTF-8 en_US.UTF-8

# Sockets in /var/run/postgresql for any uid; PGDATA made writable so `docker run --user` works.
install -d -m 3777 -o 999 -g 999 "$tree/run/postgresql"
install -d -m 1777 -o 999 -g 999 "$tree/var/lib/postgresql/data"
install -d -m 755 "$tree/docker-entrypoint-initdb.d"
install -m 755 postgres/docker-entrypoint.sh "$tree/usr/local/bin/docker-entrypoint.sh"

inputs=$(finish_over_base postgres)
version=$(chroot "$tree" dpkg-query -W -f '${Version}' "postgresql-$major")
upstream=${version%%-*}

# PATH puts the server's bin first, where the official image appends it: /usr/bin/psql is Debian's
# Perl wrapper, which takes 5-10x longer than psql itself to start in the emulator.
derived_image postgres "$inputs" '{
  repository: "postgres",
  tags: ["15", "latest", "15-bookworm", "bookworm", "'"$upstream"'"],
  layers: [$baseLayer, $layer],
  config: {
    Env: ["PATH=/usr/lib/postgresql/'"$major"'/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          "LANG=en_US.utf8", "PG_MAJOR='"$major"'", "PG_VERSION='"$version"'",
          "PGDATA=/var/lib/postgresql/data"],
    Entrypoint: ["docker-entrypoint.sh"],
    Cmd: ["postgres"],
    ExposedPorts: { "5432/tcp": {} },
    Volumes: { "/var/lib/postgresql/data": {} },
    StopSignal: "SIGINT",
    Labels: {
      "org.opencontainers.image.title": "postgres",
      "org.opencontainers.image.version": "'"$upstream"'",
      "org.opencontainers.image.base.name": "docker.io/library/debian:bookworm-slim",
      "org.opencontainers.image.base.digest": $baseDigest,
      "io.slipway.recipe": "kernel-images/images/postgres.sh",
      "io.slipway.debian.suite": "bookworm",
      "io.slipway.debian.source": "postgresql-'"$major"'='"$version"'",
      "io.slipway.debian.sources": $sources
    }
  },
  history: [
    { created_by: "debootstrap --variant=minbase --arch=i386 bookworm, slimmed (no docs, man pages, locales, apt lists)" },
    { created_by: "ENV PG_MAJOR='"$major"' PG_VERSION='"$version"' LANG=en_US.utf8 PGDATA=/var/lib/postgresql/data PATH=/usr/lib/postgresql/'"$major"'/bin:$PATH", empty_layer: true },
    { created_by: "RUN groupadd -r -g 999 postgres && useradd -r -g postgres -u 999 postgres && apt-get install --no-install-recommends postgresql-'"$major"' locales (without the LLVM JIT) && localedef -i en_US -c -f UTF-8 en_US.UTF-8 && listen_addresses = * in postgresql.conf.sample && COPY docker-entrypoint.sh /usr/local/bin/" },
    { created_by: "VOLUME [/var/lib/postgresql/data]", empty_layer: true },
    { created_by: "ENTRYPOINT [\"docker-entrypoint.sh\"]", empty_layer: true },
    { created_by: "STOPSIGNAL SIGINT", empty_layer: true },
    { created_by: "EXPOSE map[5432/tcp:{}]", empty_layer: true },
    { created_by: "CMD [\"postgres\"]", empty_layer: true }
  ],
  inputs: $inputs
}'
