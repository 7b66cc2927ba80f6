# shellcheck shell=bash
# moto in server mode: the AWS endpoint the labs' AWS adapter provisions into (Organizations,
# STS, IAM, EC2, S3, Cost Explorer, ...), from the project's venv (PyPI `moto[server]`).
# Sourced by up.sh / down.sh; `bash infra/local/moto.sh` starts it on its own.
#
# IAM enforcement is on: INITIAL_NO_AUTH_ACTION_COUNT=0 makes moto check every request's
# signature and the caller's IAM policies from the first one, so there is no all-powerful
# default key: every caller is an IAM user or an assumed role that moto knows. A fresh
# server has none; a client bootstraps its operator user through POST /moto-api/reset-auth
# (a count of requests let through unchecked), see
# packages/labs/src/cmh/labs/adapters/aws/moto_admin.py.
# POST /moto-api/reset clears every account.

# Run on its own: the shared helpers first (up.sh / down.sh have sourced them already).
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -uo pipefail
  CMH_INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  export CMH_INFRA_DIR
  # shellcheck source=infra/local/lib.sh
  source "$CMH_INFRA_DIR/lib.sh"
fi

MOTO_HOST=127.0.0.1
MOTO_PORT="${CMH_MOTO_PORT:-5055}"
# Another port is another server (infra/distributed runs its own on 5056): its own pid file
# and log, so the two never stop or read each other.
_moto_name=moto
[[ "$MOTO_PORT" == 5055 ]] || _moto_name="moto-$MOTO_PORT"
MOTO_PIDFILE="$CMH_INFRA_RUN/$_moto_name.pid"
MOTO_LOG="$CMH_INFRA_LOGS/$_moto_name.log"
# How our process shows in /proc/PID/cmdline.
MOTO_PATTERN="moto_server -H $MOTO_HOST -p $MOTO_PORT"

# The moto_server of the project's venv (make venv; a git worktree uses its main
# checkout's), else one on PATH; CMH_MOTO_SERVER names another.
_moto_bin() {
  local root common candidate
  root=$(cd "$CMH_INFRA_DIR/../.." && pwd)
  common=$(git -C "$root" rev-parse --path-format=absolute --git-common-dir 2>/dev/null) || common=""
  for candidate in "${CMH_MOTO_SERVER:-}" "$root/.venv/bin/moto_server" \
      "${common:+$(dirname "$common")/.venv/bin/moto_server}" \
      "$(command -v moto_server 2>/dev/null)"; do
    if [[ -n "$candidate" && -x "$candidate" ]]; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

# moto answers its own API without credentials, whatever the IAM setting. Its config, not
# data.json: that one serializes every account's resources and takes seconds on a server
# with a few lab accounts in it.
_moto_ping() {
  curl -fsS -o /dev/null --max-time 2 "http://$MOTO_HOST:$MOTO_PORT/moto-api/config"
}

moto_up() {
  local bin
  if ! bin=$(_moto_bin); then
    warn "moto: no moto_server found; run 'make venv' (pyproject.toml's dev extra has moto[server]) or set CMH_MOTO_SERVER"
    return 1
  fi

  if pid_alive "$MOTO_PIDFILE" "$MOTO_PATTERN"; then
    step "moto already running (pid $(pid_from "$MOTO_PIDFILE"))"
    wait_for moto "$MOTO_LOG" "$MOTO_PIDFILE" "$MOTO_PATTERN" _moto_ping
    return
  fi
  rm -f "$MOTO_PIDFILE"
  if port_open "$MOTO_HOST" "$MOTO_PORT"; then
    if _moto_ping; then
      step "a moto server not started by up.sh already answers on $MOTO_HOST:$MOTO_PORT; reusing it (down.sh will leave it alone)"
      return 0
    fi
    warn "moto: port $MOTO_PORT is taken by something that does not answer /moto-api/"
    return 1
  fi

  rotate_log "$MOTO_LOG"
  step "starting $bin with IAM enforcement on (log: $MOTO_LOG)"
  INITIAL_NO_AUTH_ACTION_COUNT=0 \
    start_bg "$MOTO_PIDFILE" "$MOTO_LOG" "$bin" -H "$MOTO_HOST" -p "$MOTO_PORT" || return 1
  wait_for moto "$MOTO_LOG" "$MOTO_PIDFILE" "$MOTO_PATTERN" _moto_ping
}

moto_down() {
  stop_pid moto "$MOTO_PIDFILE" "$MOTO_PATTERN" 15
}

# Run on its own: start (or reuse) the server, or stop it.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  case "${1:-up}" in
    up) infra_lock && moto_up && say "moto ready at http://$MOTO_HOST:$MOTO_PORT" ;;
    down) infra_lock && moto_down ;;
    *)
      echo "usage: bash ${0##*/} [up|down]" >&2
      exit 2
      ;;
  esac
fi
