# shellcheck shell=bash
# PostgreSQL from Debian's packages, run as the distribution's cluster
# (<version>/main) with pg_ctlcluster. Sourced by up.sh / down.sh.

PG_HOST=127.0.0.1
PG_PORT=5432
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

_pg_psql_admin() {
  as_user postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@"
}

# _pg_tls VERSION: installs the local CA's server certificate for the cluster; returns 0
# when something changed (a reload is due), 1 when all was in place, 2 on failure.
_pg_tls() {
  local ver=$1 dir="/etc/postgresql/$1/main/cmh-tls" conf="/etc/postgresql/$1/main/conf.d/zz-cmh-tls.conf"
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
  ((changed == 0)) && step "postgres: TLS with the local CA's certificate ($dir)"
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
}

postgres_down() {
  local ver
  if ! command -v pg_lsclusters >/dev/null || ! ver=$(_pg_version); then
    say "postgres not installed"
    return 0
  fi
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
