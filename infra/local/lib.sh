# shellcheck shell=bash
# Shared helpers for infra/local/*.sh. Sourced, never executed.
#
# Everything the scripts create lives under $CMH_INFRA_HOME (default
# ~/.cache/cmh/infra): downloads/builds, server state, pid files and logs.
# Package caches stay in their usual places (~/.m2, ~/go, ~/.cache/go-build).

# CI strips the environment; go and the default paths below need a HOME.
if [[ -z "${HOME:-}" ]]; then
  HOME=$(getent passwd "$(id -u)" | cut -d: -f6)
  export HOME
fi
CMH_INFRA_HOME="${CMH_INFRA_HOME:-$HOME/.cache/cmh/infra}"
CMH_INFRA_LOGS="$CMH_INFRA_HOME/logs"
CMH_INFRA_RUN="$CMH_INFRA_HOME/run"
# Seconds to wait for a server to answer after starting it.
CMH_INFRA_TIMEOUT="${CMH_INFRA_TIMEOUT:-120}"
export CMH_INFRA_HOME

mkdir -p "$CMH_INFRA_LOGS" "$CMH_INFRA_RUN"

# ---------------------------------------------------------------- locking

# infra_lock: one up.sh/down.sh at a time per $CMH_INFRA_HOME. The lock is
# file descriptor 9; everything that may leave a daemon behind runs with
# `9>&-` so that servers never inherit (and keep holding) the lock.
infra_lock() {
  exec 9>"$CMH_INFRA_HOME/.lock"
  if ! flock -n 9; then
    say "another infra/local up/down is running; waiting for it"
    flock -w 1800 9 || { warn "gave up waiting for $CMH_INFRA_HOME/.lock"; exit 1; }
  fi
}

# ---------------------------------------------------------------- output

say() { printf '==> %s\n' "$*"; }
step() { printf '    %s\n' "$*"; }
warn() { printf '!!  %s\n' "$*" >&2; }

# now: wall clock in seconds with microseconds (bash 5 $EPOCHREALTIME).
now() { printf '%s' "${EPOCHREALTIME/,/.}"; }

# since START: seconds elapsed since START, one decimal.
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# fail_with_log LOGFILE MESSAGE: print MESSAGE, where to look, and the log's tail.
fail_with_log() {
  local logfile=$1
  shift
  warn "$*"
  if [[ -n "$logfile" ]]; then
    warn "see the log: $logfile"
    if [[ -f "$logfile" ]]; then
      warn "last lines of $logfile:"
      tail -n 25 "$logfile" | sed 's/^/    | /' >&2
    fi
  fi
  return 1
}

# ---------------------------------------------------------------- privileges

# as_root CMD...: run CMD as root (directly when we are root, else via sudo).
as_root() {
  if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

# as_user USER CMD...: run CMD as USER from a directory that USER can read.
as_user() {
  local user=$1
  shift
  if [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u "$user" -- "$@")
  else
    (cd / && sudo -u "$user" -- "$@")
  fi
}

# ---------------------------------------------------------------- apt

_CMH_APT_UPDATED=""

# apt_install PKG...: install Debian packages. Runs `apt-get update` once per
# script run, and only when something is actually missing. Keeps package
# maintainer scripts from starting daemons (we start our own instances).
apt_install() {
  local log="$CMH_INFRA_LOGS/apt.log"
  local -a apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q)
  if [[ -z "$_CMH_APT_UPDATED" ]]; then
    step "apt-get update (log: $log)"
    if ! as_root "${apt[@]}" update >>"$log" 2>&1; then
      fail_with_log "$log" "apt-get update failed"
      return 1
    fi
    _CMH_APT_UPDATED=1
  fi
  step "apt-get install -y $* (log: $log)"
  # A policy-rc.d that says "no" stops postinst scripts from starting the
  # distribution's own service (there is no systemd here; we start our own).
  local policy=/usr/sbin/policy-rc.d placed=""
  if [[ ! -e $policy ]]; then
    as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy" && placed=1
  fi
  local rc=0
  as_root "${apt[@]}" install -y --no-install-recommends "$@" >>"$log" 2>&1 9>&- || rc=$?
  [[ -n "$placed" ]] && as_root rm -f "$policy"
  if [[ $rc -ne 0 ]]; then
    fail_with_log "$log" "apt-get install $* failed (exit $rc)"
    return 1
  fi
}

