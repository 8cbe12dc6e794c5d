#!/usr/bin/env bash
# A backup of the database in DATABASE_URL: the database in pg_dump's custom format plus the
# cluster's roles and tablespaces (pg_dumpall --globals-only), with checksums, in
# ${BACKUP_ROOT:-var/backups}/<UTC timestamp>/. Prints the folder it wrote.
set -euo pipefail
cd "$(dirname "$0")/.."
. ops/pgurl.sh

: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to back up}"
pg_env_from_url "$DATABASE_URL"
: "${PGDATABASE:?DATABASE_URL names no database}"

root="${BACKUP_ROOT:-var/backups}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
dir="$root/$stamp"
[ -e "$dir" ] && dir="$dir-$$"
mkdir -p "$dir"
chmod 700 "$dir"

pg_dump --format=custom --compress=6 --no-password --file="$dir/database.dump" "$PGDATABASE"

# Role passwords are only readable by a superuser; without one, the roles are kept without
# their passwords and the manifest says so.
globals_note="with role passwords"
if ! pg_dumpall --globals-only --no-password --file="$dir/globals.sql" 2>"$dir/globals.err"; then
    pg_dumpall --globals-only --no-role-passwords --no-password --file="$dir/globals.sql"
    globals_note="without role passwords (not a superuser)"
fi
rm -f "$dir/globals.err"

{
    echo "database: $PGDATABASE"
    echo "server: ${PGHOST:-local socket}:${PGPORT:-5432}"
    echo "taken: $stamp"
    echo "pg_dump: $(pg_dump --version)"
    echo "globals: $globals_note"
} >"$dir/MANIFEST"
(cd "$dir" && sha256sum database.dump globals.sql >SHA256SUMS)
chmod 600 "$dir"/*

echo "backup: $dir ($(du -sh "$dir" | cut -f1))"
