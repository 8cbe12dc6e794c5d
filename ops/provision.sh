#!/usr/bin/env bash
# Provide what a Concord command needs on a Debian machine of the kind CI runs on, then run it.
#
#   ops/provision.sh NEED... [-- COMMAND [ARGS...]]
#
#   gettext   msgfmt, which compiles the translation catalogues
#   npm       npm, which installs the map's country shapes (make shapes)
#   chromium  Debian's chromium at $CHROMIUM (default /usr/bin/chromium), for the browser tests
#   redis     a Redis answering on 127.0.0.1:6379, for the worker and cache tests
#   nginx     Debian's nginx at $NGINX (default /usr/sbin/nginx), for the shared-cache test (the
#             test runs its own nginx; no site is configured or started here)
#   database  start the PostgreSQL cluster on 127.0.0.1:$PGPORT (default 5432) if it is installed
#             and down, then choose the tests' database: DATABASE_URL when it is set, that
#             PostgreSQL when it answers, SQLite otherwise; one line says which
#   replication  let the PostgreSQL cluster on 127.0.0.1:$PGPORT serve a streaming replica from
#             127.0.0.1 (pg_basebackup), for the read-replica test: a line in its pg_hba.conf
#             and a reload, never a restart; nothing when no PostgreSQL answers
#
# A missing package is installed with apt-get when we are root. When it cannot be, the script
# stops with one line naming what to install, and a non-zero status. COMMAND then runs with
# DATABASE_URL as chosen.
set -euo pipefail

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
NGINX="${NGINX:-/usr/sbin/nginx}"
PGPORT="${PGPORT:-5432}"
REDIS_PORT=6379

say() { printf '%s\n' "$*" >&2; }
stop() {
    say "$*"
    exit 1
}
is_root() { [ "$(id -u)" = 0 ]; }

apt_updated=""
apt_install() {
    # Quiet unless it fails: then apt-get's own words, and a line naming the package.
    local log
    log="$(mktemp)"
    export DEBIAN_FRONTEND=noninteractive
    if { [ -n "$apt_updated" ] || apt-get update -qq; } >"$log" 2>&1 && apt-get install -y -qq "$@" >>"$log" 2>&1; then
        apt_updated=1
        rm -f "$log"
        return
    fi
    cat "$log" >&2
    rm -f "$log"
    stop "apt-get could not install $*"
}

need_gettext() {
    command -v msgfmt >/dev/null && return
    is_root || stop "the translations need GNU gettext (msgfmt): install Debian's gettext package (apt-get install gettext)"
    say "installing gettext with apt-get"
    apt_install gettext
}

need_npm() {
    command -v npm >/dev/null && return
    is_root || stop "the map's tests need npm to install its country shapes: install Debian's npm package (apt-get install npm)"
    say "installing npm with apt-get"
    apt_install npm
}

need_chromium() {
    if [ ! -x "$CHROMIUM" ]; then
        is_root || stop "the browser tests need Chromium at $CHROMIUM: install Debian's chromium package (apt-get install chromium)"
        say "installing chromium with apt-get"
        apt_install chromium
        [ -x "$CHROMIUM" ] || stop "apt-get installed chromium, but there is still no $CHROMIUM"
    fi
    # Chinese glyphs, so that the screenshots of pages in Chinese show text, not boxes.
    if [ -z "$(fc-list :lang=zh 2>/dev/null)" ] && is_root; then
        say "installing a Chinese font (fonts-noto-cjk) with apt-get"
        (apt_install fonts-noto-cjk) || say "fonts-noto-cjk could not be installed: Chinese shows as boxes in screenshots"
    fi
}

