#!/usr/bin/env bash
# `make run`: the site, a Celery worker and beat together, for development.
#
#   ops/serve.sh [HOST:PORT]        (BIN: the virtualenv's bin directory, default .venv/bin)
#
# INT, TERM or HUP (Ctrl-C, kill, a closing terminal, a process manager) stops all three once:
# the handler is reset before it signals, and it signals its own three children only, never a
# process group, so no signal comes back to it. Each child runs in a session of its own, so a
# signal sent to the whole group (Ctrl-C, a closing terminal) reaches them through this script
# alone, once: the worker then stops its pool itself instead of seeing it killed under it.
# When one of the three ends, the others are stopped too.
set -u
cd "$(dirname "$0")/.."

BIN="${BIN:-.venv/bin}"
HOST="${1:-127.0.0.1:8000}"
children=()

stop() {
    trap - INT TERM HUP EXIT
    kill -TERM "${children[@]}" 2>/dev/null
    wait "${children[@]}" 2>/dev/null
    exit "$1"
}
# Asked to stop: a success. One of the three ending on its own: its status.
trap 'stop 0' INT TERM HUP
trap 'stop $?' EXIT

setsid "$BIN/celery" -A config worker --loglevel INFO --concurrency 2 &
children+=($!)
setsid "$BIN/celery" -A config beat --loglevel INFO &
children+=($!)
setsid "$BIN/python" manage.py runserver "$HOST" &
children+=($!)

wait -n
stop $?
