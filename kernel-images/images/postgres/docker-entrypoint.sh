#!/usr/bin/env bash
# docker-entrypoint.sh of Slipway's postgres image, with the official image's behaviour:
#   postgres [ARGS] (or ARGS starting with an option): on the first start, initdb makes the
#     cluster in $PGDATA for POSTGRES_USER/POSTGRES_PASSWORD, creates POSTGRES_DB and runs
#     /docker-entrypoint-initdb.d/ (*.sh, *.sql, *.sql.gz); then the server runs as postgres;
#   anything else (psql, bash, echo ...) runs as given, so data-only containers work.
# Every POSTGRES_* variable below may come from a file instead (POSTGRES_PASSWORD_FILE=...).
set -Eeo pipefail

# VAR from $VAR or from the file named by ${VAR}_FILE (Docker secrets), not both.
from_env_or_file() {
	local name=$1 default=${2:-} file_name="${1}_FILE"
	if [ -n "${!name:-}" ] && [ -n "${!file_name:-}" ]; then
		echo "error: both $name and $file_name are set; give one of them" >&2
		exit 1
	fi
	local value=$default
	if [ -n "${!name:-}" ]; then
		value=${!name}
	elif [ -n "${!file_name:-}" ]; then
		value=$(<"${!file_name}")
	fi
	export "$name=$value"
	unset "$file_name"
}

# True when the server is only asked about itself (no cluster needed, nothing to set up).
only_asks() {
	local arg
	for arg; do
		case "$arg" in
		-'?' | --help | --describe-config | -V | --version) return 0 ;;
		esac
	done
	return 1
}

# Root: make the directories the server needs and give them to postgres, then come back here
# as postgres (setpriv is util-linux's; the official image uses gosu).
become_postgres() {
	mkdir -p "$PGDATA"
	chmod 00700 "$PGDATA" || :
	mkdir -p /var/run/postgresql
	chmod 03775 /var/run/postgresql || :
	if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
		mkdir -p "$POSTGRES_INITDB_WALDIR"
		find "$POSTGRES_INITDB_WALDIR" \! -user postgres -exec chown postgres '{}' +
		chmod 700 "$POSTGRES_INITDB_WALDIR"
	fi
	find "$PGDATA" /var/run/postgresql \! -user postgres -exec chown postgres '{}' +
	exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
}

refuse_without_password() {
	cat >&2 <<-'TEXT'
		Error: there is no database yet and no password for its superuser.
		       Set POSTGRES_PASSWORD to a non-empty value, for example with
		       "-e POSTGRES_PASSWORD=secret" on "docker run".

		       Or set POSTGRES_HOST_AUTH_METHOD=trust to let every connection in
		       without any password. Anyone who can reach the port then owns the
		       database: do that only for throwaway experiments.
		       https://www.postgresql.org/docs/current/auth-trust.html
	TEXT
	exit 1
}

warn_trust() {
	cat >&2 <<-'TEXT'
		WARNING: POSTGRES_HOST_AUTH_METHOD=trust: connections from other hosts and
		         containers need no password at all. Fine for a throwaway experiment,
		         not for anything reachable by others.
	TEXT
}

init_cluster() {
	if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
		set -- --waldir "$POSTGRES_INITDB_WALDIR" "$@"
	fi
	# The password goes through a pipe, never the command line (ps would show it).
	# shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of initdb options
	initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
		"$@" $POSTGRES_INITDB_ARGS
}

# Connections from outside the container: scram-sha-256 when a password was set, unless
# POSTGRES_HOST_AUTH_METHOD says otherwise.
allow_remote_hosts() {
	local method=${POSTGRES_HOST_AUTH_METHOD:-}
	if [ -z "$method" ]; then
		method=$([ -n "$POSTGRES_PASSWORD" ] && echo scram-sha-256 || echo trust)
	fi
	printf '\nhost all all all %s\n' "$method" >>"$PGDATA/pg_hba.conf"
}

# psql against the temporary server, as the superuser; extra arguments pass through. Statements
# with :'var' go through stdin: psql expands variables there, not in -c.
init_psql() {
	psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc "$@"
}

run_init_files() {
	local file
	for file in /docker-entrypoint-initdb.d/*; do
		[ -e "$file" ] || continue
		case "$file" in
		*.sh)
			if [ -x "$file" ]; then
				echo "$0: running $file"
				"$file"
			else
				echo "$0: sourcing $file"
				# shellcheck disable=SC1090 # user-supplied
				. "$file"
			fi
			;;
		*.sql)
			echo "$0: running $file"
			init_psql --dbname "$POSTGRES_DB" -f "$file"
			;;
		*.sql.gz)
			echo "$0: running $file"
			gunzip -c "$file" | init_psql --dbname "$POSTGRES_DB"
			;;
		*) echo "$0: ignoring $file" ;;
		esac
		echo
	done
}

first_start() {
	if [ -z "$POSTGRES_PASSWORD" ] && [ "${POSTGRES_HOST_AUTH_METHOD:-}" != trust ]; then
		refuse_without_password
	fi
	if [ "${POSTGRES_HOST_AUTH_METHOD:-}" = trust ]; then
		warn_trust
	fi
	init_cluster
	allow_remote_hosts

	# A server on the socket only, so nothing outside sees the database half made.
	PGUSER=$POSTGRES_USER pg_ctl -D "$PGDATA" -w -o "-c listen_addresses='' -p ${PGPORT:-5432}" start
	if [ "$POSTGRES_DB" != postgres ] &&
		[ -z "$(init_psql --dbname postgres -tA -v db="$POSTGRES_DB" <<<"SELECT 1 FROM pg_database WHERE datname = :'db';")" ]; then
		init_psql --dbname postgres -v db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
		echo
	fi
	run_init_files
	PGUSER=$POSTGRES_USER pg_ctl -D "$PGDATA" -m fast -w stop

	echo
	echo 'PostgreSQL init process complete; ready for start up.'
	echo
}

if [ "${1:0:1}" = '-' ]; then
	set -- postgres "$@"
fi

if [ "$1" = postgres ] && ! only_asks "$@"; then
	from_env_or_file POSTGRES_PASSWORD
	from_env_or_file POSTGRES_USER postgres
	from_env_or_file POSTGRES_DB "$POSTGRES_USER"
	from_env_or_file POSTGRES_INITDB_ARGS
	export POSTGRES_HOST_AUTH_METHOD=${POSTGRES_HOST_AUTH_METHOD:-}

	if [ "$(id -u)" = 0 ]; then
		become_postgres "$@"
	fi
	if [ -s "$PGDATA/PG_VERSION" ]; then
		echo
		echo 'PostgreSQL Database directory appears to contain a database; Skipping initialization'
		echo
	else
		first_start
	fi
fi

exec "$@"
