# shellcheck shell=bash
# Alertmanager, built from the Go module proxy: Prometheus (prometheus.sh) sends it the
# platform's alerts, it routes them to the notifications service's webhook
# (infra/observability/alertmanager/alertmanager.yml), which tells every administrator.
#
#   bash infra/local/alertmanager.sh [up|down|build]
#
# On 127.0.0.1:9094 (Kafka's controller has 9093 here), clustering off. The config is
# written to $CMH_INFRA_HOME/alertmanager/ with the webhook's URL and bearer secret file:
#   CMH_ALERTMANAGER_WEBHOOK_URL          (the distributed profile's notifications API)
#   CMH_ALERTMANAGER_WEBHOOK_SECRET_FILE  (the profile's notifications-alerts.secret)

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -uo pipefail
  CMH_INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  # shellcheck source=infra/local/lib.sh
  source "$CMH_INFRA_DIR/lib.sh"
fi

ALERTMANAGER_VERSION="${CMH_ALERTMANAGER_VERSION:-v0.35.0}"
ALERTMANAGER_MODULE="github.com/prometheus/alertmanager"
ALERTMANAGER_HOST=127.0.0.1
ALERTMANAGER_PORT="${CMH_ALERTMANAGER_PORT:-9094}"
ALERTMANAGER_DIR="$CMH_INFRA_HOME/alertmanager"
ALERTMANAGER_BIN_DIR="$ALERTMANAGER_DIR/$ALERTMANAGER_VERSION"
ALERTMANAGER_BIN="$ALERTMANAGER_BIN_DIR/alertmanager"
ALERTMANAGER_DATA="$ALERTMANAGER_DIR/data"
ALERTMANAGER_CONFIG="$ALERTMANAGER_DIR/alertmanager.yml"
ALERTMANAGER_TEMPLATE="$CMH_INFRA_DIR/../observability/alertmanager/alertmanager.yml"
ALERTMANAGER_WEBHOOK_URL="${CMH_ALERTMANAGER_WEBHOOK_URL:-http://127.0.0.1:8107/internal/v1/notifications/alerts}"
ALERTMANAGER_WEBHOOK_SECRET_FILE="${CMH_ALERTMANAGER_WEBHOOK_SECRET_FILE:-$CMH_INFRA_HOME/distributed/secrets/notifications-alerts.secret}"
ALERTMANAGER_PIDFILE="$CMH_INFRA_RUN/alertmanager.pid"
ALERTMANAGER_LOG="$CMH_INFRA_LOGS/alertmanager.log"
ALERTMANAGER_INSTALL_LOG="$CMH_INFRA_LOGS/alertmanager-install.log"
ALERTMANAGER_PATTERN="--storage.path=$ALERTMANAGER_DATA"

