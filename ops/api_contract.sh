#!/usr/bin/env bash
# The API contract: schemathesis runs every one of its checks (`--checks all`) against
# /api/schema/ for three callers: anonymous, the demo contributor's token and the demo
# curator's token. The server is gunicorn on a free port over a fresh database holding the
# demo data (manage.py seed_demo); every response must be documented and match the schema,
# schema-valid requests must be accepted and invalid ones refused, and none may be a
# server error.
#
# Usage: ops/api_contract.sh [more schemathesis options, e.g. --max-examples 50]
# What no schema can say (a record named in a request may not exist, say) is in
# ops/schemathesis.toml.
# Environment: DATABASE_URL names the PostgreSQL server (and by default, with the name
# concord_api_contract, the database to make afresh: API_CONTRACT_DB_URL overrides it);
# VENV is the virtualenv (.venv); API_CONTRACT_SEED the random seed (2026).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${VENV:-.venv}"
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL server to use}"
DB_URL="${API_CONTRACT_DB_URL:-${DATABASE_URL%/*}/concord_api_contract}"
SEED="${API_CONTRACT_SEED:-2026}"
DEMO_PASSWORD="concord-demo-2026"

"$VENV/bin/python" - "$DB_URL" <<'PY'
import sys

import psycopg

url = sys.argv[1]
server, name = url.rsplit("/", 1)
with psycopg.connect(server + "/postgres", autocommit=True) as connection:
    connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.execute(f'CREATE DATABASE "{name}"')
PY

PORT="$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
LOG="$(mktemp -d)"
server_env=(env DATABASE_URL="$DB_URL" DJANGO_SETTINGS_MODULE=config.settings.local DEBUG=False
    API_THROTTLE_ANON=1000000/minute API_THROTTLE_USER=1000000/minute AXES_FAILURE_LIMIT=1000000)
"${server_env[@]}" "$VENV/bin/python" manage.py migrate --noinput -v0
"${server_env[@]}" "$VENV/bin/python" manage.py seed_demo >/dev/null
"${server_env[@]}" "$VENV/bin/gunicorn" config.wsgi --bind "127.0.0.1:$PORT" --workers 2 --threads 4 \
    --access-logfile "$LOG/access.log" >"$LOG/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true' EXIT

token() {  # a token of a demo account, once the server answers
    "$VENV/bin/python" - "$BASE" "$1" "$DEMO_PASSWORD" <<'PY'
import json
import sys
import time
import urllib.request

base, username, password = sys.argv[1:]
body = json.dumps({"username": username, "password": password, "name": "api contract"}).encode()
for _ in range(60):
    try:
        request = urllib.request.Request(
            base + "/api/v1/auth/token/", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request) as response:  # noqa: S310
            print(json.load(response)["token"])
            break
    except OSError:
        time.sleep(1)
else:
    sys.exit("the API server did not answer")
PY
}
CONTRIBUTOR_TOKEN="$(token contributor)"
CURATOR_TOKEN="$(token curator)"

contract() {  # contract <who> [schemathesis options...]
    local who="$1" before after status=0
    shift
    before="$(wc -l <"$LOG/access.log")"
    "$VENV/bin/schemathesis" --config-file ops/schemathesis.toml run "$BASE/api/schema/" --checks all \
        --max-examples 20 --workers 1 --seed "$SEED" --request-timeout 30 --generation-database none \
        "$@" || status=$?
    after="$(wc -l <"$LOG/access.log")"
    echo "schemathesis ($who): $((after - before)) requests, exit status $status"
    return "$status"
}

failed=0
contract anonymous "$@" || failed=1
# With a token, revoking it would leave the rest of the run anonymous.
contract "contributor token" -H "Authorization: Token $CONTRIBUTOR_TOKEN" \
    --exclude-operation-id auth_token_destroy "$@" || failed=1
contract "curator token" -H "Authorization: Token $CURATOR_TOKEN" \
    --exclude-operation-id auth_token_destroy "$@" || failed=1
if [ "$failed" -ne 0 ]; then
    echo "server log: $LOG/server.log" >&2
else
    rm -rf "$LOG"
fi
exit "$failed"
