#!/usr/bin/env bash
# Install (first run only) and start the real servers the tests use, then wait
# until each really answers. Idempotent: what is already running is reused.
#
#   bash infra/local/up.sh                 # postgres redis kafka ferretdb jaeger moto azurite fake_gcs stripe_mock elasticsearch mailpit
#   bash infra/local/up.sh kafka redis     # just these
#
# Prints one "==> NAME ready at HOST:PORT (N.Ns)" line per server; exits
# non-zero if any server could not be started. State and logs live in
# ${CMH_INFRA_HOME:-~/.cache/cmh/infra}; see infra/local/README.md.
set -uo pipefail

CMH_INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export CMH_INFRA_DIR
# shellcheck source=infra/local/lib.sh
source "$CMH_INFRA_DIR/lib.sh"
# shellcheck source=infra/local/postgres.sh
source "$CMH_INFRA_DIR/postgres.sh"
# shellcheck source=infra/local/redis.sh
source "$CMH_INFRA_DIR/redis.sh"
# shellcheck source=infra/local/kafka.sh
source "$CMH_INFRA_DIR/kafka.sh"
# shellcheck source=infra/local/ferretdb.sh
source "$CMH_INFRA_DIR/ferretdb.sh"
# shellcheck source=infra/local/jaeger.sh
source "$CMH_INFRA_DIR/jaeger.sh"
# shellcheck source=infra/local/moto.sh
source "$CMH_INFRA_DIR/moto.sh"
# shellcheck source=infra/local/azurite.sh
source "$CMH_INFRA_DIR/azurite.sh"
# shellcheck source=infra/local/fake_gcs.sh
source "$CMH_INFRA_DIR/fake_gcs.sh"
# shellcheck source=infra/local/elasticsearch.sh
source "$CMH_INFRA_DIR/elasticsearch.sh"

# shellcheck source=infra/local/stripe_mock.sh
source "$CMH_INFRA_DIR/stripe_mock.sh"

# shellcheck source=infra/local/mailpit.sh
source "$CMH_INFRA_DIR/mailpit.sh"

ALL_SERVICES=(postgres redis kafka ferretdb jaeger moto azurite fake_gcs stripe_mock elasticsearch mailpit)
declare -A ADDRESS=(
  [postgres]="$PG_HOST:$PG_PORT (streaming replica on :$PG_REPLICA_PORT)"
  [redis]="$REDIS_HOST:$REDIS_PORT"
  [kafka]="$KAFKA_HOST:$KAFKA_PORT"
  [ferretdb]="$FERRETDB_HOST:$FERRETDB_PORT"
  [jaeger]="$JAEGER_HOST:$JAEGER_OTLP_HTTP_PORT (OTLP/HTTP), API http://$JAEGER_HOST:$JAEGER_QUERY_PORT"
  [moto]="http://$MOTO_HOST:$MOTO_PORT (AWS APIs, IAM enforcement on)"
  [azurite]="http://$AZURITE_HOST:$AZURITE_PORT (Azure Blob Storage)"
  [fake_gcs]="http://$FAKE_GCS_HOST:$FAKE_GCS_PORT (Cloud Storage JSON API)"
  [stripe_mock]="http://$STRIPE_MOCK_HOST:$STRIPE_MOCK_PORT (Stripe API shapes)"
  [elasticsearch]="http://$ES_HOST:$ES_PORT (Elasticsearch $ES_VERSION, security off)"
  [mailpit]="SMTP $MAILPIT_HOST:$MAILPIT_SMTP_PORT, API http://$MAILPIT_HOST:$MAILPIT_HTTP_PORT"
)

case "${1:-}" in
  -h | --help)
    sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
    exit 0
    ;;
esac

services=("$@")
[[ ${#services[@]} -eq 0 ]] && services=("${ALL_SERVICES[@]}")
for s in "${services[@]}"; do
  if [[ -z "${ADDRESS[$s]:-}" ]]; then
    warn "unknown service '$s' (known: ${ALL_SERVICES[*]})"
    exit 2
  fi
done

infra_lock

total_start=$(now)
failed=()
for s in "${services[@]}"; do
  start=$(now)
  if "${s}_up"; then
    say "$s ready at ${ADDRESS[$s]} ($(since "$start")s)"
  else
    warn "$s FAILED after $(since "$start")s (logs: $CMH_INFRA_LOGS)"
    failed+=("$s")
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  warn "not started: ${failed[*]} (total $(since "$total_start")s)"
  exit 1
fi
say "all ready: ${services[*]} ($(since "$total_start")s); URLs: source infra/local/env.sh"
