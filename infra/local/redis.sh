# shellcheck shell=bash
# Redis from Debian's redis-server package, run as our own instance (no
# systemd). Sourced by up.sh / down.sh.

REDIS_HOST=127.0.0.1
REDIS_PORT=6379
REDIS_DIR="$CMH_INFRA_HOME/redis"
REDIS_PIDFILE="$CMH_INFRA_RUN/redis.pid"
REDIS_LOG="$CMH_INFRA_LOGS/redis.log"

_redis_ping() {
  [[ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]
}

redis_up() {
  if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
    say "redis: installing redis-server from Debian packages (first run only)"
    apt_install redis-server redis-tools || return 1
  fi

  if _redis_ping; then
    if pid_alive "$REDIS_PIDFILE" redis-server; then
      step "redis already running (pid $(pid_from "$REDIS_PIDFILE"))"
    else
      step "something already answers PING on $REDIS_HOST:$REDIS_PORT; reusing it (down.sh will leave it alone)"
    fi
    return 0
  fi
  if port_open "$REDIS_HOST" "$REDIS_PORT"; then
    warn "redis: port $REDIS_PORT is taken by something that does not answer Redis PING"
    return 1
  fi

  mkdir -p "$REDIS_DIR"
  rm -f "$REDIS_PIDFILE"
  step "starting redis-server $(redis-server --version | grep -o 'v=[^ ]*') (log: $REDIS_LOG)"
  # No persistence: a test server. Errors before redis opens its log file
  # (bad option, port in use) go to the same file.
  # shellcheck disable=SC2094
  if ! redis-server --daemonize yes --port "$REDIS_PORT" --bind "$REDIS_HOST" \
      --pidfile "$REDIS_PIDFILE" --logfile "$REDIS_LOG" --dir "$REDIS_DIR" \
      --save '' --appendonly no >>"$REDIS_LOG" 2>&1 9>&-; then
    fail_with_log "$REDIS_LOG" "redis: redis-server failed to start"
    return 1
  fi
  wait_for redis "$REDIS_LOG" "" "" _redis_ping
}

redis_down() {
  if ! pid_alive "$REDIS_PIDFILE" redis-server; then
    rm -f "$REDIS_PIDFILE"
    if command -v redis-cli >/dev/null && _redis_ping; then
      say "redis on port $REDIS_PORT was not started by up.sh; leaving it running"
    else
      say "redis not running"
    fi
    return 0
  fi
  local pid start i
  pid=$(pid_from "$REDIS_PIDFILE")
  start=$(now)
  redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  for ((i = 0; i < 100; i++)); do
    proc_running "$pid" || break
    sleep 0.1
  done
  if proc_running "$pid"; then
    # Fall back to signals (e.g. if a test set a password).
    stop_pid redis "$REDIS_PIDFILE" redis-server 10
    return
  fi
  rm -f "$REDIS_PIDFILE"
  say "redis stopped (pid $pid, $(since "$start")s)"
}
