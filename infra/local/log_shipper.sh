# shellcheck shell=bash
# The log shipper: an OpenTelemetry Collector distribution of our own (the collector
# builder, go.opentelemetry.io/collector/cmd/builder, from the Go module proxy; manifest in
# infra/observability/log-shipper/builder-config.yaml) that tails the apps' ECS JSON log
# files with the filelog receiver and writes every line to Elasticsearch (infra/local's
# node) with the Elasticsearch exporter. Its configuration is
# infra/observability/log-shipper/config.yaml; the index template it writes into is
# infra/observability/elasticsearch/cmh-logs.index-template.json.
#
#   bash infra/local/log_shipper.sh build     build once (cached), print the build time
#   bash infra/local/log_shipper.sh up        start (after Elasticsearch), tailing
#                                             $CMH_LOG_SHIPPER_INCLUDE into $CMH_LOG_SHIPPER_INDEX
#   bash infra/local/log_shipper.sh down      stop it
#
# Cold, the build downloads the collector's modules into the Go module cache (~/go/pkg/mod)
# and compiles for several minutes; the binary is kept under
# $CMH_INFRA_HOME/log-shipper/<version>/ and later runs start at once.
# Sourced by infra/distributed/up.sh / down.sh, or run on its own.

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -uo pipefail
  CMH_INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  export CMH_INFRA_DIR
  # shellcheck source=infra/local/lib.sh
  source "$CMH_INFRA_DIR/lib.sh"
fi

# One release for the builder and every component (the builder checks they agree).
LOG_SHIPPER_VERSION="${CMH_LOG_SHIPPER_VERSION:-0.120.0}"
LOG_SHIPPER_OBSERVABILITY="$(cd "$CMH_INFRA_DIR/../observability" && pwd)"
LOG_SHIPPER_MANIFEST="$LOG_SHIPPER_OBSERVABILITY/log-shipper/builder-config.yaml"
LOG_SHIPPER_CONFIG="$LOG_SHIPPER_OBSERVABILITY/log-shipper/config.yaml"
LOG_SHIPPER_TEMPLATE="$LOG_SHIPPER_OBSERVABILITY/elasticsearch/cmh-logs.index-template.json"
LOG_SHIPPER_HOME="$CMH_INFRA_HOME/log-shipper"
LOG_SHIPPER_BIN="$LOG_SHIPPER_HOME/$LOG_SHIPPER_VERSION/cmh-log-shipper"
LOG_SHIPPER_BUILD_LOG="$CMH_INFRA_LOGS/log-shipper-build.log"
# What it tails and where it writes: the distributed profile's process logs by default
# (not the Pants build's log beside them).
LOG_SHIPPER_INCLUDE="${CMH_LOG_SHIPPER_INCLUDE:-$CMH_INFRA_HOME/distributed/logs/*.log}"
LOG_SHIPPER_EXCLUDE="${CMH_LOG_SHIPPER_EXCLUDE:-$CMH_INFRA_HOME/distributed/logs/pants-*.log}"
LOG_SHIPPER_INDEX="${CMH_LOG_SHIPPER_INDEX:-cmh-logs-distributed}"
LOG_SHIPPER_ES_URL="${CMH_LOG_SHIPPER_ES_URL:-http://127.0.0.1:${CMH_ES_PORT:-9200}}"
LOG_SHIPPER_PIDFILE="$CMH_INFRA_RUN/log-shipper-$LOG_SHIPPER_INDEX.pid"
LOG_SHIPPER_LOG="$CMH_INFRA_LOGS/log-shipper-$LOG_SHIPPER_INDEX.log"
# How our process shows in /proc/PID/cmdline.
LOG_SHIPPER_PATTERN="--config=$LOG_SHIPPER_CONFIG"

# _log_shipper_progress PID: while PID runs, one line every 20 s saying how far it got.
_log_shipper_progress() {
  local pid=$1 start=$SECONDS downloads phase
  while kill -0 "$pid" 2>/dev/null; do
    sleep 20
    kill -0 "$pid" 2>/dev/null || break
    downloads=$(grep -c 'go: downloading' "$LOG_SHIPPER_BUILD_LOG" 2>/dev/null)
    phase="resolving modules"
    grep -q '"arguments": \["build"' "$LOG_SHIPPER_BUILD_LOG" 2>/dev/null && phase="compiling"
    step "... $((SECONDS - start))s: ${downloads:-0} modules downloaded, $phase"
  done
}

