#!/usr/bin/env bash
# Backup drill: fill a scratch database (migrate, seed_demo, generate_data), back it up with ops/backup.sh,
# restore it with ops/restore.sh into a fresh database, and compare every table's row count
# and checksum and every sequence. Prints "backup drill: N tables, K mismatches"; exits
# non-zero on any mismatch. The scratch databases and the backup are removed afterwards.
# DRILL_TAMPER=1 changes one restored row before comparing, to show a difference is caught.
set -euo pipefail
cd "$(dirname "$0")/.."
. ops/pgurl.sh

base_url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/concord}"
pg_env_from_url "$base_url"
source_db="concord_drill_src_$$"
target_db="concord_drill_dst_$$"
work="$(mktemp -d)"

url_for() { python3 -c 'import sys; from urllib.parse import urlsplit
u = urlsplit(sys.argv[1]); print(u._replace(path="/" + sys.argv[2]).geturl())' "$base_url" "$1"; }

cleanup() {
    dropdb --no-password --if-exists "$source_db" 2>/dev/null || true
    dropdb --no-password --if-exists "$target_db" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

createdb --no-password "$source_db"
export DATABASE_URL
DATABASE_URL="$(url_for "$source_db")"
.venv/bin/python manage.py migrate --noinput -v 0
{
    .venv/bin/python manage.py seed_demo
    # Bulk rows too, so the checksums cover thousands of rows and not only the demo's few.
    .venv/bin/python manage.py generate_data --initiatives "${DRILL_INITIATIVES:-300}" --seed 8
} >"$work/seed.log" 2>&1 || { cat "$work/seed.log"; exit 1; }

BACKUP_ROOT="$work" ops/backup.sh
backup="$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -1)"
ops/restore.sh "$backup" "$target_db"

if [ "${DRILL_TAMPER:-0}" = "1" ]; then
    psql --no-password -X -q -d "$target_db" -c \
        "UPDATE governance_keytask SET name_en = name_en || ' (tampered)' WHERE number = 1"
fi

status=0
ops/db_compare.sh "$source_db" "$target_db" | tee "$work/compare.log" || status=$?
summary="$(tail -1 "$work/compare.log")"
tables="$(sed -E 's/^compare: ([0-9]+) tables.*/\1/' <<<"$summary")"
mismatches="$(sed -E 's/.* ([0-9]+) mismatches$/\1/' <<<"$summary")"
echo "backup drill: $tables tables, $mismatches mismatches"
exit "$status"
