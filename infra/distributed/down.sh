#!/usr/bin/env bash
# Stops exactly the processes infra/distributed/up.sh started (from its pid files, and only
# when the process still carries the CMH_DISTRIBUTED_PROCESS marker up.sh gave it). The
# servers keep running: `make infra-down` (infra/local/down.sh) stops those.
#
#   bash infra/distributed/down.sh            every process (make down)
#   bash infra/distributed/down.sh gateway    only some (names as in up.sh's table)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
dist_lock

names=("$@")
if ((${#names[@]} == 0)); then
  # Reverse start order: the gateway first, users last.
  for ((i = ${#DIST_PROCESSES[@]} - 1; i >= 0; i--)); do names+=("${DIST_PROCESSES[i]%%|*}"); done
  for entry in "${DIST_STAND_INS[@]}"; do names+=("${entry%%|*}"); done
fi

T0=$(now)
stopping=()
for name in "${names[@]}"; do
  pid=$(pid_of "$name")
  if [[ -z "$pid" ]]; then
    [[ -f "$DIST_RUN/$name.pid" ]] && step "$name: not running (stale pid file removed)"
    rm -f "$DIST_RUN/$name.pid"
    continue
  fi
  # Its own process group (setsid in up.sh): TERM the group, not just the leader.
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  stopping+=("$name:$pid")
done

for item in "${stopping[@]+"${stopping[@]}"}"; do
  name=${item%%:*} pid=${item#*:}
  for _ in $(seq 1 100); do # 10 s for a graceful shutdown
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    warn "$name (pid $pid) ignored SIGTERM for 10 s: SIGKILL"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$DIST_RUN/$name.pid"
  say "stopped $name (pid $pid)"
done
# Prometheus and Alertmanager (up.sh's step 9) go with the apps they watch.
if (($# == 0)); then
  for monitor in prometheus alertmanager; do
    bash "$CMH_ROOT/infra/local/$monitor.sh" down 8>&- | sed 's/^/    /'
  done
fi
((${#stopping[@]})) || say "nothing of the distributed profile was running"
# The log shipper up.sh started, after the processes whose files it reads.
if (($# == 0)); then
  CMH_LOG_SHIPPER_INDEX="$DIST_LOG_INDEX" bash infra/local/log_shipper.sh down 8>&- | sed 's/^/    /'
fi
say "done ($(since "$T0")s); the servers are still up (make infra-down stops them)"
