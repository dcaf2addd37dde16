#!/bin/sh
# docker-entrypoint.sh of Slipway's redis image: behaves like the official image's.
#   redis-server [ARGS], or ARGS starting with an option or a .conf file -> the server, run as
#   the redis user when started as root (after giving /data to it);
#   anything else (redis-cli, sh, ...) -> run as given.
set -e

# `docker run redis --appendonly yes` or `docker run redis /etc/redis.conf`: arguments for the server.
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
	set -- redis-server "$@"
fi

if [ "$1" = 'redis-server' ]; then
	# Root: hand the working directory (the /data volume) to redis, then come back here as redis
	# (setpriv is util-linux's; the official image uses gosu) so the rest runs unprivileged.
	# `docker run --user ...` skips this.
	if [ "$(id -u)" = '0' ]; then
		find . \! -user redis -exec chown redis '{}' +
		exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
	fi

	# The official image's redis is compiled with protected mode off, so other containers can
	# connect; Debian's is not. Say it on the command line, after the config file if one comes
	# first (unless that file sets protected-mode itself), and not when the server is only asked
	# about itself: --version, --help and the like must be its only argument. "-" (a config on
	# stdin) is left alone rather than read here.
	case "${2:-}" in
	-v | --version | -h | --help | --test-memory | --check-system | -) ;;
	'' | -*)
		shift
		set -- redis-server --protected-mode no "$@"
		;;
	*)
		if ! grep -Eqi '^[[:space:]]*protected-mode[[:space:]]' "$2" 2>/dev/null; then
			config=$2
			shift 2
			set -- redis-server "$config" --protected-mode no "$@"
		fi
		;;
	esac

	# Files the server writes (dump.rdb, appendonly) are its own, as in the official image.
	if [ "$(umask)" = '0022' ]; then
		umask 0077
	fi
fi

exec "$@"