# ---------------------------------------------------------------- network

# port_open HOST PORT: true when something accepts TCP connections there.
port_open() {
  # shellcheck disable=SC2016 # expanded by the inner bash
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# ---------------------------------------------------------------- python

# cmh_python: find a working Python 3 for wirecheck.py (stdlib only) and keep
# it in $CMH_PYTHON. Debian's own first: a pyenv shim can fail in a folder
# whose .python-version names a version that is not installed.
CMH_PYTHON="${CMH_PYTHON:-}"
# find_go: the Go toolchain (PATH, or where the official tarball installs it), for the
# servers built from the Go module proxy (FerretDB, Jaeger).
find_go() {
  if command -v go >/dev/null; then
    command -v go
  elif [[ -x /usr/local/go/bin/go ]]; then
    printf '%s\n' /usr/local/go/bin/go
  else
    return 1
  fi
}

cmh_python() {
  [[ -n "$CMH_PYTHON" ]] && return 0
  local p
  for p in /usr/bin/python3 "$(command -v python3 2>/dev/null)"; do
    if [[ -n "$p" && -x "$p" ]] && "$p" -c 'import socket, struct' 2>/dev/null; then
      CMH_PYTHON=$p
      return 0
    fi
  done
  return 1
}

# ---------------------------------------------------------------- processes

# pid_from PIDFILE: print the pid recorded in PIDFILE (nothing if absent).
pid_from() {
  [[ -s "$1" ]] && tr -dc '0-9' <"$1"
}

# pid_alive PIDFILE PATTERN: true when the pid in PIDFILE is running and its
# command line contains PATTERN (so a recycled pid is never mistaken for ours).
pid_alive() {
  local pid
  pid=$(pid_from "$1") || return 1
  [[ -n "$pid" && -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$2"
}

# proc_running PID: true while PID exists and is not a zombie (a daemon's
# parent may be slow to reap it).
proc_running() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ "${stat:0:1}" != Z ]]
}

# start_bg PIDFILE LOGFILE CMD...: start CMD detached (own session, stdin from
# /dev/null, output appended to LOGFILE) and record its pid in PIDFILE.
start_bg() {
  local pidfile=$1 logfile=$2
  shift 2
  # The inner shell writes its own pid, then execs CMD: the pid stays CMD's.
  # shellcheck disable=SC2016 # expanded by the inner bash
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" \
    >>"$logfile" 2>&1 </dev/null 9>&- &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s "$pidfile" ]] && return 0
    sleep 0.1
  done
  fail_with_log "$logfile" "could not start: $*"
}

# stop_pid NAME PIDFILE PATTERN [TIMEOUT]: SIGTERM the recorded process, wait
# up to TIMEOUT seconds (default 60) for it to exit, then SIGKILL. Removes the
# pid file. Does nothing (but clean up) if the pid is not ours any more.
stop_pid() {
  local name=$1 pidfile=$2 pattern=$3 timeout=${4:-60}
  if ! pid_alive "$pidfile" "$pattern"; then
    [[ -e "$pidfile" ]] && rm -f "$pidfile"
    say "$name not running (nothing started by up.sh)"
    return 0
  fi
  local pid start
  pid=$(pid_from "$pidfile")
  start=$(now)
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < timeout * 10; i++)); do
    proc_running "$pid" || break
    sleep 0.1
  done
  if proc_running "$pid"; then
    warn "$name (pid $pid) still running after ${timeout}s: sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$pidfile"
  say "$name stopped (pid $pid, $(since "$start")s)"
}

