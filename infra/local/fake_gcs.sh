# shellcheck shell=bash
# fake-gcs-server, a Google Cloud Storage emulator (JSON API), built from the Go module
# proxy: the labs' GCP adapter keeps its buckets there. Sourced by up.sh / down.sh;
# `bash infra/local/fake_gcs.sh` starts it on its own.
#
# Plain HTTP on 127.0.0.1, memory backend (a restart forgets every bucket). It keeps
# neither bucket labels nor projects (packages/labs/README.md says what follows from that).

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -uo pipefail
  CMH_INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  export CMH_INFRA_DIR
  # shellcheck source=infra/local/lib.sh
  source "$CMH_INFRA_DIR/lib.sh"
fi

FAKE_GCS_VERSION="${CMH_FAKE_GCS_VERSION:-v1.56.1}"
FAKE_GCS_MODULE="github.com/fsouza/fake-gcs-server"
FAKE_GCS_HOST=127.0.0.1
FAKE_GCS_PORT="${CMH_FAKE_GCS_PORT:-4443}"
FAKE_GCS_DIR="$CMH_INFRA_HOME/fake-gcs-server/$FAKE_GCS_VERSION"
FAKE_GCS_BIN="$FAKE_GCS_DIR/fake-gcs-server"
FAKE_GCS_PIDFILE="$CMH_INFRA_RUN/fake-gcs.pid"
FAKE_GCS_LOG="$CMH_INFRA_LOGS/fake-gcs.log"
FAKE_GCS_INSTALL_LOG="$CMH_INFRA_LOGS/fake-gcs-install.log"
FAKE_GCS_PATTERN="fake-gcs-server -scheme http -host $FAKE_GCS_HOST -port $FAKE_GCS_PORT"

_fake_gcs_install() {
  [[ -x "$FAKE_GCS_BIN" ]] && return 0
  local go start
  if ! go=$(find_go); then
    warn "fake-gcs: Go is needed to build fake-gcs-server"
    return 1
  fi
  start=$(now)
  say "fake-gcs: go install $FAKE_GCS_MODULE@$FAKE_GCS_VERSION (first run only; module cache ~/go/pkg/mod; log: $FAKE_GCS_INSTALL_LOG)"
  mkdir -p "$FAKE_GCS_DIR"
  if ! GOBIN="$FAKE_GCS_DIR" CGO_ENABLED=0 GOFLAGS=-buildvcs=false \
      "$go" install -trimpath "$FAKE_GCS_MODULE@$FAKE_GCS_VERSION" >"$FAKE_GCS_INSTALL_LOG" 2>&1; then
    fail_with_log "$FAKE_GCS_INSTALL_LOG" "fake-gcs: go install failed"
    return 1
  fi
  step "built $FAKE_GCS_BIN in $(since "$start")s"
}

_fake_gcs_ping() {
  curl -fsS -o /dev/null --max-time 2 "http://$FAKE_GCS_HOST:$FAKE_GCS_PORT/storage/v1/b"
}

fake_gcs_up() {
  _fake_gcs_install || return 1
  if pid_alive "$FAKE_GCS_PIDFILE" "$FAKE_GCS_PATTERN"; then
    step "fake-gcs-server already running (pid $(pid_from "$FAKE_GCS_PIDFILE"))"
    wait_for fake_gcs "$FAKE_GCS_LOG" "$FAKE_GCS_PIDFILE" "$FAKE_GCS_PATTERN" _fake_gcs_ping
    return
  fi
  rm -f "$FAKE_GCS_PIDFILE"
  if port_open "$FAKE_GCS_HOST" "$FAKE_GCS_PORT"; then
    if _fake_gcs_ping; then
      step "a GCS JSON API not started by up.sh already answers on $FAKE_GCS_HOST:$FAKE_GCS_PORT; reusing it (down.sh will leave it alone)"
      return 0
    fi
    warn "fake-gcs: port $FAKE_GCS_PORT is taken by something that does not answer /storage/v1/b"
    return 1
  fi
  rotate_log "$FAKE_GCS_LOG"
  step "starting fake-gcs-server $FAKE_GCS_VERSION (memory backend; log: $FAKE_GCS_LOG)"
  start_bg "$FAKE_GCS_PIDFILE" "$FAKE_GCS_LOG" "$FAKE_GCS_BIN" \
    -scheme http -host "$FAKE_GCS_HOST" -port "$FAKE_GCS_PORT" -backend memory \
    -external-url "http://$FAKE_GCS_HOST:$FAKE_GCS_PORT" -log-level warn || return 1
  wait_for fake_gcs "$FAKE_GCS_LOG" "$FAKE_GCS_PIDFILE" "$FAKE_GCS_PATTERN" _fake_gcs_ping
}

fake_gcs_down() {
  stop_pid fake-gcs-server "$FAKE_GCS_PIDFILE" "$FAKE_GCS_PATTERN" 15
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  case "${1:-up}" in
    up) infra_lock && fake_gcs_up && say "fake-gcs-server ready at http://$FAKE_GCS_HOST:$FAKE_GCS_PORT" ;;
    down) infra_lock && fake_gcs_down ;;
    *)
      echo "usage: bash ${0##*/} [up|down]" >&2
      exit 2
      ;;
  esac
fi
