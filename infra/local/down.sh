#!/usr/bin/env bash
# Stop what infra/local/up.sh started (and only that): processes recorded in
# pid files, and the PostgreSQL cluster if up.sh was the one that started it.
#
#   bash infra/local/down.sh               # mailpit elasticsearch stripe_mock fake_gcs azurite moto jaeger ferretdb kafka redis postgres
#   bash infra/local/down.sh kafka         # just this one
#
# Data, downloads and logs stay in ${CMH_INFRA_HOME:-~/.cache/cmh/infra}.
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
# shellcheck source=infra/local/mailpit.sh
source "$CMH_INFRA_DIR/mailpit.sh"

# shellcheck source=infra/local/stripe_mock.sh
source "$CMH_INFRA_DIR/stripe_mock.sh"

# shellcheck source=infra/local/azurite.sh
source "$CMH_INFRA_DIR/azurite.sh"
# shellcheck source=infra/local/fake_gcs.sh
source "$CMH_INFRA_DIR/fake_gcs.sh"
# shellcheck source=infra/local/elasticsearch.sh
source "$CMH_INFRA_DIR/elasticsearch.sh"

# Reverse start order.
ALL_SERVICES=(mailpit elasticsearch stripe_mock fake_gcs azurite moto jaeger ferretdb kafka redis postgres)

case "${1:-}" in
  -h | --help)
    sed -n '2,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
    exit 0
    ;;
esac

services=("$@")
[[ ${#services[@]} -eq 0 ]] && services=("${ALL_SERVICES[@]}")
for s in "${services[@]}"; do
  case " ${ALL_SERVICES[*]} " in
    *" $s "*) ;;
    *)
      warn "unknown service '$s' (known: ${ALL_SERVICES[*]})"
      exit 2
      ;;
  esac
done

infra_lock

rc=0
for s in "${services[@]}"; do
  "${s}_down" || { warn "$s: stop failed"; rc=1; }
done
exit "$rc"
