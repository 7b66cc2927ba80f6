# shellcheck shell=bash
# stripe-mock: Stripe's API answered from its OpenAPI description, so the payments
# adapter's requests (official `stripe` SDK) are checked against Stripe's shapes. It is
# stateless (canned objects) and sends no webhooks: the webhook paths are tested with
# events signed the way Stripe signs them. Built with `go install` from the Go module proxy
# (first run only; the module cache and binary stay in ~/go). Both addresses are bound to
# 127.0.0.1 (left alone, stripe-mock opens HTTPS on every interface).
# Sourced by up.sh / down.sh; `bash infra/local/stripe_mock.sh` starts it on its own.

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -uo pipefail
  CMH_INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  export CMH_INFRA_DIR
  # shellcheck source=infra/local/lib.sh
  source "$CMH_INFRA_DIR/lib.sh"
fi

STRIPE_MOCK_VERSION="${CMH_STRIPE_MOCK_VERSION:-v0.203.0}"
STRIPE_MOCK_MODULE="github.com/stripe/stripe-mock"
STRIPE_MOCK_HOST=127.0.0.1
STRIPE_MOCK_PORT="${CMH_STRIPE_MOCK_PORT:-12111}"
STRIPE_MOCK_HTTPS_PORT="${CMH_STRIPE_MOCK_HTTPS_PORT:-12112}"
STRIPE_MOCK_PIDFILE="$CMH_INFRA_RUN/stripe-mock.pid"
STRIPE_MOCK_LOG="$CMH_INFRA_LOGS/stripe-mock.log"
STRIPE_MOCK_INSTALL_LOG="$CMH_INFRA_LOGS/stripe-mock-install.log"
STRIPE_MOCK_PATTERN="stripe-mock -http-addr $STRIPE_MOCK_HOST:$STRIPE_MOCK_PORT"

_stripe_mock_bin() {
  local go gobin
  go=$(find_go) || return 1
  gobin=$("$go" env GOBIN)
  [[ -n "$gobin" ]] || gobin="$("$go" env GOPATH)/bin"
  printf '%s\n' "$gobin/stripe-mock"
}

_stripe_mock_install() {
  local go bin
  if ! go=$(find_go); then
    warn "stripe-mock: Go is needed to build it (go install $STRIPE_MOCK_MODULE)"
    return 1
  fi
  bin=$(_stripe_mock_bin)
  [[ -x "$bin" ]] && return 0
  say "stripe-mock: go install $STRIPE_MOCK_MODULE@$STRIPE_MOCK_VERSION (first run only; log: $STRIPE_MOCK_INSTALL_LOG)"
  if ! "$go" install "$STRIPE_MOCK_MODULE@$STRIPE_MOCK_VERSION" >"$STRIPE_MOCK_INSTALL_LOG" 2>&1; then
    fail_with_log "$STRIPE_MOCK_INSTALL_LOG" "stripe-mock: go install failed"
    return 1
  fi
}

_stripe_mock_ping() {
  curl -fsS -o /dev/null --max-time 2 -u sk_test_123: \
    "http://$STRIPE_MOCK_HOST:$STRIPE_MOCK_PORT/v1/customers?limit=1"
}

stripe_mock_up() {
  _stripe_mock_install || return 1
  if pid_alive "$STRIPE_MOCK_PIDFILE" "$STRIPE_MOCK_PATTERN"; then
    step "stripe-mock already running (pid $(pid_from "$STRIPE_MOCK_PIDFILE"))"
    wait_for stripe-mock "$STRIPE_MOCK_LOG" "$STRIPE_MOCK_PIDFILE" "$STRIPE_MOCK_PATTERN" _stripe_mock_ping
    return
  fi
  rm -f "$STRIPE_MOCK_PIDFILE"
  if port_open "$STRIPE_MOCK_HOST" "$STRIPE_MOCK_PORT"; then
    if _stripe_mock_ping; then
      step "a stripe-mock not started by up.sh already answers on $STRIPE_MOCK_HOST:$STRIPE_MOCK_PORT; reusing it (down.sh will leave it alone)"
      return 0
    fi
    warn "stripe-mock: port $STRIPE_MOCK_PORT is taken by something that is not stripe-mock"
    return 1
  fi
  rotate_log "$STRIPE_MOCK_LOG"
  step "starting stripe-mock (log: $STRIPE_MOCK_LOG)"
  start_bg "$STRIPE_MOCK_PIDFILE" "$STRIPE_MOCK_LOG" "$(_stripe_mock_bin)" \
    -http-addr "$STRIPE_MOCK_HOST:$STRIPE_MOCK_PORT" \
    -https-addr "$STRIPE_MOCK_HOST:$STRIPE_MOCK_HTTPS_PORT" || return 1
  wait_for stripe-mock "$STRIPE_MOCK_LOG" "$STRIPE_MOCK_PIDFILE" "$STRIPE_MOCK_PATTERN" _stripe_mock_ping
}

stripe_mock_down() {
  stop_pid stripe-mock "$STRIPE_MOCK_PIDFILE" "$STRIPE_MOCK_PATTERN" 10
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  case "${1:-up}" in
    up) infra_lock && stripe_mock_up && say "stripe-mock ready at http://$STRIPE_MOCK_HOST:$STRIPE_MOCK_PORT" ;;
    down) infra_lock && stripe_mock_down ;;
    *)
      echo "usage: bash ${0##*/} [up|down]" >&2
      exit 2
      ;;
  esac
fi
