# shellcheck shell=bash
# PostgreSQL from Debian's packages, run as the distribution's cluster
# (<version>/main) with pg_ctlcluster. Sourced by up.sh / down.sh.

PG_HOST=127.0.0.1
PG_PORT=5432
# A streaming replica of that server (hot standby, read-only): cluster <version>/replica,
# cloned with pg_basebackup and kept in step through a replication slot. The distributed
# profile sends the courses service's read-only requests to it. CMH_PG_REPLICA=0: none.
PG_REPLICA_PORT=5433
PG_REPLICA_SLOT=cmh_replica
CMH_PG_REPLICA="${CMH_PG_REPLICA:-1}"
PG_USER=cmh
PG_PASSWORD=cmh
PG_DATABASES=(cmh cmh_test)
# What Vault's database secrets engine logs in as to create each lease's role (CREATEROLE,
# nothing else): the secrets adapter's tests play that part against this server.
PG_ROLE_ADMIN=cmh_roles
PG_ROLE_ADMIN_PASSWORD=cmh_roles
# Test-speed settings (fsync=off etc.); set CMH_PG_TUNE=0 to leave the
# cluster's configuration alone.
CMH_PG_TUNE="${CMH_PG_TUNE:-1}"
PG_MARKER="$CMH_INFRA_RUN/postgres.started"
PG_REPLICA_MARKER="$CMH_INFRA_RUN/postgres-replica.started"
# shellcheck source=infra/local/tls.sh
source "$CMH_INFRA_DIR/tls.sh"
PG_LOG_LINK="$CMH_INFRA_LOGS/postgres.log"

