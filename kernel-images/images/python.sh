#!/usr/bin/env bash
# python:3.11-slim for linux/386: the debian base plus Debian's python3.11 and pip.
# Outputs: layers/python.json, records/python.json (needs debian.sh first).
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh

install_over_base python python3.11 python3-pip python-is-python3
tree="$BUILD_DIR/trees/python"
# The official image's pip installs into the system; Debian's PEP 668 marker would refuse.
rm -f "$tree"/usr/lib/python3.11/EXTERNALLY-MANAGED
# Budget: pip, setuptools and wheel bytecode is 4.3 MB gzipped and only matters when pip runs
# (it compiles again then). The stdlib's stays: every interpreter start in the guest needs it.
find "$tree"/usr/lib/python3/dist-packages/{pip,setuptools,pkg_resources,wheel} -name __pycache__ -prune \
  -exec rm -rf {} +
inputs=$(finish_over_base python)
version=$(chroot "$tree" dpkg-query -W -f '${Version}' python3.11)
upstream=${version%%-*}

derived_image python "$inputs" '{
  repository: "python",
  tags: ["3.11-slim", "3.11", "3", "latest", "slim", "3.11-slim-bookworm"],
  layers: [$baseLayer, $layer],
  config: {
    Env: ["PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8",
          "PYTHON_VERSION='"$upstream"'"],
    Cmd: ["python3"],
    Labels: {
      "org.opencontainers.image.title": "python",
      "org.opencontainers.image.version": "'"$upstream"'",
      "org.opencontainers.image.base.name": "docker.io/library/debian:bookworm-slim",
      "org.opencontainers.image.base.digest": $baseDigest,
      "io.slipway.recipe": "kernel-images/images/python.sh",
      "io.slipway.debian.suite": "bookworm",
      "io.slipway.debian.source": "python3.11='"$version"'",
      "io.slipway.debian.sources": $sources
    }
  },
  history: [
    { created_by: "debootstrap --variant=minbase --arch=i386 bookworm, slimmed (no docs, man pages, locales, apt lists)" },
    { created_by: "ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 PYTHON_VERSION='"$upstream"'", empty_layer: true },
    { created_by: "RUN apt-get install --no-install-recommends python3.11 python3-pip python-is-python3 && rm /usr/lib/python3.11/EXTERNALLY-MANAGED (pip bytecode dropped)" },
    { created_by: "CMD [\"python3\"]", empty_layer: true }
  ],
  inputs: $inputs
}'
