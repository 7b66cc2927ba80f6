# shellcheck shell=bash
# Shared by infra/distributed/{up,down,status}.sh. Sourced, never executed.
#
# The distributed profile on one machine: every app is its own process (users, courses,
# content, labs, assessments, forum, notifications, analytics: API + worker each; the gateway), on the real servers infra/local starts,
# plus a moto server of its own that stands in for AWS (labs).
# State lives under $CMH_INFRA_HOME/distributed (default ~/.cache/cmh/infra/distributed):
#   secrets/  users-signing.pem, gateway-forwarding.secret, content-media.secret,
#             labs-vault.key, assessments-credentials.pem (0600)
#   media/    content's local object storage (CMH_CONTENT_STORAGE=local)
#   logs/     one log per process (<name>.log, the previous run's as <name>.log.1), ECS JSON
#             lines that the log shipper sends to Elasticsearch ($DIST_LOG_INDEX)
#   run/      one pid file per process (<name>.pid)

if [[ -z "${HOME:-}" ]]; then
  HOME=$(getent passwd "$(id -u)" | cut -d: -f6)
  export HOME
fi
CMH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CMH_INFRA_HOME="${CMH_INFRA_HOME:-$HOME/.cache/cmh/infra}"
DIST_HOME="$CMH_INFRA_HOME/distributed"
DIST_RUN="$DIST_HOME/run"
DIST_LOGS="$DIST_HOME/logs"
DIST_SECRETS="$DIST_HOME/secrets"
DIST_MEDIA="$DIST_HOME/media"
GATEWAY_PORT="${GATEWAY_PORT:-8080}"
# The administrator `users migrate` bootstraps; its password is generated under secrets/.
DIST_ADMIN_EMAIL="${CMH_DISTRIBUTED_ADMIN_EMAIL:-admin@cloudmastershub.dev}"
# Seconds to wait for every /health/ready after starting the processes.
CMH_DISTRIBUTED_TIMEOUT="${CMH_DISTRIBUTED_TIMEOUT:-120}"
# Where the apps find the servers (infra/local's defaults).
DIST_PG="${CMH_DISTRIBUTED_PG:-postgresql+asyncpg://cmh:cmh@127.0.0.1:5432}"
# Its streaming replica (infra/local/postgres.sh): the courses service's read-only requests.
DIST_PG_READ="${CMH_DISTRIBUTED_PG_READ:-postgresql+asyncpg://cmh:cmh@127.0.0.1:5433}"
DIST_REDIS="${CMH_DISTRIBUTED_REDIS:-redis://127.0.0.1:6379}"
DIST_KAFKA="${CMH_DISTRIBUTED_KAFKA:-127.0.0.1:9092}"
DIST_MONGO="${CMH_DISTRIBUTED_MONGO:-mongodb://127.0.0.1:27017/}"
# Elasticsearch (infra/local): the courses catalog search and the forum search.
DIST_ELASTICSEARCH="${CMH_DISTRIBUTED_ELASTICSEARCH:-http://127.0.0.1:9200}"
# The labs' AWS: a moto server of the distributed profile's own (infra/local/moto.sh on this
# port), not infra/local's :5055, which tests reset (POST /moto-api/reset forgets every
# account, the operator's and the running sessions' included).
DIST_MOTO_PORT="${CMH_DISTRIBUTED_MOTO_PORT:-5056}"
DIST_MOTO="http://127.0.0.1:$DIST_MOTO_PORT"
# The labs' Azure and GCP: infra/local's Azurite (the profile's own accounts, cmhdist*) and
# fake-gcs-server, with the local Resource Managers this profile runs as processes of its
# own (nothing emulates either; the fakes live in the labs' test harness).
DIST_ARM_PORT="${CMH_DISTRIBUTED_ARM_PORT:-5057}"
DIST_GCP_RM_PORT="${CMH_DISTRIBUTED_GCP_RM_PORT:-5058}"
DIST_AZURE_SUBSCRIPTION="00000000-0000-4000-8000-00000000c0de"
DIST_GCP_PARENT="folders/1000"
# Stand-ins that are not apps: name|port, stopped by down.sh with the apps.
DIST_STAND_INS=("labs-arm|$DIST_ARM_PORT" "labs-gcp-rm|$DIST_GCP_RM_PORT")
# Stripe's API for payments: infra/local's stripe-mock (stateless, so shared safely).
DIST_STRIPE="${CMH_DISTRIBUTED_STRIPE:-http://127.0.0.1:${CMH_STRIPE_MOCK_PORT:-12111}}"
# Mail: infra/local's mailpit (SMTP in, its HTTP API to read messages back).
DIST_SMTP_PORT="${CMH_DISTRIBUTED_SMTP_PORT:-1025}"
DIST_MAILPIT="${CMH_DISTRIBUTED_MAILPIT:-http://127.0.0.1:8025}"
# Every app exports its traces here (infra/local's Jaeger); empty: no traces.
DIST_OTLP="${CMH_DISTRIBUTED_OTLP-http://127.0.0.1:4318}"
# Every process's log lines (ECS JSON, logs/<name>.log) go into this Elasticsearch index,
# shipped by infra/local/log_shipper.sh.
DIST_LOG_INDEX="${CMH_DISTRIBUTED_LOG_INDEX:-cmh-logs-distributed}"

