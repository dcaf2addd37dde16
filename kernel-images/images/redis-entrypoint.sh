#!/bin/sh
# docker-entrypoint.sh of Slipway's redis image, shaped like the official image's.
set -e

# First argument an option or a .conf file: it is meant for redis-server.
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
	set -- redis-server "$@"
fi

if [ "$1" = 'redis-server' ]; then
	shift
	# The official image builds redis with protected mode off; Debian's keeps it on, which
	# refuses every client from another container. Options given later still win.
	if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
		config=$1
		shift
		set -- redis-server "$config" --protected-mode no "$@"
	else
		set -- redis-server --protected-mode no "$@"
	fi
	# Run as the redis user (uid 999, as in the official image) unless started with --user.
	if [ "$(id -u)" = '0' ]; then
		find . \! -user redis -exec chown redis '{}' +
		exec setpriv --reuid=redis --regid=redis --init-groups "$@"
	fi
fi

exec "$@"
