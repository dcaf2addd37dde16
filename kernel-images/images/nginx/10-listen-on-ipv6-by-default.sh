#!/bin/sh
# Adds an IPv6 listener next to port 80 in the shipped default server, as the official image
# does, but only when the kernel has IPv6 and the file is still exactly the one the image shipped
# (a mounted or edited default.conf is the user's to decide).
set -e

me=$(basename "$0")
conf=/etc/nginx/conf.d/default.conf
shipped=@DEFAULT_CONF_SHA256@

note() {
	if [ -z "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then
		echo "$me: $*"
	fi
}

if [ ! -f /proc/net/if_inet6 ]; then
	note "info: this kernel has no IPv6, leaving $conf as it is"
	exit 0
fi
if [ ! -f "$conf" ]; then
	note "info: $conf is not there, nothing to change"
	exit 0
fi
if ! touch "$conf" 2>/dev/null; then
	note "info: $conf cannot be written (read-only mount?), leaving it"
	exit 0
fi
if [ "$(sha256sum "$conf" | cut -d' ' -f1)" != "$shipped" ]; then
	note "info: $conf differs from the shipped one, leaving it"
	exit 0
fi
sed -i 's/^\([[:space:]]*\)listen[[:space:]]*80;$/&\n\1listen  [::]:80;/' "$conf"
note "info: $conf now listens on IPv6 too"
