#!/usr/bin/env bash
# An S3-API server (S3Proxy, filesystem backend) on 127.0.0.1 for tests and CI, run from Maven
# Central jars with `java -cp`. AWS SigV4-signed requests are required, so auth is exercised.
#
#   scripts/s3.sh start | stop | restart | status | fetch | reset
#
# Idempotent. Jars cached in $QA_CACHE_DIR (default ~/.cache/qa-screen); objects in $S3_RUN_DIR.
# `start` prints the endpoint URL on stdout. Credentials: $S3_ACCESS_KEY / $S3_SECRET_KEY.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
CACHE="${QA_CACHE_DIR:-$HOME/.cache/qa-screen}"
LIBS="$CACHE/s3proxy-libs-2.7.0"
RUN="${S3_RUN_DIR:-$CACHE/s3-run}"
PORT="${S3_PORT:-19000}"
ACCESS_KEY="${S3_ACCESS_KEY:-qa-screen}"
SECRET_KEY="${S3_SECRET_KEY:-qa-screen-secret}"
START_TIMEOUT="${S3_START_TIMEOUT:-60}"

NAME=s3.sh
# shellcheck source=lib.sh
. "$HERE/lib.sh"

fetch() { maven_fetch "$HERE/s3/pom.xml" "$LIBS"; }


start() {
  if pid_alive "$RUN/s3proxy.pid" && port_open "$PORT"; then
    log "already running (pid $(cat "$RUN/s3proxy.pid"), http://127.0.0.1:$PORT)"
    echo "http://127.0.0.1:$PORT"
    return
  fi
  if port_open "$PORT"; then log "port $PORT is taken by another process; set S3_PORT"; exit 1; fi
  fetch
  mkdir -p "$RUN/data"
  cat > "$RUN/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$PORT
s3proxy.authorization=aws-v4
s3proxy.identity=$ACCESS_KEY
s3proxy.credential=$SECRET_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$RUN/data
PROPS
  log "starting S3Proxy on http://127.0.0.1:$PORT (log: $RUN/s3proxy.log)"
  nohup java -Xmx256m -XX:+UseSerialGC -cp "$LIBS/*" org.gaul.s3proxy.Main --properties "$RUN/s3proxy.properties" \
    >"$RUN/s3proxy.log" 2>&1 &
  echo $! >"$RUN/s3proxy.pid"
  local waited=0
  until port_open "$PORT"; do
    if ! pid_alive "$RUN/s3proxy.pid"; then log "S3Proxy exited during start-up:"; tail -n 30 "$RUN/s3proxy.log" >&2; exit 1; fi
    if [ "$waited" -ge "$((START_TIMEOUT * 5))" ]; then log "not up within ${START_TIMEOUT}s"; tail -n 30 "$RUN/s3proxy.log" >&2; exit 1; fi
    sleep 0.2
    waited=$((waited + 1))
  done
  log "ready after $((waited / 5)) s"
  echo "http://127.0.0.1:$PORT"
}

stop() {
  if ! pid_alive "$RUN/s3proxy.pid"; then log "not running"; rm -f "$RUN/s3proxy.pid"; return; fi
  local pid; pid="$(cat "$RUN/s3proxy.pid")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$RUN/s3proxy.pid"
  log "stopped"
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) if pid_alive "$RUN/s3proxy.pid" && port_open "$PORT"; then echo "running pid $(cat "$RUN/s3proxy.pid") http://127.0.0.1:$PORT"; else echo "stopped"; exit 3; fi ;;
  reset) stop; rm -rf "$RUN"; log "data removed" ;;
  *) echo "usage: $0 start|stop|restart|status|fetch|reset" >&2; exit 2 ;;
esac
