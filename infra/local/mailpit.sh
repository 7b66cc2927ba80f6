# shellcheck shell=bash
# mailpit: the SMTP server the notifications' SMTP adapter delivers to in tests and the
# distributed profile, whose HTTP API (/api/v1/messages, /api/v1/search) reads the
# delivered messages back. Built from the Go module proxy with `go install` (about 80 s
# cold; the binary is kept under $CMH_INFRA_HOME/mailpit/<version>/, the module cache in
# ~/go/pkg/mod). Messages live in memory: they last until it stops.
# Sourced by up.sh / down.sh; `bash infra/local/mailpit.sh` starts it on its own.

# Run on its own: the shared helpers first (up.sh / down.sh have sourced them already).
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -uo pipefail
  CMH_INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  export CMH_INFRA_DIR
  # shellcheck source=infra/local/lib.sh
  source "$CMH_INFRA_DIR/lib.sh"
fi

MAILPIT_VERSION="${CMH_MAILPIT_VERSION:-v1.33.1}"
MAILPIT_MODULE="github.com/axllent/mailpit"
MAILPIT_HOST=127.0.0.1
MAILPIT_SMTP_PORT="${CMH_MAILPIT_SMTP_PORT:-1025}"
MAILPIT_HTTP_PORT="${CMH_MAILPIT_HTTP_PORT:-8025}"
MAILPIT_DIR="$CMH_INFRA_HOME/mailpit/$MAILPIT_VERSION"
MAILPIT_BIN="$MAILPIT_DIR/mailpit"
_mailpit_name=mailpit
[[ "$MAILPIT_HTTP_PORT" == 8025 ]] || _mailpit_name="mailpit-$MAILPIT_HTTP_PORT"
MAILPIT_PIDFILE="$CMH_INFRA_RUN/$_mailpit_name.pid"
MAILPIT_LOG="$CMH_INFRA_LOGS/$_mailpit_name.log"
MAILPIT_INSTALL_LOG="$CMH_INFRA_LOGS/mailpit-install.log"
# How our process shows in /proc/PID/cmdline.
MAILPIT_PATTERN="--listen $MAILPIT_HOST:$MAILPIT_HTTP_PORT"

_mailpit_install() {
  [[ -x "$MAILPIT_BIN" ]] && return 0
  local go
  if ! go=$(find_go); then
    warn "mailpit: Go is needed to build mailpit"
    return 1
  fi
  say "mailpit: go install $MAILPIT_MODULE@$MAILPIT_VERSION with $("$go" env GOVERSION) (first run only, about 80 s; log: $MAILPIT_INSTALL_LOG)"
  mkdir -p "$MAILPIT_DIR"
  if ! GOBIN="$MAILPIT_DIR" CGO_ENABLED=0 GOFLAGS=-buildvcs=false \
      "$go" install -trimpath "$MAILPIT_MODULE@$MAILPIT_VERSION" >"$MAILPIT_INSTALL_LOG" 2>&1; then
    fail_with_log "$MAILPIT_INSTALL_LOG" "mailpit: go install failed"
    return 1
  fi
  step "built $MAILPIT_BIN"
}

_mailpit_ping() {
  curl -fsS -o /dev/null --max-time 2 "http://$MAILPIT_HOST:$MAILPIT_HTTP_PORT/api/v1/info"
}

mailpit_up() {
  _mailpit_install || return 1
  if pid_alive "$MAILPIT_PIDFILE" "$MAILPIT_PATTERN"; then
    step "mailpit already running (pid $(pid_from "$MAILPIT_PIDFILE"))"
    wait_for mailpit "$MAILPIT_LOG" "$MAILPIT_PIDFILE" "$MAILPIT_PATTERN" _mailpit_ping
    return
  fi
  rm -f "$MAILPIT_PIDFILE"
  if port_open "$MAILPIT_HOST" "$MAILPIT_HTTP_PORT"; then
    if _mailpit_ping; then
      step "a mailpit not started by up.sh already answers on $MAILPIT_HOST:$MAILPIT_HTTP_PORT; reusing it (down.sh will leave it alone)"
      return 0
    fi
    warn "mailpit: port $MAILPIT_HTTP_PORT is taken by something that is not mailpit"
    return 1
  fi
  rotate_log "$MAILPIT_LOG"
  step "starting mailpit (SMTP $MAILPIT_HOST:$MAILPIT_SMTP_PORT; log: $MAILPIT_LOG)"
  start_bg "$MAILPIT_PIDFILE" "$MAILPIT_LOG" "$MAILPIT_BIN" \
    --listen "$MAILPIT_HOST:$MAILPIT_HTTP_PORT" --smtp "$MAILPIT_HOST:$MAILPIT_SMTP_PORT" \
    --smtp-disable-rdns --disable-version-check --max 5000 || return 1
  wait_for mailpit "$MAILPIT_LOG" "$MAILPIT_PIDFILE" "$MAILPIT_PATTERN" _mailpit_ping
}

mailpit_down() {
  stop_pid mailpit "$MAILPIT_PIDFILE" "$MAILPIT_PATTERN" 10
}

# Run on its own: start (or reuse) the server, or stop it.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  case "${1:-up}" in
    up) infra_lock && mailpit_up && say "mailpit ready: SMTP $MAILPIT_HOST:$MAILPIT_SMTP_PORT, API http://$MAILPIT_HOST:$MAILPIT_HTTP_PORT" ;;
    down) infra_lock && mailpit_down ;;
    *)
      echo "usage: bash ${0##*/} [up|down]" >&2
      exit 2
      ;;
  esac
fi
