#!/usr/bin/env bash
# busybox:latest for linux/386: Debian's busybox-static with a link per applet.
# Outputs: layers/busybox.json, records/busybox.json; the .deb is cached under build/.
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh

package=busybox-static
lock="$LOCKS_DIR/busybox.lock"
if [[ -f $lock && ${UPDATE_LOCKS:-0} != 1 ]]; then
  version=$(awk -v p=$package '$1 == p { print $2 }' "$lock")
else
  version=$(apt-cache policy "$package:i386" | awk '/Candidate:/ { print $2 }')
fi
debs="$BUILD_DIR/cache/host-debs"
mkdir -p "$debs" "$BUILD_DIR/layers" "$BUILD_DIR/records"
deb=$(find "$debs" -name "${package}_*_i386.deb" -print | grep -F "${version#*:}_i386.deb" || true)
if [[ -z $deb ]]; then
  (cd "$debs" && apt-get download "$package:i386=$version" 2>/dev/null)
  deb=$(find "$debs" -name "${package}_*_i386.deb" -print | grep -F "${version#*:}_i386.deb")
fi
check_lock busybox "$package $(dpkg-deb -f "$deb" Version)"

tree="$BUILD_DIR/trees/busybox"
rm -rf "$tree" "$tree.deb"
dpkg-deb -x "$deb" "$tree.deb"
mkdir -p "$tree"/{bin,etc,home,root,tmp,usr/bin,usr/sbin,sbin,var/spool/mail,var/www}
chmod 1777 "$tree/tmp"
chmod 700 "$tree/root"
install -m 755 "$tree.deb/bin/busybox" "$tree/bin/busybox"
rm -rf "$tree.deb"
# The binary is i386 and static: this kernel runs it to list its own applets.
"$tree/bin/busybox" --list-full | while read -r applet; do
  # /linuxrc is for booting an initrd, not for containers.
  [[ $applet == bin/busybox || $applet == linuxrc ]] || ln -s /bin/busybox "$tree/$applet"
done
printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'daemon:x:1:1:daemon:/usr/sbin:/bin/false' \
  'nobody:x:65534:65534:nobody:/home:/bin/false' >"$tree/etc/passwd"
printf '%s\n' 'root:x:0:' 'daemon:x:1:' 'nogroup:x:65534:' >"$tree/etc/group"
make_layer "$BUILD_DIR/layers/busybox.json" "$tree"

source_field=$(dpkg-deb -f "$deb" Source)
source_name=${source_field%% *}
source_version=$(sed -n 's/.*(\(.*\)).*/\1/p' <<<"$source_field")
source_version=${source_version:-$version}
inputs=$(jq -n -c --arg n "$source_name" --arg v "$source_version" '[{ kind: "debian-source", name: $n, version: $v }]')
upstream=${version#*:}
upstream=${upstream%%-*}
jq -n --argjson inputs "$inputs" --arg layer "$BUILD_DIR/layers/busybox.json" '{
  repository: "busybox",
  tags: ["latest", "1.35", "'"$upstream"'", "stable"],
  layers: [$layer],
  config: {
    Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
    Cmd: ["sh"],
    Labels: {
      "org.opencontainers.image.title": "busybox",
      "org.opencontainers.image.version": "'"$upstream"'",
      "io.slipway.recipe": "kernel-images/images/busybox.sh",
      "io.slipway.debian.suite": "bookworm",
      "io.slipway.debian.source": ($inputs[0].name + "=" + $inputs[0].version),
      "io.slipway.debian.sources": ($inputs[0].name + "=" + $inputs[0].version)
    }
  },
  history: [
    { created_by: "ADD busybox-static_'"${version#*:}"'_i386.deb:/bin/busybox / + one link per applet, /etc/passwd, /etc/group" },
    { created_by: "CMD [\"sh\"]", empty_layer: true }
  ],
  inputs: $inputs
}' >"$BUILD_DIR/records/busybox.spec.json"
make_image "$BUILD_DIR/records/busybox.spec.json" "$BUILD_DIR/records/busybox.json"
log "busybox: $(jq -r .manifest.digest "$BUILD_DIR/records/busybox.json")"
