#!/usr/bin/env bash
# Source after `make up-distributed`: where the journey tests find the running profile.
#   set -a; source infra/distributed/env.sh; set +a
# `bash infra/distributed/env.sh --print` prints the KEY=VALUE lines instead.
_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=infra/distributed/lib.sh
source "$_here/lib.sh"
export CMH_TEST_GATEWAY_URL="${CMH_TEST_GATEWAY_URL:-http://127.0.0.1:$GATEWAY_PORT}"
export CMH_TEST_ADMIN_EMAIL="${CMH_TEST_ADMIN_EMAIL:-$DIST_ADMIN_EMAIL}"
if [[ -z "${CMH_TEST_ADMIN_PASSWORD:-}" && -s "$DIST_SECRETS/admin-password.secret" ]]; then
  CMH_TEST_ADMIN_PASSWORD=$(tr -d '\n' <"$DIST_SECRETS/admin-password.secret")
  export CMH_TEST_ADMIN_PASSWORD
fi
export CMH_TEST_DISTRIBUTED_STATE="$DIST_HOME"
# The secret payments verifies Stripe's webhooks with: the journeys sign their events with it.
if [[ -z "${CMH_TEST_STRIPE_WEBHOOK_SECRET:-}" && -s "$DIST_SECRETS/stripe-webhook.secret" ]]; then
  CMH_TEST_STRIPE_WEBHOOK_SECRET=$(tr -d '\n' <"$DIST_SECRETS/stripe-webhook.secret")
  export CMH_TEST_STRIPE_WEBHOOK_SECRET
fi
# The services serve HTTPS with infra/local's CA: the journeys' direct calls (media, uploads,
# a service's own port) verify it; SSL_CERT_FILE (the CA beside the system's) is what httpx
# trusts by default.
export CMH_TEST_DISTRIBUTED_CA_FILE="${CMH_TEST_DISTRIBUTED_CA_FILE:-$DIST_CA}"
# Set even over a shell's own SSL_CERT_FILE: the bundle holds the system's authorities too.
[[ -s "$DIST_TRUST" ]] && export SSL_CERT_FILE="$DIST_TRUST"
# Where the mail the profile sends is read back (mailpit's HTTP API).
export CMH_TEST_MAILPIT_URL="${CMH_TEST_MAILPIT_URL:-$DIST_MAILPIT}"
if [[ "${1:-}" == "--print" ]]; then
  for name in CMH_TEST_GATEWAY_URL CMH_TEST_ADMIN_EMAIL CMH_TEST_ADMIN_PASSWORD CMH_TEST_DISTRIBUTED_STATE \
      CMH_TEST_STRIPE_WEBHOOK_SECRET CMH_TEST_MAILPIT_URL CMH_TEST_DISTRIBUTED_CA_FILE SSL_CERT_FILE; do
    printf '%s=%s\n' "$name" "${!name:-}"
  done
fi
