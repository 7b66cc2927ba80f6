# shellcheck shell=bash
# Azurite, Microsoft's Azure Storage emulator (Blob service only), from the npm registry:
# the labs' Azure adapter keeps its buckets (blob containers) there. Sourced by up.sh /
# down.sh; `bash infra/local/azurite.sh` starts it on its own.
#
# Its storage accounts are fixed at start (AZURITE_ACCOUNTS): the tests' pool and the
# distributed profile's pool (env.sh), so that a test never empties an account of the
# profile. Data stays in memory (--inMemoryPersistence): a restart forgets every container.
# --skipApiVersionCheck: current SDKs send API versions newer than Azurite knows.

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -uo pipefail
  CMH_INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  export CMH_INFRA_DIR
  # shellcheck source=infra/local/lib.sh
  source "$CMH_INFRA_DIR/lib.sh"
fi
# The account lists and the port (one definition for the scripts and the tests).
# shellcheck source=infra/local/env.sh
source "$CMH_INFRA_DIR/env.sh"

AZURITE_VERSION="${CMH_AZURITE_VERSION:-3.37.0}"
AZURITE_HOST=127.0.0.1
AZURITE_PORT="${CMH_AZURITE_PORT:-10000}"
AZURITE_DIR="$CMH_INFRA_HOME/azurite/$AZURITE_VERSION"
AZURITE_BIN="$AZURITE_DIR/node_modules/.bin/azurite-blob"
AZURITE_PIDFILE="$CMH_INFRA_RUN/azurite.pid"
AZURITE_LOG="$CMH_INFRA_LOGS/azurite.log"
AZURITE_INSTALL_LOG="$CMH_INFRA_LOGS/azurite-install.log"
AZURITE_PATTERN="azurite-blob --blobHost $AZURITE_HOST --blobPort $AZURITE_PORT"

_azurite_install() {
  [[ -x "$AZURITE_BIN" ]] && return 0
  if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
    warn "azurite: Node.js and npm are needed (Debian: apt-get install nodejs npm)"
    return 1
  fi
  local start
  start=$(now)
  say "azurite: npm install azurite@$AZURITE_VERSION (first run only; npm's cache is ~/.npm; log: $AZURITE_INSTALL_LOG)"
  mkdir -p "$AZURITE_DIR"
  # Azurite asks for Node 22 in its engines field and runs on 20 (the warnings say so).
  if ! npm install --prefix "$AZURITE_DIR" --prefer-offline --no-audit --no-fund \
      --omit=dev --loglevel=error "azurite@$AZURITE_VERSION" >"$AZURITE_INSTALL_LOG" 2>&1; then
    fail_with_log "$AZURITE_INSTALL_LOG" "azurite: npm install failed"
    return 1
  fi
  step "installed azurite $AZURITE_VERSION in $(since "$start")s"
}

# Any HTTP answer (403 for an unsigned request) says the Blob service is up.
_azurite_ping() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
    "http://$AZURITE_HOST:$AZURITE_PORT/${CMH_TEST_AZURITE_ACCOUNTS%%:*}?comp=list")
  [[ "$code" =~ ^[1-5][0-9][0-9]$ ]]
}

azurite_up() {
  _azurite_install || return 1
  if pid_alive "$AZURITE_PIDFILE" "$AZURITE_PATTERN"; then
    step "azurite already running (pid $(pid_from "$AZURITE_PIDFILE"))"
    wait_for azurite "$AZURITE_LOG" "$AZURITE_PIDFILE" "$AZURITE_PATTERN" _azurite_ping
    return
  fi
  rm -f "$AZURITE_PIDFILE"
  if port_open "$AZURITE_HOST" "$AZURITE_PORT"; then
    if _azurite_ping; then
      step "an HTTP server not started by up.sh already answers on $AZURITE_HOST:$AZURITE_PORT; reusing it as Azurite (down.sh will leave it alone)"
      return 0
    fi
    warn "azurite: port $AZURITE_PORT is taken by something that does not answer HTTP"
    return 1
  fi
  rotate_log "$AZURITE_LOG"
  step "starting azurite-blob $AZURITE_VERSION (in memory; log: $AZURITE_LOG)"
  AZURITE_ACCOUNTS="$CMH_TEST_AZURITE_ACCOUNTS;$CMH_DISTRIBUTED_AZURITE_ACCOUNTS" \
    start_bg "$AZURITE_PIDFILE" "$AZURITE_LOG" "$AZURITE_BIN" \
    --blobHost "$AZURITE_HOST" --blobPort "$AZURITE_PORT" \
    --skipApiVersionCheck --inMemoryPersistence --disableTelemetry --silent || return 1
  wait_for azurite "$AZURITE_LOG" "$AZURITE_PIDFILE" "$AZURITE_PATTERN" _azurite_ping
}

azurite_down() {
  stop_pid azurite "$AZURITE_PIDFILE" "$AZURITE_PATTERN" 15
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  case "${1:-up}" in
    up) infra_lock && azurite_up && say "azurite ready at http://$AZURITE_HOST:$AZURITE_PORT" ;;
    down) infra_lock && azurite_down ;;
    *)
      echo "usage: bash ${0##*/} [up|down]" >&2
      exit 2
      ;;
  esac
fi
