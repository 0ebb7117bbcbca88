#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for tests, CI and benchmarks, from Debian's binaries
# (apt-get install postgresql): initdb into a temporary folder, trust auth for user postgres.
#
#   scripts/postgres.sh start | stop | restart | status | reset
#
# Idempotent: `start` on a running cluster returns at once. Data lives in $PG_RUN_DIR (default
# /tmp/qa-screen-postgres); the port is $PG_PORT (default 5432). `start` ends by printing the
# connection URL on stdout; progress goes to stderr. initdb refuses to run as root, so as root the
# cluster runs as the `postgres` user the Debian package creates.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
RUN="${PG_RUN_DIR:-/tmp/qa-screen-postgres}"
PORT="${PG_PORT:-5432}"

NAME=postgres.sh
# shellcheck source=lib.sh
. "$HERE/lib.sh"

bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return; fi
  done
  log "PostgreSQL server binaries not found (apt-get install postgresql)"
  exit 1
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

url() { echo "postgres://postgres@127.0.0.1:$PORT/postgres"; }

running() { [ -f "$RUN/data/postmaster.pid" ] && as_owner "$(bindir)/pg_ctl" -D "$RUN/data" status >/dev/null 2>&1; }

start() {
  if running && port_open "$PORT"; then
    log "already running ($RUN, 127.0.0.1:$PORT)"
    url
    return
  fi
  if port_open "$PORT"; then
    log "port $PORT is taken by another process; set PG_PORT (or use that server with DATABASE_URL)"
    exit 1
  fi
  local bin; bin="$(bindir)"
  mkdir -p "$RUN"
  if [ "$(id -u)" = 0 ]; then chown postgres "$RUN"; fi
  if [ ! -f "$RUN/data/PG_VERSION" ]; then
    log "initdb into $RUN/data"
    as_owner "$bin/initdb" -D "$RUN/data" -U postgres --auth=trust -E UTF8 --locale=C >"$RUN/initdb.log" 2>&1 \
      || { cat "$RUN/initdb.log" >&2; exit 1; }
  fi
  log "starting on 127.0.0.1:$PORT (log: $RUN/postgres.log)"
  as_owner "$bin/pg_ctl" -D "$RUN/data" -l "$RUN/postgres.log" -w -t 60 \
    -o "-p $PORT -k $RUN -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" start >&2 \
    || { tail -n 40 "$RUN/postgres.log" >&2; exit 1; }
  url
}

stop() {
  if ! running; then log "not running"; return; fi
  as_owner "$(bindir)/pg_ctl" -D "$RUN/data" -m fast -w stop >&2
  log "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status)
    if running && port_open "$PORT"; then echo "running $RUN 127.0.0.1:$PORT"; else echo "stopped"; exit 3; fi ;;
  reset) stop; rm -rf "$RUN"; log "data removed" ;;
  *) echo "usage: $0 start|stop|restart|status|reset" >&2; exit 2 ;;
esac
