# Sourced by the ops scripts: turn DATABASE_URL into libpq's PG* variables, so that every
# PostgreSQL tool below reaches the same server, and one database name can be swapped.
# shellcheck shell=bash

pg_env_from_url() {
    local url="${1:?a postgres:// URL}"
    case "$url" in
        postgres://* | postgresql://* | pgsql://* | psql://*) ;;
        *) echo "error: DATABASE_URL must point at PostgreSQL (postgres://…), not '${url%%:*}'" >&2; return 2 ;;
    esac
    eval "$(python3 - "$url" <<'PY'
import shlex, sys
from urllib.parse import unquote, urlsplit

url = urlsplit(sys.argv[1])
values = {
    "PGHOST": unquote(url.hostname or ""),
    "PGPORT": str(url.port or ""),
    "PGUSER": unquote(url.username or ""),
    "PGPASSWORD": unquote(url.password or ""),
    "PGDATABASE": unquote(url.path.lstrip("/")),
}
for name, value in values.items():
    print(f"export {name}={shlex.quote(value)}" if value else f"unset {name}")
PY
)"
}