# The newest installed major version that has a server binary.
_pg_version() {
  local d v=""
  for d in /usr/lib/postgresql/*/bin/postgres; do
    [[ -x "$d" ]] || continue
    d=${d#/usr/lib/postgresql/}
    d=${d%%/*}
    if [[ -z "$v" ]] || ((d > v)); then v=$d; fi
  done
  [[ -n "$v" ]] && printf '%s\n' "$v"
}

# Field of `pg_lsclusters` for VERSION/main: 3=port 4=status 7=log file.
_pg_cluster_field() {
  pg_lsclusters -h 2>/dev/null | awk -v v="$1" -v f="$2" '$1 == v && $2 == "main" { print $f }'
}

_pg_ready() {
  pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2
}

_pg_replica_ready() {
  pg_isready -q -h "$PG_HOST" -p "$PG_REPLICA_PORT" -t 2
}

# Field of `pg_lsclusters` for VERSION/replica (the same columns as _pg_cluster_field).
_pg_replica_field() {
  pg_lsclusters -h 2>/dev/null | awk -v v="$1" -v f="$2" '$1 == v && $2 == "replica" { print $f }'
}

_pg_psql_admin() {
  as_user postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@"
}

# _pg_tls VERSION [CLUSTER]: installs the local CA's server certificate for the cluster; returns 0
# when something changed (a reload is due), 1 when all was in place, 2 on failure.
_pg_tls() {
  local ver=$1 cluster=${2:-main}
  local dir="/etc/postgresql/$ver/$cluster/cmh-tls" conf="/etc/postgresql/$ver/$cluster/conf.d/zz-cmh-tls.conf"
  local_tls_ensure || return 2
  local want changed=1
  want=$(printf '%s\n' "# Written by infra/local/postgres.sh: the local CA's certificate ($CMH_TLS_DIR)." \
    "ssl = on" "ssl_cert_file = '$dir/server.pem'" "ssl_key_file = '$dir/server-key.pem'")
  as_root install -d -o postgres -g postgres -m 0700 "$dir" || return 2
  if ! as_root cmp -s "$CMH_TLS_DIR/server.pem" "$dir/server.pem" ||
    ! as_root cmp -s "$CMH_TLS_DIR/server-key.pem" "$dir/server-key.pem"; then
    as_root install -o postgres -g postgres -m 0644 "$CMH_TLS_DIR/server.pem" "$dir/server.pem" &&
      as_root install -o postgres -g postgres -m 0600 "$CMH_TLS_DIR/server-key.pem" "$dir/server-key.pem" ||
      return 2
    changed=0
  fi
  if [[ ! -f "$conf" ]] || [[ "$(cat "$conf")" != "$want" ]]; then
    printf '%s\n' "$want" | as_root tee "$conf" >/dev/null && as_root chown postgres:postgres "$conf" || return 2
    changed=0
  fi
  ((changed == 0)) && step "postgres ($cluster): TLS with the local CA's certificate ($dir)"
  return $changed
}

postgres_up() {
  local ver logfile conf changed=""

  if ! ver=$(_pg_version) || ! command -v pg_ctlcluster >/dev/null; then
    say "postgres: installing PostgreSQL from Debian packages (first run only)"
    apt_install postgresql || return 1
    ver=$(_pg_version) || { warn "postgres: no server binary under /usr/lib/postgresql after install"; return 1; }
  fi

  if [[ -z "$(_pg_cluster_field "$ver" 2)" ]]; then
    step "creating cluster $ver/main on port $PG_PORT"
    as_root pg_createcluster "$ver" main --port "$PG_PORT" >>"$CMH_INFRA_LOGS/apt.log" 2>&1 ||
      { fail_with_log "$CMH_INFRA_LOGS/apt.log" "postgres: pg_createcluster $ver main failed"; return 1; }
  fi
  local port
  port=$(_pg_cluster_field "$ver" 3)
  if [[ "$port" != "$PG_PORT" ]]; then
    warn "postgres: cluster $ver/main is configured for port $port, not $PG_PORT; change 'port' in /etc/postgresql/$ver/main/postgresql.conf"
    return 1
  fi
  logfile=$(_pg_cluster_field "$ver" 7)
  [[ -n "$logfile" && "$logfile" != "$PG_LOG_LINK" ]] && ln -sfn "$logfile" "$PG_LOG_LINK"

  if [[ "$CMH_PG_TUNE" == 1 ]]; then
    conf="/etc/postgresql/$ver/main/conf.d/zz-cmh-test.conf"
    local want
    want=$(cat <<'EOF'
# Written by infra/local/postgres.sh: speed over durability for a LOCAL TEST
# server (a crash can lose or corrupt data). Set CMH_PG_TUNE=0 and delete this
# file to get the defaults back.
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
)
    if [[ ! -f "$conf" ]] || [[ "$(cat "$conf")" != "$want" ]]; then
      printf '%s\n' "$want" | as_root tee "$conf" >/dev/null
      as_root chown postgres:postgres "$conf" 2>/dev/null || true
      step "wrote $conf (fsync=off, synchronous_commit=off, full_page_writes=off)"
      changed=1
    fi
  fi

  # A replication slot keeps the WAL its replica still needs, up to this much: a replica
  # left stopped for long loses its slot (and is cloned again) rather than fill the disk.
  conf="/etc/postgresql/$ver/main/conf.d/zz-cmh-replication.conf"
  local want_replication="# Written by infra/local/postgres.sh: bounds what the replica's slot may keep.
max_slot_wal_keep_size = 1GB"
  if [[ ! -f "$conf" ]] || [[ "$(cat "$conf")" != "$want_replication" ]]; then
    printf '%s\n' "$want_replication" | as_root tee "$conf" >/dev/null
    as_root chown postgres:postgres "$conf" 2>/dev/null || true
    changed=1
  fi

  # TLS with the local CA's certificate (clients that ask verify it: the distributed profile
  # does); plain connections stay allowed for everyone else. A reload applies it.
  local tls=0
  _pg_tls "$ver" || tls=$?
  case $tls in 0) changed=1 ;; 1) ;; *) warn "postgres: could not set up TLS"; return 1 ;; esac

  if [[ "$(_pg_cluster_field "$ver" 4)" != online ]]; then
    step "pg_ctlcluster $ver main start"
    if ! as_root pg_ctlcluster "$ver" main start 9>&-; then
      fail_with_log "$logfile" "postgres: pg_ctlcluster $ver main start failed"
      return 1
    fi
    : >"$PG_MARKER"
  else
    step "postgres already running (cluster $ver/main)"
    [[ -n "$changed" ]] && { as_root pg_ctlcluster "$ver" main reload || true; }
  fi

  wait_for postgres "$logfile" "" "" _pg_ready || return 1

  # Role and databases, idempotently, as the postgres superuser.
  local sql db
  sql=$(
    printf "SELECT 'CREATE ROLE %s' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%s') %s\n" "$PG_USER" "$PG_USER" '\gexec'
    printf "ALTER ROLE %s WITH LOGIN CREATEDB PASSWORD '%s';\n" "$PG_USER" "$PG_PASSWORD"
    printf "SELECT 'CREATE ROLE %s' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%s') %s\n" "$PG_ROLE_ADMIN" "$PG_ROLE_ADMIN" '\gexec'
    printf "ALTER ROLE %s WITH LOGIN CREATEROLE PASSWORD '%s';\n" "$PG_ROLE_ADMIN" "$PG_ROLE_ADMIN_PASSWORD"
    for db in "${PG_DATABASES[@]}"; do
      printf "SELECT 'CREATE DATABASE %s OWNER %s' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '%s') %s\n" "$db" "$PG_USER" "$db" '\gexec'
    done
  )
  if ! printf '%s\n' "$sql" | _pg_psql_admin -d postgres >>"$CMH_INFRA_LOGS/postgres-setup.log" 2>&1; then
    fail_with_log "$CMH_INFRA_LOGS/postgres-setup.log" "postgres: could not create role $PG_USER / databases ${PG_DATABASES[*]}"
    return 1
  fi

  # Prove it the way the tests connect: TCP + password.
  for db in "${PG_DATABASES[@]}"; do
    if ! PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=5 psql -X -q -At -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$db" -c 'SELECT 1' >/dev/null 2>>"$CMH_INFRA_LOGS/postgres-setup.log"; then
      fail_with_log "$CMH_INFRA_LOGS/postgres-setup.log" "postgres: cannot log in as $PG_USER to $db over TCP (check pg_hba.conf in /etc/postgresql/$ver/main)"
      return 1
    fi
  done

  if [[ "$CMH_PG_REPLICA" == 1 ]]; then
    postgres_replica_up "$ver" || return 1
  fi
}

# The replica streams from the primary: its slot is in use, and it answers as a standby.
_pg_replica_streams() {
  [[ "$(_pg_psql_admin -d postgres -At -c "SELECT active FROM pg_replication_slots WHERE slot_name = '$PG_REPLICA_SLOT'" 2>/dev/null)" == t ]] &&
    [[ "$(as_user postgres psql -X -At -p "$PG_REPLICA_PORT" -d postgres -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" == t ]]
}

_pg_replica_wait_streaming() {
  local tries
  for tries in $(seq 1 40); do
    _pg_replica_streams && return 0
    sleep 0.5
  done
  return 1
}

# _pg_replica_clone VERSION: a new replica cluster from a base backup of the primary, with
# its own replication slot (any earlier replica and slot are dropped first).
_pg_replica_clone() {
  local ver=$1 data="/var/lib/postgresql/$1/replica" log="$CMH_INFRA_LOGS/postgres-replica-setup.log"
  if [[ -n "$(_pg_replica_field "$ver" 2)" ]]; then
    step "dropping the old replica cluster $ver/replica"
    as_root pg_dropcluster --stop "$ver" replica >>"$log" 2>&1 || { fail_with_log "$log" "postgres: pg_dropcluster $ver replica failed"; return 1; }
  fi
  _pg_psql_admin -d postgres -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$PG_REPLICA_SLOT' AND NOT active" >>"$log" 2>&1 || true
  step "creating cluster $ver/replica on port $PG_REPLICA_PORT"
  as_root pg_createcluster "$ver" replica --port "$PG_REPLICA_PORT" >>"$log" 2>&1 ||
    { fail_with_log "$log" "postgres: pg_createcluster $ver replica failed"; return 1; }
  as_user postgres find "$data" -mindepth 1 -delete
  step "pg_basebackup of the primary into $data (slot $PG_REPLICA_SLOT)"
  local start
  start=$(now)
  if ! as_user postgres pg_basebackup -h /var/run/postgresql -p "$PG_PORT" -U postgres -D "$data" \
    -R -X stream -C -S "$PG_REPLICA_SLOT" --checkpoint=fast >>"$log" 2>&1; then
    fail_with_log "$log" "postgres: pg_basebackup into $data failed; remove the cluster (pg_dropcluster --stop $ver replica) and run up.sh again"
    return 1
  fi
  step "base backup taken ($(since "$start")s, $(as_root du -sh "$data" | cut -f1))"
}

postgres_replica_up() {
  local ver=$1 logfile tls=0
  if [[ -z "$(_pg_replica_field "$ver" 2)" ]]; then
    _pg_replica_clone "$ver" || return 1
  fi
  _pg_tls "$ver" replica || tls=$?
  ((tls > 1)) && { warn "postgres: could not set up TLS for the replica"; return 1; }
  if [[ "$(_pg_replica_field "$ver" 4)" == online* ]]; then
    ((tls == 0)) && { as_root pg_ctlcluster "$ver" replica reload || true; }
  else
    step "pg_ctlcluster $ver replica start"
    if ! as_root pg_ctlcluster "$ver" replica start 9>&-; then
      # A replica whose slot was dropped (it stayed stopped past max_slot_wal_keep_size)
      # cannot catch up: clone it again.
      warn "postgres: the replica did not start; cloning it again"
      _pg_replica_clone "$ver" && _pg_tls "$ver" replica
      as_root pg_ctlcluster "$ver" replica start 9>&- || {
        fail_with_log "$(_pg_replica_field "$ver" 7)" "postgres: pg_ctlcluster $ver replica start failed"
        return 1
      }
    fi
    : >"$PG_REPLICA_MARKER"
  fi
  logfile=$(_pg_replica_field "$ver" 7)
  wait_for "postgres replica" "$logfile" "" "" _pg_replica_ready || return 1
  if ! _pg_replica_wait_streaming; then
    warn "postgres: the replica answers but does not stream from the primary; cloning it again"
    _pg_replica_clone "$ver" && _pg_tls "$ver" replica
    as_root pg_ctlcluster "$ver" replica start 9>&- && : >"$PG_REPLICA_MARKER"
    wait_for "postgres replica" "$logfile" "" "" _pg_replica_ready || return 1
    _pg_replica_wait_streaming || {
      fail_with_log "$logfile" "postgres: the replica on port $PG_REPLICA_PORT does not stream from the primary"
      return 1
    }
  fi
  step "replica $ver/replica streaming on port $PG_REPLICA_PORT (slot $PG_REPLICA_SLOT)"
}

postgres_replica_down() {
  local ver=$1
  [[ -e "$PG_REPLICA_MARKER" ]] || return 0
  if [[ "$(_pg_replica_field "$ver" 4)" == online* ]]; then
    as_root pg_ctlcluster "$ver" replica stop -m fast || return 1
    say "postgres replica stopped (cluster $ver/replica)"
  fi
  rm -f "$PG_REPLICA_MARKER"
}

postgres_down() {
  local ver
  if ! command -v pg_lsclusters >/dev/null || ! ver=$(_pg_version); then
    say "postgres not installed"
    return 0
  fi
  postgres_replica_down "$ver" || return 1
  if [[ ! -e "$PG_MARKER" ]]; then
    if [[ "$(_pg_cluster_field "$ver" 4)" == online ]]; then
      say "postgres: cluster $ver/main was not started by up.sh; leaving it running (stop it with: pg_ctlcluster $ver main stop)"
    else
      say "postgres not running"
    fi
    return 0
  fi
  local start
  start=$(now)
  if [[ "$(_pg_cluster_field "$ver" 4)" == online ]]; then
    as_root pg_ctlcluster "$ver" main stop -m fast || return 1
    say "postgres stopped (cluster $ver/main, $(since "$start")s)"
  else
    say "postgres not running"
  fi
  rm -f "$PG_MARKER"
}
