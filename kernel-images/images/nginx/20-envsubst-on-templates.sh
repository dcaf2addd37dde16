#!/bin/sh
# Renders /etc/nginx/templates/**/*.template into /etc/nginx/conf.d/ (the official image's
# templating): ${VAR} is replaced by the environment's value, for defined variables only, so
# nginx's own $variables pass through. NGINX_ENVSUBST_TEMPLATE_DIR, _SUFFIX and
# NGINX_ENVSUBST_OUTPUT_DIR change the places, as upstream.
set -e

me=$(basename "$0")
templates=${NGINX_ENVSUBST_TEMPLATE_DIR:-/etc/nginx/templates}
suffix=${NGINX_ENVSUBST_TEMPLATE_SUFFIX:-.template}
output=${NGINX_ENVSUBST_OUTPUT_DIR:-/etc/nginx/conf.d}

note() {
	if [ -z "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then
		echo "$me: $*"
	fi
}

[ -d "$templates" ] || exit 0
if [ ! -w "$output" ]; then
	note "error: $output is not writable, templates not rendered" >&2
	exit 0
fi

# Only names the environment defines, in envsubst's '${A} ${B}' form.
defined=$(awk 'BEGIN { for (name in ENVIRON) if (name ~ /^[A-Za-z_][A-Za-z0-9_]*$/) printf "${%s} ", name }')
find "$templates" -follow -type f -name "*$suffix" -print | sort | while read -r template; do
	relative=${template#"$templates"/}
	target="$output/${relative%"$suffix"}"
	mkdir -p "$(dirname "$target")"
	note "info: rendering $template into $target"
	envsubst "$defined" <"$template" >"$target"
done
