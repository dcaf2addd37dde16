# Sourced by the guest build scripts: fetches pinned Debian packages and unpacks them.
# A package list has one "name architecture version" line per package; '#' starts a comment.

# Prints the "name architecture version" lines of a package list.
packages_in() {
  grep -v '^[[:space:]]*\(#\|$\)' "$1"
}

# fetch_package NAME ARCH VERSION DEB_DIR: downloads the .deb into DEB_DIR (kept as a cache) and
# prints its path. The archive's checksums are verified by apt against the signed index.
fetch_package() {
  local name=$1 arch=$2 version=$3 deb_dir=$4
  local file="$deb_dir/${name}_${version//:/%3a}_${arch}.deb"
  if [ ! -f "$file" ]; then
    mkdir -p "$deb_dir"
    local qualified=$name
    [ "$arch" = all ] || qualified="$name:$arch"
    (cd "$deb_dir" && apt-get download -o APT::Sandbox::User=root "$qualified=$version" >&2) || {
      echo "cannot download $qualified=$version (run apt-get update; if Debian dropped this version, pin the current one)" >&2
      return 1
    }
  fi
  echo "$file"
}

# unpack_packages LIST DEB_DIR TARGET_DIR: unpacks every package of LIST into TARGET_DIR (emptied first).
unpack_packages() {
  local list=$1 deb_dir=$2 target=$3 name arch version
  rm -rf "$target"
  mkdir -p "$target"
  while read -r name arch version; do
    dpkg-deb -x "$(fetch_package "$name" "$arch" "$version" "$deb_dir")" "$target"
  done < <(packages_in "$list")
}
