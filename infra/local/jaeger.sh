# shellcheck shell=bash
# Jaeger v2 (an OpenTelemetry collector with Jaeger's storage and query), built from the
# Go module proxy: the OTLP receiver the apps export traces to in the distributed profile
# and the query API that reads them back (the UI is a placeholder: its built assets are not
# part of the module). Memory storage: traces last until it stops.
# Sourced by up.sh / down.sh.
#
# Built the way the module documents for a program: a small module of our own that
# `go get -tool`s github.com/jaegertracing/jaeger/cmd/jaeger, then `go build`. Cold, that
# downloads ~2.5 GB into the Go module cache (~/go/pkg/mod) and takes several minutes;
# the binary is kept under $CMH_INFRA_HOME/jaeger/<version>/ and later runs start at once.

JAEGER_VERSION="${CMH_JAEGER_VERSION:-v1.76.0}"
JAEGER_MODULE="github.com/jaegertracing/jaeger"
JAEGER_HOST=127.0.0.1
JAEGER_OTLP_GRPC_PORT=4317
JAEGER_OTLP_HTTP_PORT=4318
JAEGER_QUERY_PORT=16686
JAEGER_QUERY_GRPC_PORT=16685
JAEGER_HEALTH_PORT=13133
JAEGER_DIR="$CMH_INFRA_HOME/jaeger"
JAEGER_BIN="$JAEGER_DIR/$JAEGER_VERSION/jaeger"
JAEGER_CONFIG="$JAEGER_DIR/config.yaml"
JAEGER_PIDFILE="$CMH_INFRA_RUN/jaeger.pid"
JAEGER_LOG="$CMH_INFRA_LOGS/jaeger.log"
JAEGER_INSTALL_LOG="$CMH_INFRA_LOGS/jaeger-install.log"
# How our process shows in /proc/PID/cmdline (whatever the version).
JAEGER_PATTERN="--config=$JAEGER_CONFIG"

# _jaeger_progress PID: while PID runs, one line every 20 s saying how far it got.
_jaeger_progress() {
  local pid=$1 start=$SECONDS downloads built
  while kill -0 "$pid" 2>/dev/null; do
    sleep 20
    kill -0 "$pid" 2>/dev/null || break
    downloads=$(grep -c '^go: downloading' "$JAEGER_INSTALL_LOG" 2>/dev/null)
    built=$(grep -vc '^go: ' "$JAEGER_INSTALL_LOG" 2>/dev/null)
    step "... $((SECONDS - start))s: ${downloads:-0} modules downloaded, ${built:-0} packages compiled"
  done
}

# _jaeger_run LABEL CMD...: run CMD in the build module, output to the install log,
# with progress lines on the console.
_jaeger_run() {
  local label=$1 rc=0
  shift
  step "$label"
  (cd "$JAEGER_DIR/$JAEGER_VERSION/build" && "$@") >>"$JAEGER_INSTALL_LOG" 2>&1 9>&- &
  local pid=$!
  _jaeger_progress "$pid" &
  local progress=$!
  wait "$pid" || rc=$?
  kill "$progress" 2>/dev/null
  wait "$progress" 2>/dev/null
  return "$rc"
}

_jaeger_install() {
  [[ -x "$JAEGER_BIN" ]] && return 0
  local go build
  if ! go=$(find_go); then
    warn "jaeger: Go is needed to build Jaeger (the module accepts the Go this machine has)"
    return 1
  fi
  say "jaeger: building $JAEGER_MODULE/cmd/jaeger $JAEGER_VERSION with $("$go" env GOVERSION) (first run only: several minutes, ~2.5 GB of module cache; log: $JAEGER_INSTALL_LOG)"
  : >"$JAEGER_INSTALL_LOG"
  build="$JAEGER_DIR/$JAEGER_VERSION/build"
  rm -rf "$build"
  mkdir -p "$build"
  (cd "$build" && "$go" mod init cmh.local/jaeger-build) >>"$JAEGER_INSTALL_LOG" 2>&1 || {
    fail_with_log "$JAEGER_INSTALL_LOG" "jaeger: go mod init failed"
    return 1
  }
  if ! _jaeger_run "go get -tool $JAEGER_MODULE/cmd/jaeger@$JAEGER_VERSION (from the Go module proxy)" \
      "$go" get -tool "$JAEGER_MODULE/cmd/jaeger@$JAEGER_VERSION"; then
    fail_with_log "$JAEGER_INSTALL_LOG" "jaeger: go get failed"
    return 1
  fi
  if ! _jaeger_run "go build $JAEGER_MODULE/cmd/jaeger" \
      env CGO_ENABLED=0 GOFLAGS=-buildvcs=false \
      "$go" build -v -trimpath -o "$JAEGER_BIN.tmp" "$JAEGER_MODULE/cmd/jaeger"; then
    fail_with_log "$JAEGER_INSTALL_LOG" "jaeger: go build failed"
    return 1
  fi
  mv -f "$JAEGER_BIN.tmp" "$JAEGER_BIN"
  rm -rf "$build"
  step "built $JAEGER_BIN"
}

