#!/usr/bin/env bash
# Builds slipway-agent.
#   build.sh          -> out/slipway-agent         static, stripped i386 (the guest binary)
#   build.sh native   -> out/slipway-agent-native  host architecture, for the native tests
# Reproducible: the build id is a hash of the sources, paths are mapped, nothing embeds a time.
set -euo pipefail
cd "$(dirname "$0")"

mode="${1:-i386}"
sources=$(LC_ALL=C ls src/*.c src/*.h | LC_ALL=C sort)
build_id=$(cat $sources | sha256sum | cut -c1-12)
cflags=(-std=gnu11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE "-DAGENT_BUILD_ID=\"$build_id\""
	"-ffile-prefix-map=$PWD=." -fno-ident)
c_files=$(LC_ALL=C ls src/*.c | LC_ALL=C sort)
mkdir -p out

export SOURCE_DATE_EPOCH=0 LC_ALL=C TZ=UTC

case "$mode" in
native)
	gcc "${cflags[@]}" -o out/slipway-agent-native $c_files
	echo "out/slipway-agent-native ($build_id)"
	;;
i386)
	if ! echo 'int main(void){return 0;}' | gcc -m32 -static -x c -o /dev/null - 2>/dev/null; then
		if [ "$(id -u)" = 0 ]; then
			apt-get install -y gcc-multilib libc6-dev-i386
		else
			echo "build.sh: gcc cannot build static i386 binaries; install gcc-multilib and libc6-dev-i386 (as root: apt-get install -y gcc-multilib libc6-dev-i386)" >&2
			exit 1
		fi
	fi
	gcc -m32 -static "${cflags[@]}" -Wl,--build-id=none -o out/slipway-agent $c_files
	strip --strip-all out/slipway-agent
	echo "out/slipway-agent ($build_id, $(stat -c %s out/slipway-agent) bytes)"
	;;
*)
	echo "usage: build.sh [native]" >&2
	exit 2
	;;
esac
