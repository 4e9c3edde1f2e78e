#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: initdb into a temporary folder, a private port, a unix socket in
# that folder, a CustDesk role that is NOT a superuser (it may create databases: each test gets its own).
#
#   eval "$(tools/pg_test_server.sh start)"   # prints: export CUSTDESK_TEST_PG_URL=...; export CUSTDESK_TEST_PG_DIR=...
#   tools/pg_test_server.sh stop "$CUSTDESK_TEST_PG_DIR"
#
# Needs Debian's `postgresql` package (the server binaries in /usr/lib/postgresql/<version>/bin). The
# server refuses to run as root: as root the folder belongs to the `postgres` account and the server runs
# as it (runuser); as any other user it runs as that user.
set -euo pipefail

bin_dir() {
    local d
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && { echo "$d"; return 0; }
    done
    echo "pg_test_server: no PostgreSQL server binaries (install Debian's postgresql package)" >&2
    return 1
}

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
    local bin dir port
    bin=$(bin_dir)
    dir=$(mktemp -d /tmp/custdesk-pg.XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    port=${CUSTDESK_TEST_PG_PORT:-$((20000 + RANDOM % 20000))}
    # autovacuum off: its ANALYZE is a transaction, which moves the server's change token
    # (custdesk/core/storage/changes.py) in the middle of a test that counts how often the list is read.
    # C.UTF-8: Unicode letter case for lower() and pg_trgm (Cyrillic, Persian), the same on every machine.
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 -c autovacuum=off" start >&2
    as_owner "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE custdesk LOGIN CREATEDB NOSUPERUSER PASSWORD 'custdesk'" >&2
    echo "export CUSTDESK_TEST_PG_DIR=$dir"
    echo "export CUSTDESK_TEST_PG_URL=postgresql://custdesk:custdesk@127.0.0.1:$port/postgres"
}

stop() {
    local bin dir=${1:?folder of the server}
    bin=$(bin_dir)
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
    rm -rf "$dir"
}

case "${1:-}" in
start) start ;;
stop) stop "${2:-}" ;;
*) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
