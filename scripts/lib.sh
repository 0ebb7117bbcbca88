# Shared by scripts/kafka.sh and scripts/s3.sh: servers for tests and CI run from Maven Central jars.
# The sourcing script sets NAME (for messages) before sourcing.

log() { echo "$NAME: $*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# pid_alive PIDFILE: the process in PIDFILE is running.
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# maven_fetch POM DEST: copy the POM's runtime dependencies into DEST once (atomically).
maven_fetch() {
  local pom="$1" dest="$2"
  if [ -f "$dest/.complete" ]; then return; fi
  command -v mvn >/dev/null || { log "mvn not found (apt-get install maven)"; exit 1; }
  command -v java >/dev/null || { log "java not found (apt-get install default-jre-headless)"; exit 1; }
  log "fetching $(basename "$(dirname "$pom")") jars from Maven Central into $dest"
  rm -rf "$dest.tmp"
  mvn -q -B -f "$pom" dependency:copy-dependencies -DoutputDirectory="$dest.tmp" -DincludeScope=runtime >&2
  rm -rf "$dest" && mv "$dest.tmp" "$dest" && touch "$dest/.complete"
}