# TLS between the gateway and the services and to PostgreSQL: infra/local's CA (tls.sh,
# made when infra/local/up.sh starts PostgreSQL) and the server certificate it signed for
# 127.0.0.1; clients trust the CA (HTTP clients: the CA beside the system's, SSL_CERT_FILE).
DIST_TLS="$CMH_INFRA_HOME/tls"
DIST_CA="$DIST_TLS/ca.pem"
DIST_TRUST="$DIST_TLS/trust-bundle.pem"
DIST_SVC="https://127.0.0.1"

mkdir -p "$DIST_RUN" "$DIST_LOGS"

# name|port — the order processes start in (users first: it serves the JWKS).
DIST_PROCESSES=(
  "users-api|8101"
  "users-worker|9101"
  "courses-api|8102"
  "courses-worker|9102"
  "content-api|8103"
  "content-worker|9103"
  "labs-api|8104"
  "labs-worker|9104"
  "assessments-api|8105"
  "assessments-worker|9105"
  "payments-api|8106"
  "payments-worker|9106"
  "forum-api|8109"
  "forum-worker|9109"
  "notifications-api|8107"
  "notifications-worker|9107"
  "analytics-api|8108"
  "analytics-worker|9108"
  "gateway|$GATEWAY_PORT"
)

say() { printf '==> %s\n' "$*"; }
step() { printf '    %s\n' "$*"; }
warn() { printf '!!  %s\n' "$*" >&2; }
now() { printf '%s' "${EPOCHREALTIME/,/.}"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# dist_lock: one up/down at a time (fd 8; started processes get `8>&-`).
dist_lock() {
  exec 8>"$DIST_HOME/.lock"
  if ! flock -n 8; then
    say "another infra/distributed up/down is running; waiting for it"
    flock -w 900 8 || { warn "gave up waiting for $DIST_HOME/.lock"; exit 1; }
  fi
}

# pid_of NAME: prints the pid if NAME's pid file names a live process that is still ours,
# else nothing. "Ours": its environment carries CMH_DISTRIBUTED_PROCESS=NAME, which up.sh
# sets (it survives the exec a PEX does into its venv, unlike the command line).
pid_of() {
  local name=$1 pidfile="$DIST_RUN/$1.pid" pid
  [[ -f "$pidfile" ]] || return 0
  pid=$(<"$pidfile")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  local environ try
  # A process in the middle of an exec (a PEX re-executing into its venv, a pyenv shim)
  # shows an empty environ for a moment: read again rather than call it gone.
  for try in 1 2 3 4 5 6 7 8 9 10; do
    kill -0 "$pid" 2>/dev/null || return 0
    environ=$(tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null)
    if [[ -n "$environ" ]]; then
      if grep -qx "CMH_DISTRIBUTED_PROCESS=$name" <<<"$environ"; then
        printf '%s' "$pid"
      fi
      return 0
    fi
    sleep 0.2
  done
}

port_of() {
  local entry
  for entry in "${DIST_PROCESSES[@]}"; do
    if [[ "${entry%%|*}" == "$1" ]]; then
      printf '%s' "${entry#*|}"
      return
    fi
  done
}