# wait_for NAME LOGFILE PIDFILE PATTERN CHECK...: poll CHECK (a command) every
# half second until it succeeds, the process in PIDFILE dies, or
# $CMH_INFRA_TIMEOUT seconds pass. PIDFILE may be empty (no process to watch).
wait_for() {
  local name=$1 logfile=$2 pidfile=$3 pattern=$4
  shift 4
  local deadline=$((SECONDS + CMH_INFRA_TIMEOUT))
  while ((SECONDS < deadline)); do
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    if [[ -n "$pidfile" ]] && ! pid_alive "$pidfile" "$pattern"; then
      fail_with_log "$logfile" "$name exited while starting"
      return 1
    fi
    sleep 0.5
  done
  fail_with_log "$logfile" "$name did not answer within ${CMH_INFRA_TIMEOUT}s (set CMH_INFRA_TIMEOUT to wait longer)"
}

# rotate_log LOGFILE: keep the previous run's log as LOGFILE.1.
rotate_log() {
  [[ -s "$1" ]] && mv -f "$1" "$1.1"
  : >"$1"
}

# ---------------------------------------------------------------- Go programs

# go_build_cached NAME MODULE VERSION BINDIR LOGFILE CMD...: build the commands CMD...
# (package paths inside MODULE, e.g. cmd/prometheus) of MODULE@VERSION into BINDIR,
# once: when every binary is already there it returns at once. Built in a small module
# of our own that requires MODULE@VERSION (`go install pkg@version` refuses modules with
# replace directives), with progress lines every 20 s while it runs. Modules stay in the
# usual Go caches (~/go/pkg/mod, ~/.cache/go-build), so a rebuild after deleting BINDIR
# is quick.
go_build_cached() {
  local name=$1 module=$2 version=$3 bindir=$4 logfile=$5
  shift 5
  local cmd missing=()
  for cmd in "$@"; do
    [[ -x "$bindir/$(basename "$cmd")" ]] || missing+=("$cmd")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  local go build start rc=0
  if ! go=$(find_go); then
    warn "$name: Go is needed to build $module"
    return 1
  fi
  start=$(now)
  say "$name: building ${missing[*]} of $module $version with $("$go" env GOVERSION) (first run only: a few minutes cold; log: $logfile)"
  : >"$logfile"
  build="$bindir/build"
  rm -rf "$build"
  mkdir -p "$build"
  local -a wanted=()
  for cmd in "${missing[@]}"; do wanted+=("$module/$cmd@$version"); done
  # `go get` of the command packages (not just the module) records every dependency they need.
  step "go get ${wanted[*]} (from the Go module proxy)"
  (cd "$build" && "$go" mod init "cmh.local/$name-build" && "$go" get "${wanted[@]}") >>"$logfile" 2>&1 9>&- || {
    fail_with_log "$logfile" "$name: go get $module@$version failed"
    return 1
  }
  for cmd in "${missing[@]}"; do
    step "go build $module/$cmd"
    (cd "$build" && CGO_ENABLED=0 GOFLAGS=-buildvcs=false \
      "$go" build -v -trimpath -o "$bindir/$(basename "$cmd").tmp" "$module/$cmd") >>"$logfile" 2>&1 9>&- &
    local pid=$! ticks=0
    while kill -0 "$pid" 2>/dev/null; do
      sleep 1
      if ((++ticks % 20 == 0)) && kill -0 "$pid" 2>/dev/null; then
        step "... ${ticks}s: $(grep -c '^go: downloading' "$logfile") modules downloaded, $(grep -vc '^go: ' "$logfile") packages compiled"
      fi
    done
    wait "$pid" || rc=$?
    if [[ $rc -ne 0 ]]; then
      fail_with_log "$logfile" "$name: go build $module/$cmd failed (exit $rc)"
      return 1
    fi
    mv -f "$bindir/$(basename "$cmd").tmp" "$bindir/$(basename "$cmd")"
  done
  rm -rf "$build"
  step "built ${missing[*]} into $bindir ($(since "$start")s)"
}