# log_shipper_build: the builder (go install), then the distribution (the builder runs
# `go mod tidy` and `go build`). Once per version; prints how long it took.
log_shipper_build() {
  if [[ -x "$LOG_SHIPPER_BIN" ]]; then
    step "log shipper $LOG_SHIPPER_VERSION already built: $LOG_SHIPPER_BIN"
    return 0
  fi
  local go t0 dir="$LOG_SHIPPER_HOME/$LOG_SHIPPER_VERSION" rc=0
  if ! go=$(find_go); then
    warn "log shipper: Go is needed to build the collector"
    return 1
  fi
  t0=$(now)
  say "log shipper: building the collector $LOG_SHIPPER_VERSION with $("$go" env GOVERSION) (first run only: several minutes, ~1.5 GB of module cache; log: $LOG_SHIPPER_BUILD_LOG)"
  rm -rf "$dir/build"
  mkdir -p "$dir/build"
  : >"$LOG_SHIPPER_BUILD_LOG"
  step "go install go.opentelemetry.io/collector/cmd/builder@v$LOG_SHIPPER_VERSION"
  if ! GOBIN="$dir" CGO_ENABLED=0 GOFLAGS=-buildvcs=false \
      "$go" install "go.opentelemetry.io/collector/cmd/builder@v$LOG_SHIPPER_VERSION" \
      >>"$LOG_SHIPPER_BUILD_LOG" 2>&1 9>&-; then
    fail_with_log "$LOG_SHIPPER_BUILD_LOG" "log shipper: installing the collector builder failed"
    return 1
  fi
  sed "s/@VERSION@/$LOG_SHIPPER_VERSION/g" "$LOG_SHIPPER_MANIFEST" >"$dir/build/builder-config.yaml"
  step "builder --config builder-config.yaml (filelog receiver, Elasticsearch exporter)"
  (cd "$dir/build" && PATH="$(dirname "$go"):$PATH" CGO_ENABLED=0 GOFLAGS=-buildvcs=false \
    "$dir/builder" --config builder-config.yaml --verbose) >>"$LOG_SHIPPER_BUILD_LOG" 2>&1 9>&- &
  local pid=$!
  _log_shipper_progress "$pid" &
  local progress=$!
  wait "$pid" || rc=$?
  kill "$progress" 2>/dev/null
  wait "$progress" 2>/dev/null
  if ((rc != 0)) || [[ ! -x "$dir/build/src/cmh-log-shipper" ]]; then
    fail_with_log "$LOG_SHIPPER_BUILD_LOG" "log shipper: the collector build failed"
    return 1
  fi
  mv -f "$dir/build/src/cmh-log-shipper" "$LOG_SHIPPER_BIN"
  rm -rf "$dir/build"
  step "built $LOG_SHIPPER_BIN in $(since "$t0")s"
}

# _log_shipper_ready: the collector said it runs its pipeline.
_log_shipper_ready() {
  grep -q 'Everything is ready' "$LOG_SHIPPER_LOG"
}

# log_shipper_up: build (once), the index template into Elasticsearch, then the collector
# tailing $LOG_SHIPPER_INCLUDE into $LOG_SHIPPER_INDEX.
log_shipper_up() {
  log_shipper_build || return 1
  local answer
  if ! answer=$(curl -sS --max-time 10 -w '\n%{http_code}' -X PUT "$LOG_SHIPPER_ES_URL/_index_template/cmh-logs" \
      -H 'content-type: application/json' --data-binary "@$LOG_SHIPPER_TEMPLATE" 2>&1) ||
      [[ "${answer##*$'\n'}" != 200 ]]; then
    warn "log shipper: Elasticsearch at $LOG_SHIPPER_ES_URL did not take the index template (is it up? bash infra/local/up.sh elasticsearch): ${answer%$'\n'*}"
    return 1
  fi
  step "index template cmh-logs (cmh-logs-*) in place at $LOG_SHIPPER_ES_URL"
  if pid_alive "$LOG_SHIPPER_PIDFILE" "$LOG_SHIPPER_PATTERN"; then
    step "log shipper for $LOG_SHIPPER_INDEX already running (pid $(pid_from "$LOG_SHIPPER_PIDFILE"))"
    return 0
  fi
  rm -f "$LOG_SHIPPER_PIDFILE"
  rotate_log "$LOG_SHIPPER_LOG"
  step "starting the log shipper: $LOG_SHIPPER_INCLUDE -> $LOG_SHIPPER_ES_URL/$LOG_SHIPPER_INDEX (log: $LOG_SHIPPER_LOG)"
  CMH_LOG_SHIPPER_INCLUDE="$LOG_SHIPPER_INCLUDE" CMH_LOG_SHIPPER_EXCLUDE="$LOG_SHIPPER_EXCLUDE" \
    CMH_LOG_SHIPPER_INDEX="$LOG_SHIPPER_INDEX" \
    CMH_LOG_SHIPPER_ES_URL="$LOG_SHIPPER_ES_URL" \
    start_bg "$LOG_SHIPPER_PIDFILE" "$LOG_SHIPPER_LOG" "$LOG_SHIPPER_BIN" "--config=$LOG_SHIPPER_CONFIG" || return 1
  wait_for "log shipper" "$LOG_SHIPPER_LOG" "$LOG_SHIPPER_PIDFILE" "$LOG_SHIPPER_PATTERN" _log_shipper_ready
}

log_shipper_down() {
  stop_pid "log shipper ($LOG_SHIPPER_INDEX)" "$LOG_SHIPPER_PIDFILE" "$LOG_SHIPPER_PATTERN" 15
}

# _log_shipper_lock: one up/down/build at a time (its own lock: starting it never waits
# for infra/local/up.sh).
_log_shipper_lock() {
  mkdir -p "$LOG_SHIPPER_HOME"
  exec 9>"$LOG_SHIPPER_HOME/.lock"
  flock -w 1800 9 || { warn "gave up waiting for $LOG_SHIPPER_HOME/.lock"; exit 1; }
}

# Run on its own: build, start (or reuse) it, or stop it.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  case "${1:-up}" in
    build) _log_shipper_lock && log_shipper_build ;;
    up) _log_shipper_lock && log_shipper_up && say "log shipper ready: $LOG_SHIPPER_INCLUDE -> $LOG_SHIPPER_ES_URL/$LOG_SHIPPER_INDEX" ;;
    down) _log_shipper_lock && log_shipper_down ;;
    *)
      echo "usage: bash ${0##*/} [build|up|down]" >&2
      exit 2
      ;;
  esac
fi
