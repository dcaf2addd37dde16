#!/bin/sh
# /docker-entrypoint.sh of Slipway's nginx image, with the official image's behaviour: before
# nginx (or nginx-debug) starts, the scripts in /docker-entrypoint.d/ adjust the configuration
# in name order (*.sh run when executable, *.envsh sourced so their variables reach nginx);
# any other command runs untouched. NGINX_ENTRYPOINT_QUIET_LOGS=1 silences these lines.
set -e

say() {
	if [ -z "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then
		echo "$@"
	fi
}

configure() {
	if [ -z "$(find /docker-entrypoint.d/ -mindepth 1 -maxdepth 1 -type f 2>/dev/null | head -n 1)" ]; then
		say "$0: No files found in /docker-entrypoint.d/, skipping configuration"
		return
	fi
	say "$0: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"
	say "$0: Looking for shell scripts in /docker-entrypoint.d/"
	# A here-document, not a pipe: sourced .envsh files must change this shell, not a subshell.
	scripts=$(find -L /docker-entrypoint.d/ -type f | sort -V)
	while read -r script; do
		[ -n "$script" ] || continue
		case "$script" in
		*.envsh)
			if [ -x "$script" ]; then
				say "$0: Sourcing $script"
				. "$script"
			else
				say "$0: Ignoring $script, not executable"
			fi
			;;
		*.sh)
			if [ -x "$script" ]; then
				say "$0: Launching $script"
				"$script"
			else
				say "$0: Ignoring $script, not executable"
			fi
			;;
		*) say "$0: Ignoring $script" ;;
		esac
	done <<SCRIPTS
$scripts
SCRIPTS
	say "$0: Configuration complete; ready for start up"
}

if [ "$1" = nginx ] || [ "$1" = nginx-debug ]; then
	configure
fi

exec "$@"
