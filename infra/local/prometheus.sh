# shellcheck shell=bash
# Prometheus, built from the Go module proxy (the server and promtool): it scrapes every
# app, worker and the gateway of the distributed profile (infra/observability/prometheus/
# prometheus.yml, its rules beside it) and sends alerts to Alertmanager (alertmanager.sh).
# The HTTP API is what matters here; the web UI's assets are not part of the module.
#
#   bash infra/local/prometheus.sh [up|down|build]
#
# Built once per version into $CMH_INFRA_HOME/prometheus/<version>/ (cold: several minutes
# and ~1 GB of module cache; then it starts at once); data in $CMH_INFRA_HOME/prometheus/data.

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -uo pipefail
  CMH_INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  # shellcheck source=infra/local/lib.sh
  source "$CMH_INFRA_DIR/lib.sh"
fi

PROMETHEUS_VERSION="${CMH_PROMETHEUS_VERSION:-v0.316.0}"
PROMETHEUS_MODULE="github.com/prometheus/prometheus"
PROMETHEUS_HOST=127.0.0.1
PROMETHEUS_PORT="${CMH_PROMETHEUS_PORT:-9090}"
PROMETHEUS_DIR="$CMH_INFRA_HOME/prometheus"
PROMETHEUS_BIN_DIR="$PROMETHEUS_DIR/$PROMETHEUS_VERSION"
PROMETHEUS_BIN="$PROMETHEUS_BIN_DIR/prometheus"
PROMTOOL_BIN="$PROMETHEUS_BIN_DIR/promtool"
PROMETHEUS_DATA="$PROMETHEUS_DIR/data"
# The repository's configuration and rules, used in place (rule_files are relative to it).
PROMETHEUS_CONFIG="${CMH_PROMETHEUS_CONFIG:-$CMH_INFRA_DIR/../observability/prometheus/prometheus.yml}"
PROMETHEUS_PIDFILE="$CMH_INFRA_RUN/prometheus.pid"
PROMETHEUS_LOG="$CMH_INFRA_LOGS/prometheus.log"
PROMETHEUS_INSTALL_LOG="$CMH_INFRA_LOGS/prometheus-install.log"
# How our process shows in /proc/PID/cmdline (whatever the version).
PROMETHEUS_PATTERN="--storage.tsdb.path=$PROMETHEUS_DATA"

prometheus_build() {
  go_build_cached prometheus "$PROMETHEUS_MODULE" "$PROMETHEUS_VERSION" "$PROMETHEUS_BIN_DIR" \
    "$PROMETHEUS_INSTALL_LOG" cmd/prometheus cmd/promtool
}

_prometheus_ready() {
  curl -fsS -m 2 -o /dev/null "http://$PROMETHEUS_HOST:$PROMETHEUS_PORT/-/ready"
}

prometheus_up() {
  prometheus_build || return 1
  if pid_alive "$PROMETHEUS_PIDFILE" "$PROMETHEUS_PATTERN"; then
    step "prometheus already running (pid $(pid_from "$PROMETHEUS_PIDFILE")); reloading its configuration"
    curl -fsS -m 5 -o /dev/null -X POST "http://$PROMETHEUS_HOST:$PROMETHEUS_PORT/-/reload" ||
      warn "prometheus: the reload was refused (see $PROMETHEUS_LOG)"
    wait_for prometheus "$PROMETHEUS_LOG" "$PROMETHEUS_PIDFILE" "$PROMETHEUS_PATTERN" _prometheus_ready
    return
  fi
  rm -f "$PROMETHEUS_PIDFILE"
  if port_open "$PROMETHEUS_HOST" "$PROMETHEUS_PORT"; then
    warn "prometheus: port $PROMETHEUS_PORT is taken by a process up.sh did not start"
    return 1
  fi
  if ! "$PROMTOOL_BIN" check config "$PROMETHEUS_CONFIG" >>"$PROMETHEUS_LOG" 2>&1; then
    fail_with_log "$PROMETHEUS_LOG" "prometheus: promtool check config $PROMETHEUS_CONFIG failed"
    return 1
  fi
  mkdir -p "$PROMETHEUS_DATA"
  rotate_log "$PROMETHEUS_LOG"
  step "starting Prometheus $PROMETHEUS_VERSION on $PROMETHEUS_HOST:$PROMETHEUS_PORT (config $PROMETHEUS_CONFIG; log: $PROMETHEUS_LOG)"
  start_bg "$PROMETHEUS_PIDFILE" "$PROMETHEUS_LOG" "$PROMETHEUS_BIN" \
    "--config.file=$PROMETHEUS_CONFIG" "$PROMETHEUS_PATTERN" \
    "--storage.tsdb.retention.time=2d" \
    "--web.listen-address=$PROMETHEUS_HOST:$PROMETHEUS_PORT" \
    --web.enable-lifecycle || return 1
  wait_for prometheus "$PROMETHEUS_LOG" "$PROMETHEUS_PIDFILE" "$PROMETHEUS_PATTERN" _prometheus_ready
}

prometheus_down() {
  stop_pid prometheus "$PROMETHEUS_PIDFILE" "$PROMETHEUS_PATTERN" 30
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  case "${1:-up}" in
    up) infra_lock && prometheus_up && say "prometheus ready at http://$PROMETHEUS_HOST:$PROMETHEUS_PORT" ;;
    down) infra_lock && prometheus_down ;;
    build) prometheus_build && say "prometheus and promtool in $PROMETHEUS_BIN_DIR" ;;
    *)
      echo "usage: bash ${0##*/} [up|down|build]" >&2
      exit 2
      ;;
  esac
fi
