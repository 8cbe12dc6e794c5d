#!/usr/bin/env bash
# Restore a backup made by ops/backup.sh into a new database on the server in DATABASE_URL:
#   ops/restore.sh var/backups/<timestamp> <database name>
# The target must not exist yet (nothing is overwritten); the checksums are verified first.
# RESTORE_GLOBALS=1 also replays the roles (on a new server; an existing role is an error
# that is reported and skipped).
set -euo pipefail
cd "$(dirname "$0")/.."
. ops/pgurl.sh

usage() { echo "usage: $0 BACKUP_DIR TARGET_DATABASE" >&2; exit 2; }
[ $# -eq 2 ] || usage
dir="${1%/}" target="$2"
[ -f "$dir/database.dump" ] || { echo "error: $dir/database.dump not found" >&2; exit 2; }
[[ "$target" =~ ^[A-Za-z_][A-Za-z0-9_]{0,62}$ ]] || {
    echo "error: '$target' is not a plain database name (letters, digits, _)" >&2
    exit 2
}

: "${DATABASE_URL:?set DATABASE_URL to a database on the server to restore onto}"
pg_env_from_url "$DATABASE_URL"

(cd "$dir" && sha256sum --quiet --check SHA256SUMS) || { echo "error: checksums do not match" >&2; exit 1; }

exists="$(psql --no-password -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$target'")"
if [ "$exists" = "1" ]; then
    echo "error: database $target already exists; choose a new name or drop it first" >&2
    exit 1
fi

if [ "${RESTORE_GLOBALS:-0}" = "1" ]; then
    psql --no-password -d postgres -q -f "$dir/globals.sql" || echo "note: some roles already existed" >&2
fi

createdb --no-password --template=template0 "$target"
pg_restore --no-password --exit-on-error --single-transaction --dbname="$target" "$dir/database.dump"
echo "restore: $dir -> $target"