# Why not go_build_cached (lib.sh): the module embeds its web UI's built assets
# (ui/app/dist, `//go:embed`), which are not part of the module, so `go build` of the
# module as published fails ("pattern app/dist: no matching files found"). As for FerretDB:
# the module's source is copied out of the module cache, a placeholder page stands in for
# the UI, and the command is built from the copy (dependencies from the Go module proxy).
alertmanager_build() {
  [[ -x "$ALERTMANAGER_BIN" ]] && return 0
  local go moddir src start
  if ! go=$(find_go); then
    warn "alertmanager: Go is needed to build $ALERTMANAGER_MODULE"
    return 1
  fi
  start=$(now)
  say "alertmanager: building $ALERTMANAGER_MODULE $ALERTMANAGER_VERSION with $("$go" env GOVERSION) (first run only: minutes; log: $ALERTMANAGER_INSTALL_LOG)"
  : >"$ALERTMANAGER_INSTALL_LOG"
  if ! moddir=$("$go" mod download -json "$ALERTMANAGER_MODULE@$ALERTMANAGER_VERSION" 2>>"$ALERTMANAGER_INSTALL_LOG" |
      sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p') || [[ -z "$moddir" || ! -d "$moddir" ]]; then
    fail_with_log "$ALERTMANAGER_INSTALL_LOG" "alertmanager: go mod download $ALERTMANAGER_MODULE@$ALERTMANAGER_VERSION failed"
    return 1
  fi
  src="$ALERTMANAGER_BIN_DIR/src"
  rm -rf "$src"
  mkdir -p "$ALERTMANAGER_BIN_DIR"
  cp -r "$moddir" "$src" && chmod -R u+w "$src" || return 1
  local ui
  for ui in elm mantine; do
    mkdir -p "$src/ui/app/dist/$ui"
    printf '<!doctype html><title>Alertmanager</title><p>The web UI is not part of this build; the API is at /api/v2.</p>\n' \
      >"$src/ui/app/dist/$ui/index.html"
  done
  step "go build ./cmd/alertmanager (dependencies from the Go module proxy)"
  (cd "$src" && CGO_ENABLED=0 GOFLAGS=-buildvcs=false \
    "$go" build -v -trimpath -o "$ALERTMANAGER_BIN.tmp" ./cmd/alertmanager) >>"$ALERTMANAGER_INSTALL_LOG" 2>&1 9>&- &
  local pid=$! ticks=0
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if ((++ticks % 20 == 0)) && kill -0 "$pid" 2>/dev/null; then
      step "... ${ticks}s: $(grep -c '^go: downloading' "$ALERTMANAGER_INSTALL_LOG") modules downloaded, $(grep -vc '^go: ' "$ALERTMANAGER_INSTALL_LOG") packages compiled"
    fi
  done
  if ! wait "$pid"; then
    fail_with_log "$ALERTMANAGER_INSTALL_LOG" "alertmanager: go build failed"
    return 1
  fi
  mv -f "$ALERTMANAGER_BIN.tmp" "$ALERTMANAGER_BIN"
  rm -rf "$src"
  step "built $ALERTMANAGER_BIN ($(since "$start")s)"
}

# The repository's config with this machine's webhook URL and secret file.
_alertmanager_write_config() {
  mkdir -p "$ALERTMANAGER_DIR"
  sed -e "s|^\(      - url: \).*|\1$ALERTMANAGER_WEBHOOK_URL|" \
    -e "s|^\(            credentials_file: \).*|\1$ALERTMANAGER_WEBHOOK_SECRET_FILE|" \
    "$ALERTMANAGER_TEMPLATE" >"$ALERTMANAGER_CONFIG"
}

_alertmanager_ready() {
  curl -fsS -m 2 -o /dev/null "http://$ALERTMANAGER_HOST:$ALERTMANAGER_PORT/-/ready"
}

alertmanager_up() {
  alertmanager_build || return 1
  if [[ ! -s "$ALERTMANAGER_WEBHOOK_SECRET_FILE" ]]; then
    warn "alertmanager: no webhook secret at $ALERTMANAGER_WEBHOOK_SECRET_FILE (infra/distributed/up.sh makes it)"
    return 1
  fi
  _alertmanager_write_config
  if pid_alive "$ALERTMANAGER_PIDFILE" "$ALERTMANAGER_PATTERN"; then
    step "alertmanager already running (pid $(pid_from "$ALERTMANAGER_PIDFILE")); reloading its configuration"
    curl -fsS -m 5 -o /dev/null -X POST "http://$ALERTMANAGER_HOST:$ALERTMANAGER_PORT/-/reload" ||
      warn "alertmanager: the reload was refused (see $ALERTMANAGER_LOG)"
    wait_for alertmanager "$ALERTMANAGER_LOG" "$ALERTMANAGER_PIDFILE" "$ALERTMANAGER_PATTERN" _alertmanager_ready
    return
  fi
  rm -f "$ALERTMANAGER_PIDFILE"
  if port_open "$ALERTMANAGER_HOST" "$ALERTMANAGER_PORT"; then
    warn "alertmanager: port $ALERTMANAGER_PORT is taken by a process up.sh did not start"
    return 1
  fi
  mkdir -p "$ALERTMANAGER_DATA"
  rotate_log "$ALERTMANAGER_LOG"
  step "starting Alertmanager $ALERTMANAGER_VERSION on $ALERTMANAGER_HOST:$ALERTMANAGER_PORT (webhook $ALERTMANAGER_WEBHOOK_URL; log: $ALERTMANAGER_LOG)"
  start_bg "$ALERTMANAGER_PIDFILE" "$ALERTMANAGER_LOG" "$ALERTMANAGER_BIN" \
    "--config.file=$ALERTMANAGER_CONFIG" "$ALERTMANAGER_PATTERN" \
    "--web.listen-address=$ALERTMANAGER_HOST:$ALERTMANAGER_PORT" \
    "--cluster.listen-address=" || return 1
  wait_for alertmanager "$ALERTMANAGER_LOG" "$ALERTMANAGER_PIDFILE" "$ALERTMANAGER_PATTERN" _alertmanager_ready
}

alertmanager_down() {
  stop_pid alertmanager "$ALERTMANAGER_PIDFILE" "$ALERTMANAGER_PATTERN" 30
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  case "${1:-up}" in
    up) infra_lock && alertmanager_up && say "alertmanager ready at http://$ALERTMANAGER_HOST:$ALERTMANAGER_PORT" ;;
    down) infra_lock && alertmanager_down ;;
    build) alertmanager_build && say "alertmanager in $ALERTMANAGER_BIN_DIR" ;;
    *)
      echo "usage: bash ${0##*/} [up|down|build]" >&2
      exit 2
      ;;
  esac
fi
