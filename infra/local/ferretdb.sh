# shellcheck shell=bash
# FerretDB v1 (MongoDB wire protocol) with its SQLite backend, built from the
# Go module proxy. Sourced by up.sh / down.sh.
#
# Why not plain `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.x`:
# it builds, but the binary panics at start ("Invalid build/version/version.txt
# file content") because the generated build/version/version.txt is not part of
# the module. So we copy the module source out of the module cache, write that
# file, and `go build` the command from the copy.

FERRETDB_VERSION="${CMH_FERRETDB_VERSION:-v1.24.2}"
FERRETDB_MODULE="github.com/FerretDB/FerretDB"
FERRETDB_HOST=127.0.0.1
FERRETDB_PORT=27017
FERRETDB_DIR="$CMH_INFRA_HOME/ferretdb"
FERRETDB_BIN="$FERRETDB_DIR/$FERRETDB_VERSION/ferretdb"
FERRETDB_DATA="$FERRETDB_DIR/data"
FERRETDB_STATE="$FERRETDB_DIR/state"
FERRETDB_PIDFILE="$CMH_INFRA_RUN/ferretdb.pid"
FERRETDB_LOG="$CMH_INFRA_LOGS/ferretdb.log"
FERRETDB_INSTALL_LOG="$CMH_INFRA_LOGS/ferretdb-install.log"
# How our process shows in /proc/PID/cmdline (whatever the version).
FERRETDB_PATTERN="ferretdb --listen-addr="

_ferretdb_install() {
  [[ -x "$FERRETDB_BIN" ]] && return 0
  local go src moddir
  if ! go=$(find_go); then
    warn "ferretdb: Go is needed to build FerretDB (go >= 1.21; the module asks for 1.24 and a newer go fetches that toolchain itself)"
    return 1
  fi
  say "ferretdb: building $FERRETDB_MODULE $FERRETDB_VERSION with $("$go" env GOVERSION) (first run only; log: $FERRETDB_INSTALL_LOG)"
  : >"$FERRETDB_INSTALL_LOG"
  # Module source into the usual module cache (~/go/pkg/mod).
  if ! moddir=$("$go" mod download -json "$FERRETDB_MODULE@$FERRETDB_VERSION" 2>>"$FERRETDB_INSTALL_LOG" |
      sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p') || [[ -z "$moddir" || ! -d "$moddir" ]]; then
    fail_with_log "$FERRETDB_INSTALL_LOG" "ferretdb: go mod download $FERRETDB_MODULE@$FERRETDB_VERSION failed"
    return 1
  fi
  src="$FERRETDB_DIR/$FERRETDB_VERSION/src"
  rm -rf "$src"
  mkdir -p "$(dirname "$src")"
  cp -r "$moddir" "$src" && chmod -R u+w "$src" || return 1
  printf '%s\n' "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  printf 'local\n' >"$src/build/version/package.txt"
  step "go build ./cmd/ferretdb (dependencies come from the Go module proxy)"
  if ! (cd "$src" && CGO_ENABLED=0 GOFLAGS=-buildvcs=false \
      "$go" build -trimpath -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb) >>"$FERRETDB_INSTALL_LOG" 2>&1; then
    fail_with_log "$FERRETDB_INSTALL_LOG" "ferretdb: go build failed"
    return 1
  fi
  mv -f "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  rm -rf "$src"
  step "built $FERRETDB_BIN ($("$FERRETDB_BIN" --version | head -n 1))"
}

_ferretdb_ping() {
  if cmh_python; then
    "$CMH_PYTHON" "$CMH_INFRA_DIR/wirecheck.py" mongo "$FERRETDB_HOST" "$FERRETDB_PORT"
  else
    port_open "$FERRETDB_HOST" "$FERRETDB_PORT"
  fi
}

_ferretdb_started() {
  grep -q 'Listening on TCP' "$FERRETDB_LOG" && _ferretdb_ping
}

ferretdb_up() {
  _ferretdb_install || return 1

  if pid_alive "$FERRETDB_PIDFILE" "$FERRETDB_PATTERN"; then
    step "ferretdb already running (pid $(pid_from "$FERRETDB_PIDFILE"))"
    wait_for ferretdb "$FERRETDB_LOG" "$FERRETDB_PIDFILE" "$FERRETDB_PATTERN" _ferretdb_ping
    return
  fi
  rm -f "$FERRETDB_PIDFILE"
  if port_open "$FERRETDB_HOST" "$FERRETDB_PORT"; then
    if _ferretdb_ping >/dev/null 2>&1; then
      step "a MongoDB-compatible server not started by up.sh already answers on $FERRETDB_HOST:$FERRETDB_PORT; reusing it (down.sh will leave it alone)"
      return 0
    fi
    warn "ferretdb: port $FERRETDB_PORT is taken by something that does not answer a MongoDB ping"
    return 1
  fi

  mkdir -p "$FERRETDB_DATA" "$FERRETDB_STATE"
  rotate_log "$FERRETDB_LOG"
  step "starting FerretDB $FERRETDB_VERSION (SQLite backend in $FERRETDB_DATA; log: $FERRETDB_LOG)"
  start_bg "$FERRETDB_PIDFILE" "$FERRETDB_LOG" "$FERRETDB_BIN" \
    --listen-addr="$FERRETDB_HOST:$FERRETDB_PORT" \
    --handler=sqlite --sqlite-url="file:$FERRETDB_DATA/" \
    --state-dir="$FERRETDB_STATE" \
    --telemetry=disable --debug-addr=- \
    --log-format=text --log-level=info || return 1
  wait_for ferretdb "$FERRETDB_LOG" "$FERRETDB_PIDFILE" "$FERRETDB_PATTERN" _ferretdb_started
}

ferretdb_down() {
  stop_pid ferretdb "$FERRETDB_PIDFILE" "$FERRETDB_PATTERN" 30
}