redis_answers() {
    local reply=""
    { exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT"; } 2>/dev/null || return 1
    printf 'PING\r\n' >&3
    IFS= read -r -t 2 reply <&3 || true
    exec 3<&-
    [ "${reply%$'\r'}" = "+PONG" ]
}

need_redis() {
    redis_answers && return
    if ! command -v redis-server >/dev/null; then
        is_root || stop "the worker and cache tests need Redis on 127.0.0.1:$REDIS_PORT: install Debian's redis-server package (apt-get install redis-server)"
        say "installing redis-server with apt-get"
        apt_install redis-server
        redis_answers && return
    fi
    is_root || stop "the worker and cache tests need Redis on 127.0.0.1:$REDIS_PORT: start redis-server, or run this as root"
    say "starting Redis on 127.0.0.1:$REDIS_PORT"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null
    for _ in $(seq 30); do redis_answers && return; sleep 1; done
    stop "Redis did not start on 127.0.0.1:$REDIS_PORT; see /var/log/redis/ci.log"
}

need_nginx() {
    [ -x "$NGINX" ] && return
    is_root || stop "the shared-cache test needs nginx at $NGINX: install Debian's nginx package (apt-get install nginx)"
    say "installing nginx with apt-get"
    apt_install nginx
    [ -x "$NGINX" ] || stop "apt-get installed nginx, but there is still no $NGINX"
}

pg_answers() {
    if command -v pg_isready >/dev/null; then
        pg_isready -q -h 127.0.0.1 -p "$PGPORT"
    else
        { exec 4<>"/dev/tcp/127.0.0.1/$PGPORT"; } 2>/dev/null && exec 4<&-
    fi
}

need_database() {
    local cluster
    if ! pg_answers && is_root && command -v pg_lsclusters >/dev/null; then
        # The cluster Debian's postgresql package made for this port, if it is down.
        cluster="$(pg_lsclusters -h 2>/dev/null | awk -v port="$PGPORT" '$3 == port && $4 == "down" { print $1, $2; exit }' || true)"
        if [ -n "$cluster" ]; then
            say "starting PostgreSQL $cluster on port $PGPORT"
            # shellcheck disable=SC2086 # version and name, two words
            pg_ctlcluster --skip-systemctl-redirect $cluster start
            for _ in $(seq 30); do pg_answers && break; sleep 1; done
        fi
    fi
    if [ -n "${DATABASE_URL:-}" ]; then
        local shown
        shown="$(printf '%s' "$DATABASE_URL" | sed -E 's#(://[^:/@]*):[^@/]*@#\1:***@#')"
        case "$DATABASE_URL" in
            postgres://* | postgresql://* | pgsql://* | psql://*) say "tests on PostgreSQL: $shown (DATABASE_URL)" ;;
            sqlite:*) say "tests on SQLite: $shown (DATABASE_URL); the PostgreSQL-only tests are skipped" ;;
            *) say "tests on $shown (DATABASE_URL)" ;;
        esac
    elif pg_answers; then
        export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/concord"
        say "tests on PostgreSQL: $DATABASE_URL (it answers on 127.0.0.1:$PGPORT; DATABASE_URL chooses another)"
    else
        say "tests on SQLite: no PostgreSQL answers on 127.0.0.1:$PGPORT, so the PostgreSQL-only tests are skipped (DATABASE_URL chooses one)"
    fi
}

REPLICATION_RULE="host replication all 127.0.0.1/32 trust"

replication_answers() {
    psql "host=127.0.0.1 port=$PGPORT user=postgres dbname=replication replication=true" \
        -Atc "IDENTIFY_SYSTEM" >/dev/null 2>&1
}

need_replication() {
    pg_answers || return 0
    command -v psql >/dev/null || stop "the read-replica test needs psql: install Debian's postgresql-client package"
    local setting
    setting="$(psql -h 127.0.0.1 -p "$PGPORT" -U postgres -Atc "SHOW wal_level" 2>/dev/null || true)"
    [ "$setting" != minimal ] || stop "the read-replica test needs wal_level = replica on the cluster on port $PGPORT (a restart applies it)"
    setting="$(psql -h 127.0.0.1 -p "$PGPORT" -U postgres -Atc "SHOW max_wal_senders" 2>/dev/null || echo 0)"
    [ "$setting" -gt 0 ] || stop "the read-replica test needs max_wal_senders > 0 on the cluster on port $PGPORT (a restart applies it)"
    replication_answers && return
    local hba
    hba="$(psql -h 127.0.0.1 -p "$PGPORT" -U postgres -Atc "SHOW hba_file" 2>/dev/null || true)"
    is_root && [ -w "$hba" ] \
        || stop "the read-replica test needs replication connections from 127.0.0.1 on port $PGPORT: add '$REPLICATION_RULE' to the cluster's pg_hba.conf and reload it, or run this as root"
    if ! grep -qxF "$REPLICATION_RULE" "$hba"; then
        say "allowing replication connections from 127.0.0.1 in $hba, and reloading PostgreSQL"
        # First, so that no earlier line refuses these connections.
        { printf '# Streaming replicas on this machine (Concord'"'"'s read-replica test, ops/provision.sh)\n%s\n' "$REPLICATION_RULE"; cat "$hba"; } >"$hba.concord" \
            && cat "$hba.concord" >"$hba" && rm -f "$hba.concord"
    fi
    psql -h 127.0.0.1 -p "$PGPORT" -U postgres -Atc "SELECT pg_reload_conf()" >/dev/null
    for _ in $(seq 10); do replication_answers && return; sleep 1; done
    stop "PostgreSQL on port $PGPORT still refuses replication connections from 127.0.0.1; see $hba"
}

while [ $# -gt 0 ]; do
    case "$1" in
        gettext | npm | chromium | redis | nginx | database | replication) "need_$1" ;;
        --)
            shift
            break
            ;;
        *) stop "ops/provision.sh: unknown need '$1' (gettext, npm, chromium, redis, nginx, database, replication)" ;;
    esac
    shift
done
[ $# -eq 0 ] || exec "$@"