# Everything on loopback; OTLP in (gRPC and HTTP), the query API out, memory storage.
_jaeger_write_config() {
  cat >"$JAEGER_CONFIG" <<YAML
service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    resource:
      service.name: jaeger
    metrics:
      level: none
    logs:
      level: info

extensions:
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 50000
  jaeger_query:
    storage:
      traces: memstore
    enable_tracing: false
    http:
      endpoint: $JAEGER_HOST:$JAEGER_QUERY_PORT
    grpc:
      endpoint: $JAEGER_HOST:$JAEGER_QUERY_GRPC_PORT
  healthcheckv2:
    use_v2: true
    http:
      endpoint: $JAEGER_HOST:$JAEGER_HEALTH_PORT

receivers:
  otlp:
    protocols:
      grpc:
        endpoint: $JAEGER_HOST:$JAEGER_OTLP_GRPC_PORT
      http:
        endpoint: $JAEGER_HOST:$JAEGER_OTLP_HTTP_PORT

processors:
  batch:
    timeout: 200ms

exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
YAML
}

# Ready when the query API answers and the OTLP/HTTP receiver accepts connections.
_jaeger_ready() {
  curl -fsS -m 2 -o /dev/null "http://$JAEGER_HOST:$JAEGER_QUERY_PORT/api/services" &&
    port_open "$JAEGER_HOST" "$JAEGER_OTLP_HTTP_PORT"
}

jaeger_up() {
  _jaeger_install || return 1

  if pid_alive "$JAEGER_PIDFILE" "$JAEGER_PATTERN"; then
    step "jaeger already running (pid $(pid_from "$JAEGER_PIDFILE"))"
    wait_for jaeger "$JAEGER_LOG" "$JAEGER_PIDFILE" "$JAEGER_PATTERN" _jaeger_ready
    return
  fi
  rm -f "$JAEGER_PIDFILE"
  if port_open "$JAEGER_HOST" "$JAEGER_OTLP_HTTP_PORT" || port_open "$JAEGER_HOST" "$JAEGER_QUERY_PORT"; then
    if _jaeger_ready; then
      step "a Jaeger not started by up.sh already answers on $JAEGER_HOST:$JAEGER_QUERY_PORT; reusing it (down.sh will leave it alone)"
      return 0
    fi
    warn "jaeger: port $JAEGER_OTLP_HTTP_PORT or $JAEGER_QUERY_PORT is taken by something that is not Jaeger"
    return 1
  fi

  mkdir -p "$JAEGER_DIR"
  _jaeger_write_config
  rotate_log "$JAEGER_LOG"
  step "starting Jaeger $JAEGER_VERSION (OTLP on $JAEGER_HOST:$JAEGER_OTLP_GRPC_PORT/$JAEGER_OTLP_HTTP_PORT, query API on $JAEGER_HOST:$JAEGER_QUERY_PORT; log: $JAEGER_LOG)"
  start_bg "$JAEGER_PIDFILE" "$JAEGER_LOG" "$JAEGER_BIN" "--config=$JAEGER_CONFIG" || return 1
  wait_for jaeger "$JAEGER_LOG" "$JAEGER_PIDFILE" "$JAEGER_PATTERN" _jaeger_ready
}

jaeger_down() {
  stop_pid jaeger "$JAEGER_PIDFILE" "$JAEGER_PATTERN" 30
}
