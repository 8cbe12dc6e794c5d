#!/usr/bin/env bash
# Writes ops/nginx/concord.conf.template with its @NAMES@ filled in, to standard output.
#
#   ops/nginx/render.sh UPSTREAM LISTEN CACHE_DIR > /etc/nginx/conf.d/concord.conf
#   e.g. ops/nginx/render.sh 127.0.0.1:8001 80 /var/cache/nginx/concord
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: ops/nginx/render.sh UPSTREAM LISTEN CACHE_DIR" >&2; exit 2; }
template="$(dirname "$0")/concord.conf.template"
sed -e "s#@UPSTREAM@#$1#g" -e "s#@LISTEN@#$2#g" -e "s#@CACHE_DIR@#$3#g" "$template"
