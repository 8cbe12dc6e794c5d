#!/usr/bin/env bash
# Compare two databases on the server in DATABASE_URL: the same tables; in each the same row
# count and the same checksum of its rows (md5 over the rows' text, sorted); and every
# sequence at the same position. Prints one line per difference, then
#   compare: N tables, S sequences, R rows, K mismatches
# and exits 1 if K > 0.
#   ops/db_compare.sh SOURCE_DATABASE TARGET_DATABASE
set -euo pipefail
cd "$(dirname "$0")/.."
. ops/pgurl.sh

[ $# -eq 2 ] || { echo "usage: $0 SOURCE_DATABASE TARGET_DATABASE" >&2; exit 2; }
source_db="$1" target_db="$2"
: "${DATABASE_URL:?set DATABASE_URL to a database on the server holding both}"
pg_env_from_url "$DATABASE_URL"

q() { psql --no-password -X -q -tA -F $'\t' -d "$1" -c "$2"; }

tables_sql="SELECT quote_ident(table_schema) || '.' || quote_ident(table_name)
    FROM information_schema.tables
    WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
    ORDER BY 1"
# pg_sequences includes the identity columns' sequences, which Django uses for primary keys.
sequences_sql="SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) || ' ' ||
    coalesce(last_value::text, 'unused') FROM pg_sequences ORDER BY 1"

mapfile -t source_tables < <(q "$source_db" "$tables_sql")
mapfile -t target_tables < <(q "$target_db" "$tables_sql")
mapfile -t source_sequences < <(q "$source_db" "$sequences_sql")
mapfile -t target_sequences < <(q "$target_db" "$sequences_sql")
mismatches=0

if [ "${source_tables[*]}" != "${target_tables[*]}" ]; then
    echo "mismatch: the table lists differ (< only in $source_db, > only in $target_db):"
    diff <(printf '%s\n' "${source_tables[@]}") <(printf '%s\n' "${target_tables[@]}") | grep '^[<>]' || true
    mismatches=$((mismatches + 1))
fi

# One row per table: its name, row count and checksum. Sorting the rows' text first makes
# the checksum independent of the physical order pg_restore wrote them in.
checksum_sql() {
    local table
    for table in "$@"; do
        printf "SELECT '%s', count(*), coalesce(md5(string_agg(t::text, E'\\\\n' ORDER BY t::text)), '-') FROM %s t;\n" \
            "$table" "$table"
    done
}
source_sums="$(checksum_sql "${source_tables[@]}" | psql --no-password -X -q -tA -F $'\t' -d "$source_db")"
target_sums="$(checksum_sql "${source_tables[@]}" | psql --no-password -X -q -tA -F $'\t' -d "$target_db" 2>&1 || true)"
while IFS=$'\t' read -r table rows sum; do
    other="$(grep -F -- "$table"$'\t' <<<"$target_sums" | head -1 || true)"
    if [ "$other" != "$table"$'\t'"$rows"$'\t'"$sum" ]; then
        echo "mismatch: $table: source $rows rows $sum; target ${other:-missing}"
        mismatches=$((mismatches + 1))
    fi
done <<<"$source_sums"

# A sequence left behind would make the next insert collide with a restored row.
while read -r line; do
    echo "mismatch: sequence $line"
    mismatches=$((mismatches + 1))
done < <(diff <(printf '%s\n' "${source_sequences[@]}") <(printf '%s\n' "${target_sequences[@]}") |
    sed -n 's/^</in '"$source_db"':/p; s/^>/in '"$target_db"':/p')

rows_total="$(awk -F'\t' '{ s += $2 } END { print s + 0 }' <<<"$source_sums")"
echo "compare: ${#source_tables[@]} tables, ${#source_sequences[@]} sequences, $rows_total rows, $mismatches mismatches"
[ "$mismatches" -eq 0 ]
