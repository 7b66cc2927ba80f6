#!/usr/bin/env bash
# The distributed profile on this machine: every app in its own process.
#
#   bash infra/distributed/up.sh        (make up-distributed)
#   bash infra/distributed/down.sh      (make down) stops what this started
#
# 1. starts the real servers (infra/local/up.sh: PostgreSQL, Redis, Kafka, FerretDB, ...)
#    and the profile's own moto server (the labs' AWS, on $DIST_MOTO_PORT), then the log
#    shipper (infra/local/log_shipper.sh: every process's log into Elasticsearch); the labs' local
#    Azure Resource Manager and GCP Resource Manager (after the secrets, step 5b)
# 2. creates the databases cmh_users, cmh_courses, cmh_labs, cmh_assessments, cmh_payments and cmh_notifications, cmh_analytics if missing
# 3. generates once, under $CMH_INFRA_HOME/distributed/secrets: the users service's Ed25519
#    signing key, the gateway's principal-forwarding secret, content's media URL secret,
#    the labs' credentials vault key, the payments' Stripe webhook secret and its client
#    secret at users, the notifications' unsubscribe key and service client secret (and
#    its SQS keys on the moto server); and the local media directory. TLS: the services
#    serve HTTPS and PostgreSQL is reached over verified TLS, with infra/local's CA
#    ($CMH_INFRA_HOME/tls, made by infra/local/postgres.sh)
# 4. builds the PEX files with Pants when the sources are newer than dist/ (falls back to
#    `.venv/bin/python -m <module>`, loudly, when Pants cannot build them)
# 5. runs the migrations (`<api> migrate`)
# 6. starts users/courses/content/labs/assessments/payments/forum/notifications/analytics API + worker and the gateway, each on its own port,
#    logs under $CMH_INFRA_HOME/distributed/logs, pid files under .../run
# 7. waits until every /health/ready answers 200
# 8. runs the demo seed job (apps/seed: the demo accounts, lab templates, media and catalog
#    of `make run`; idempotent) unless CMH_DISTRIBUTED_SEED=false, prints the credentials
# 9. starts Prometheus (scraping every API, worker and the gateway) and Alertmanager (to
#    notifications' alert webhook): infra/local/prometheus.sh and alertmanager.sh, built once
#    from the Go module proxy; CMH_DISTRIBUTED_MONITORING=false skips them
# 10. prints what runs where
#
# Running it again starts only what is not running. Knobs: GATEWAY_PORT (8080),
# CMH_DISTRIBUTED_TIMEOUT (120 s), CMH_DISTRIBUTED_BUILD=auto|always|never|venv
# (venv: skip Pants, run the modules from .venv), CMH_DISTRIBUTED_SEED=true|false,
# CMH_DISTRIBUTED_MONITORING=true|false, CMH_INFRA_HOME.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CMH_ROOT"

T0=$(now)
BUILD_MODE="${CMH_DISTRIBUTED_BUILD:-auto}"
APPS=(users courses content labs assessments payments forum notifications analytics gateway seed)
# The demo data of `make run` (apps/seed), with the demo administrator's documented password.
SEED_DEMO="${CMH_DISTRIBUTED_SEED:-true}"
DEMO_ADMIN_PASSWORD="admin-the-cloud-42"
declare -A MODULE_API=(
  [users]=cmh.apps.users.main [courses]=cmh.apps.courses.main
  [content]=cmh.apps.content.main [labs]=cmh.apps.labs.main [gateway]=cmh.apps.gateway.main
  [assessments]=cmh.apps.assessments.main [payments]=cmh.apps.payments.main
  [forum]=cmh.apps.forum.main [notifications]=cmh.apps.notifications.main [analytics]=cmh.apps.analytics.main
  [seed]=cmh.apps.seed
)
declare -A MODULE_WORKER=(
  [users]=cmh.apps.users.worker [courses]=cmh.apps.courses.worker
  [content]=cmh.apps.content.worker [labs]=cmh.apps.labs.worker
  [assessments]=cmh.apps.assessments.worker
  [payments]=cmh.apps.payments.worker
  [forum]=cmh.apps.forum.worker
  [notifications]=cmh.apps.notifications.worker
  [analytics]=cmh.apps.analytics.worker
)
declare -A RUNNER=() # "pex" or "venv" per app

dist_lock

# ------------------------------------------------------------------ 1. servers
say "starting the servers (infra/local/up.sh)"
bash infra/local/up.sh 8>&- | sed 's/^/    /'
[[ ${PIPESTATUS[0]} -eq 0 ]] || { warn "infra/local/up.sh failed (see above)"; exit 1; }
say "starting the labs' AWS (moto on :$DIST_MOTO_PORT)"
CMH_MOTO_PORT=$DIST_MOTO_PORT bash infra/local/moto.sh up 8>&- | sed 's/^/    /'
[[ ${PIPESTATUS[0]} -eq 0 ]] || { warn "moto on :$DIST_MOTO_PORT did not start (see above)"; exit 1; }
# After Elasticsearch (infra/local/up.sh): the collector is built once, several minutes cold.
say "starting the log shipper ($DIST_LOGS/*.log -> Elasticsearch index $DIST_LOG_INDEX)"
CMH_LOG_SHIPPER_INCLUDE="$DIST_LOGS/*.log" CMH_LOG_SHIPPER_EXCLUDE="$DIST_LOGS/pants-*.log" \
  CMH_LOG_SHIPPER_INDEX="$DIST_LOG_INDEX" bash infra/local/log_shipper.sh up 8>&- | sed 's/^/    /'
[[ ${PIPESTATUS[0]} -eq 0 ]] || { warn "the log shipper did not start (see above)"; exit 1; }

# ------------------------------------------------------------------ 2. databases
pg_admin_url() { # the asyncpg URL -> a libpq URL on the `cmh` maintenance database
  local url=${DIST_PG/postgresql+asyncpg:/postgresql:}
  printf '%s/cmh' "$url"
}
for db in cmh_users cmh_courses cmh_labs cmh_assessments cmh_payments cmh_notifications cmh_analytics; do
  if [[ "$(psql "$(pg_admin_url)" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" == 1 ]]; then
    step "database $db exists"
  else
    psql "$(pg_admin_url)" -qc "CREATE DATABASE $db" && say "created database $db"
  fi
done
# Read-only requests of courses go to the replica when one answers (CMH_PG_REPLICA=0: none).
DIST_READS=""
read_url=${DIST_PG_READ/postgresql+asyncpg:/postgresql:}
if [[ "$(psql "$read_url/cmh" -tAc 'SELECT pg_is_in_recovery()' 2>/dev/null)" == t ]]; then
  DIST_READS=$DIST_PG_READ
  # Commits send their WAL at once (infra/local turns synchronous_commit off, which holds
  # it back up to 3 x wal_writer_delay): the replica then trails by about a millisecond.
  psql "$(pg_admin_url)" -qc "ALTER DATABASE cmh_courses SET synchronous_commit = on"
  step "read replica at ${DIST_PG_READ##*@} (courses' read-only requests)"
else
  step "no read replica at ${DIST_PG_READ##*@}: every read goes to the primary"
fi

# ------------------------------------------------------------------ 3. secrets, media
# The local CA and its server certificate (infra/local/tls.sh; postgres.sh made them at step 1).
for file in "$DIST_CA" "$DIST_TLS/server.pem" "$DIST_TLS/server-key.pem" "$DIST_TRUST"; do
  [[ -s $file ]] || { warn "missing $file: infra/local/up.sh postgres makes the local CA"; exit 1; }
done
mkdir -p "$DIST_SECRETS" "$DIST_MEDIA"
chmod 700 "$DIST_SECRETS"
if [[ ! -s "$DIST_SECRETS/users-signing.pem" ]]; then
  (umask 077 && openssl genpkey -algorithm ed25519 -out "$DIST_SECRETS/users-signing.pem")
  say "generated the users signing key $DIST_SECRETS/users-signing.pem"
fi
# Without the demo seed a new administrator gets a generated password, not the demo one.
if [[ $SEED_DEMO == false && "$(cat "$DIST_SECRETS/admin-password.secret" 2>/dev/null)" == "$DEMO_ADMIN_PASSWORD" ]]; then
  rm -f "$DIST_SECRETS/admin-password.secret"
fi
for secret in gateway-forwarding content-media admin-password notifications-client forum-client notifications-alerts; do
  if [[ ! -s "$DIST_SECRETS/$secret.secret" ]]; then
    (umask 077 && openssl rand -hex 32 >"$DIST_SECRETS/$secret.secret")
    say "generated $DIST_SECRETS/$secret.secret"
  fi
done
# The demo seed gives the administrator its documented password: the bootstrap (users
# migrate) and the seed agree on it, and env.sh hands it to the journey tests.
if [[ $SEED_DEMO != false ]]; then
  (umask 077 && printf '%s\n' "$DEMO_ADMIN_PASSWORD" >"$DIST_SECRETS/admin-password.secret")
fi
# AES-256 key of the learners' cloud credentials (base64 of 32 random bytes). Kept across
# runs like the others: sessions stored under an older key stay readable.
if [[ ! -s "$DIST_SECRETS/labs-vault.key" ]]; then
  (umask 077 && openssl rand -base64 32 >"$DIST_SECRETS/labs-vault.key")
  say "generated the labs vault key $DIST_SECRETS/labs-vault.key"
fi
# The bearer token the local Azure Resource Manager accepts from the labs.
if [[ ! -s "$DIST_SECRETS/labs-arm-token.secret" ]]; then
  (umask 077 && openssl rand -hex 32 >"$DIST_SECRETS/labs-arm-token.secret")
  say "generated $DIST_SECRETS/labs-arm-token.secret"
fi
# Assessments' own credential key (certificates), apart from the users' token key.
if [[ ! -s "$DIST_SECRETS/assessments-credentials.pem" ]]; then
  (umask 077 && openssl genpkey -algorithm ed25519 -out "$DIST_SECRETS/assessments-credentials.pem")
  say "generated the certificates' key $DIST_SECRETS/assessments-credentials.pem"
fi
# Payments: the webhook endpoint's secret (Stripe's `whsec_` form; the journeys sign their
# Stripe events with it) and payments' client secret at users (users keeps its SHA-256).
if [[ ! -s "$DIST_SECRETS/stripe-webhook.secret" ]]; then
  (umask 077 && printf 'whsec_%s\n' "$(openssl rand -hex 24)" >"$DIST_SECRETS/stripe-webhook.secret")
  say "generated $DIST_SECRETS/stripe-webhook.secret"
fi
if [[ ! -s "$DIST_SECRETS/payments-client.secret" ]]; then
  (umask 077 && openssl rand -hex 32 >"$DIST_SECRETS/payments-client.secret")
  say "generated $DIST_SECRETS/payments-client.secret"

fi
# HMAC key of the unsubscribe links in mail: kept, so links already mailed keep working.
if [[ ! -s "$DIST_SECRETS/notifications-unsubscribe.key" ]]; then
  (umask 077 && openssl rand -base64 32 >"$DIST_SECRETS/notifications-unsubscribe.key")
  say "generated the notifications unsubscribe key $DIST_SECRETS/notifications-unsubscribe.key"
fi
# The mail queue's keys on the profile's moto server (made again when it forgot them).
if ! NOTIFICATIONS_SQS_KEYS=$("$CMH_ROOT/.venv/bin/python" infra/distributed/mail_queue_keys.py \
    "$DIST_MOTO" "$DIST_SECRETS" 8>&-); then
  warn "could not make the notifications' SQS keys on $DIST_MOTO"
  exit 1
fi

# ------------------------------------------------------------------ 4. build
have_app() { [[ -f "apps/$1/BUILD" && -d "apps/$1/src/cmh/apps/$1" ]]; }
pex_files() { # the PEX files an app's BUILD declares, as dist paths
  local app=$1
  if [[ $app == seed ]]; then
    printf 'dist/apps.seed/seed.pex\n'
  elif [[ $app == gateway ]]; then
    # Whatever pex_binary names the gateway's BUILD declares (api or gateway).
    sed -n 's/^[[:space:]]*name="\([^"]*\)".*/\1/p' "apps/$app/BUILD" | sed "s|^|dist/apps.$app/|; s|$|.pex|"
  else
    printf 'dist/apps.%s/api.pex\ndist/apps.%s/worker.pex\n' "$app" "$app"
  fi
}
is_fresh() { # every PEX of the app exists and is newer than every source file
  local app=$1 pex newer
  for pex in $(pex_files "$app"); do
    [[ -f "$pex" ]] || return 1
    newer=$(find packages contracts "apps/$app" pyproject.toml 3rdparty/python/default.lock \
      -newer "$pex" -type f \( -name '*.py' -o -name BUILD -o -name '*.toml' -o -name '*.lock' \
      -o -name '*.ini' -o -name '*.mako' \) ! -name '*_test.py' ! -name conftest.py \
      -print -quit 2>/dev/null)
    [[ -z "$newer" ]] || return 1
  done
}

present=()
for app in "${APPS[@]}"; do
  if have_app "$app"; then present+=("$app"); else
    warn "apps/$app does not exist yet: it is not started"
  fi
done

# Pants failed and no source changed since: do not spend another half minute on it.
PANTS_FAILED="$DIST_RUN/pants-package.failed"
pants_failed_recently() {
  [[ -f "$PANTS_FAILED" ]] || return 1
  [[ -z "$(find packages contracts apps pyproject.toml BUILD pants.toml 3rdparty -newer "$PANTS_FAILED" \
    -type f ! -path '*/__pycache__/*' -print -quit 2>/dev/null)" ]]
}
stale=()
for app in "${present[@]}"; do
  case $BUILD_MODE in
    venv) RUNNER[$app]=venv ;;
    never) if is_fresh "$app" || [[ -f "$(pex_files "$app" | head -1)" ]]; then RUNNER[$app]=pex; else RUNNER[$app]=venv; fi ;;
    always) stale+=("$app") ;;
    *) if is_fresh "$app"; then RUNNER[$app]=pex
       elif pants_failed_recently; then RUNNER[$app]=venv
       else stale+=("$app"); fi ;;
  esac
done

if ((${#stale[@]})); then
  specs=()
  for app in "${stale[@]}"; do specs+=("apps/$app::"); done
  say "building PEX files with Pants for: ${stale[*]} (sources newer than dist/; 1-3 min)"
  tb=$(now)
  buildlog="$DIST_LOGS/pants-package.log"
  if ./pants package --filter-target-type=pex_binary "${specs[@]}" 8>&- >"$buildlog" 2>&1; then
    say "Pants built the PEX files ($(since "$tb")s; log $buildlog)"
    rm -f "$PANTS_FAILED"
  else
    touch "$PANTS_FAILED"
    warn "Pants could not build the PEX files ($(since "$tb")s). Last lines of $buildlog:"
    tail -n 15 "$buildlog" | sed 's/^/    | /' >&2
  fi
  for app in "${stale[@]}"; do
    if is_fresh "$app"; then
      RUNNER[$app]=pex
    else
      RUNNER[$app]=venv
    fi
  done
else
  ((${#present[@]})) && [[ $BUILD_MODE == auto ]] && step "PEX files in dist/ are newer than the sources: no build"
fi

fallback=()
for app in "${present[@]}"; do [[ ${RUNNER[$app]} == venv ]] && fallback+=("$app"); done
if ((${#fallback[@]})); then
  if [[ $BUILD_MODE != venv && ! -x .venv/bin/python ]]; then
    warn "no PEX and no .venv for: ${fallback[*]}; run \`make venv\` or fix the Pants build"
    exit 1
  fi
  warn "################################################################################"
  warn "NOT RUNNING FROM PEX FILES for: ${fallback[*]}"
  warn "these apps run from the source tree with .venv/bin/python -m <module>"
  [[ $BUILD_MODE == venv ]] || warn "because Pants did not build them: see $DIST_LOGS/pants-package.log"
  [[ $BUILD_MODE == venv ]] || warn "(Pants is retried once a source file changes, or with CMH_DISTRIBUTED_BUILD=always)"
  warn "################################################################################"
fi
SRC_PYTHONPATH="$(ls -d packages/*/src apps/*/src | tr '\n' ':')contracts/src:."
# Where Azurite, fake-gcs-server and the Azurite account pools are (infra/local's env.sh).
# shellcheck source=infra/local/env.sh
source infra/local/env.sh
DIST_AZURITE_ACCOUNTS=$(tr ';' '\n' <<<"$CMH_DISTRIBUTED_AZURITE_ACCOUNTS" | cut -d: -f1 | paste -sd,)

# command_for APP api|worker [ARGS...]: the argv to run, one word per line.
command_for() {
  local app=$1 kind=$2
  shift 2
  local module pex
  if [[ $kind == api ]]; then module=${MODULE_API[$app]}; else module=${MODULE_WORKER[$app]}; fi
  if [[ ${RUNNER[$app]} == pex ]]; then
    if [[ $app == gateway || $app == seed ]]; then pex=$(pex_files "$app" | head -1); else pex="dist/apps.$app/$kind.pex"; fi
    printf '%s\n' "$CMH_ROOT/$pex" "$@"
  else
    printf '%s\n' "$CMH_ROOT/.venv/bin/python" -m "$module" "$@"
  fi
}

# ------------------------------------------------------------------ environment per app
secret() { tr -d '\n' <"$DIST_SECRETS/$1"; }
UPSTREAMS=$(printf '{"users":[{"url":"%s:8101","weight":1}],"courses":[{"url":"%s:8102","weight":1}],"content":[{"url":"%s:8103","weight":1}],"labs":[{"url":"%s:8104","weight":1}],"assessments":[{"url":"%s:8105","weight":1}],"payments":[{"url":"%s:8106","weight":1}],"forum":[{"url":"%s:8109","weight":1}],"notifications":[{"url":"%s:8107","weight":1}],"analytics":[{"url":"%s:8108","weight":1}]}' \
  "$DIST_SVC" "$DIST_SVC" "$DIST_SVC" "$DIST_SVC" "$DIST_SVC" "$DIST_SVC" "$DIST_SVC" "$DIST_SVC" "$DIST_SVC")
env_for() { # KEY=VALUE lines for one app (the API and the worker share them)
  local app=$1
  printf '%s\n' "CMH_KAFKA__BOOTSTRAP_SERVERS=$DIST_KAFKA" "CMH_HTTP__HOST=127.0.0.1"
  printf '%s\n' "CMH_OTEL__ENDPOINT=$DIST_OTLP"
  # The services sit behind the gateway, which connects from loopback: its X-Forwarded-For
  # names the client. The gateway itself is the edge and trusts nobody's.
  [[ $app == gateway ]] || printf '%s\n' "CMH_HTTP__FORWARDED_ALLOW_IPS=127.0.0.1"
  # Every token verifier reads the users service's "tokens not before" stamps (account
  # disabled or erased), so a service refuses such a token on its own port too.
  printf '%s\n' "CMH_TOKEN_STAMPS__URL=$DIST_REDIS/0"
  # Behind the gateway, whose readiness poll runs every 5 s: on SIGTERM a service says
  # "not ready" for 6 s while still serving, so a restart drops no request.
  [[ $app == gateway ]] || printf '%s\n' "CMH_HTTP__DRAIN_SECONDS=6"
  # HTTPS behind the gateway (the gateway, the edge, stays on plain HTTP locally); every
  # client verifies the local CA: HTTP clients through SSL_CERT_FILE, PostgreSQL's as
  # verify-full.
  [[ $app == gateway ]] || printf '%s\n' "CMH_HTTP__TLS_CERT_FILE=$DIST_TLS/server.pem" \
    "CMH_HTTP__TLS_KEY_FILE=$DIST_TLS/server-key.pem"
  printf '%s\n' "SSL_CERT_FILE=$DIST_TRUST" "CMH_DATABASE__SSL_CA_FILE=$DIST_CA"
  case $app in
    users)
      printf '%s\n' "CMH_DATABASE__URL=$DIST_PG/cmh_users" "CMH_REDIS__URL=$DIST_REDIS/0" \
        "CMH_HTTP__PORT=8101" "CMH_TOKENS__PRIVATE_KEY_FILE=$DIST_SECRETS/users-signing.pem" \
        "CMH_BOOTSTRAP_ADMIN__EMAIL=$DIST_ADMIN_EMAIL" \
        "CMH_BOOTSTRAP_ADMIN__PASSWORD=$(secret admin-password.secret)" \
        "CMH_USERS__SERVICE_CLIENTS__PAYMENTS=$(secret payments-client.secret | sha256sum | cut -d' ' -f1)" \
        "CMH_USERS__SERVICE_CLIENTS__NOTIFICATIONS=$(secret notifications-client.secret | sha256sum | cut -d' ' -f1)" \
        "CMH_USERS__SERVICE_CLIENTS__FORUM=$(secret forum-client.secret | sha256sum | cut -d' ' -f1)" \
        "CMH_USERS__ACCOUNT_MAIL__NOTIFICATIONS_URL=$DIST_SVC:8107" \
        "CMH_USERS__ACCOUNT_MAIL__LINKS_BASE_URL=http://127.0.0.1:$GATEWAY_PORT" ;;
    courses)
      [[ -n $DIST_READS ]] && printf '%s\n' "CMH_DATABASE__READ_URL=$DIST_READS/cmh_courses"
      printf '%s\n' "CMH_DATABASE__URL=$DIST_PG/cmh_courses" "CMH_REDIS__URL=$DIST_REDIS/1" \
        "CMH_HTTP__PORT=8102" "CMH_MONGO__URL=$DIST_MONGO" "CMH_MONGO__DATABASE=cmh_courses" \
        "CMH_SERVICES__USERS_URL=$DIST_SVC:8101" \
        "CMH_SERVICES__CONTENT_URL=$DIST_SVC:8103" \
        "CMH_SERVICES__LABS_URL=$DIST_SVC:8104" \
        "CMH_SEARCH=elasticsearch" "CMH_ELASTICSEARCH__URL=$DIST_ELASTICSEARCH" \
        "CMH_ELASTICSEARCH__INDEX=cmh_courses" ;;
    content)
      printf '%s\n' "CMH_HTTP__PORT=8103" "CMH_CONTENT_STORAGE=local" \
        "CMH_CONTENT__MONGO_URL=$DIST_MONGO" "CMH_CONTENT__MONGO_DB=cmh_content" \
        "CMH_CONTENT__LOCAL_MEDIA_DIR=$DIST_MEDIA" \
        "CMH_CONTENT__LOCAL_SIGNING_SECRET=$(secret content-media.secret)" \
        "CMH_CONTENT__PUBLIC_BASE_URL=$DIST_SVC:8103" \
        "CMH_USERS_URL=$DIST_SVC:8101" ;;
    labs)
      printf '%s\n' "CMH_DATABASE__URL=$DIST_PG/cmh_labs" "CMH_HTTP__PORT=8104" \
        "CMH_USERS_URL=$DIST_SVC:8101" \
        "CMH_LABS__AWS__ENDPOINT_URL=$DIST_MOTO" \
        "CMH_LABS__VAULT__KEY=$(secret labs-vault.key)" \
        "CMH_MOTO_OPERATOR=true" \
        "CMH_LABS__AZURE__SUBSCRIPTION_ID=$DIST_AZURE_SUBSCRIPTION" \
        "CMH_LABS__AZURE__ARM_ENDPOINT=https://127.0.0.1:$DIST_ARM_PORT" \
        "CMH_LABS__AZURE__ARM_TOKEN=$(secret labs-arm-token.secret)" \
        "CMH_LABS__AZURE__CA_BUNDLE=$DIST_HOME/arm-tls/ca.pem" \
        "CMH_LABS__AZURE__BLOB_ENDPOINT=$CMH_TEST_AZURITE_URL/{account}" \
        "CMH_LABS__AZURE__STORAGE_ACCOUNTS=$DIST_AZURITE_ACCOUNTS" \
        "CMH_LABS__GCP__PARENT=$DIST_GCP_PARENT" \
        "CMH_LABS__GCP__STORAGE_ENDPOINT=$CMH_TEST_FAKE_GCS_URL" \
        "CMH_LABS__GCP__RESOURCE_MANAGER_ENDPOINT=http://127.0.0.1:$DIST_GCP_RM_PORT" \
        "CMH_LABS__GCP__ANONYMOUS=true" ;;
    assessments)
      printf '%s\n' "CMH_DATABASE__URL=$DIST_PG/cmh_assessments" "CMH_HTTP__PORT=8105" \
        "CMH_USERS_URL=$DIST_SVC:8101" "CMH_COURSES_URL=$DIST_SVC:8102" \
        "CMH_ASSESSMENTS__PUBLIC_URL=http://127.0.0.1:$GATEWAY_PORT" \
        "CMH_ASSESSMENTS__CREDENTIAL_KEYS__KEY_FILE=$DIST_SECRETS/assessments-credentials.pem" ;;
    payments)
      # Stripe's API is infra/local's stripe-mock (shapes only, no webhooks): the journeys
      # post Stripe's events themselves, signed with the endpoint secret.
      printf '%s\n' "CMH_DATABASE__URL=$DIST_PG/cmh_payments" "CMH_HTTP__PORT=8106" \
        "CMH_USERS_URL=$DIST_SVC:8101" "CMH_PAYMENTS__LABS_URL=$DIST_SVC:8104" \
        "CMH_PAYMENTS__PUBLIC_BASE_URL=http://127.0.0.1:$GATEWAY_PORT" \
        "CMH_PAYMENTS__STRIPE__API_KEY=sk_test_123" \
        "CMH_PAYMENTS__STRIPE__API_BASE=$DIST_STRIPE" \
        "CMH_PAYMENTS__STRIPE__WEBHOOK_SECRET=$(secret stripe-webhook.secret)" \
        "CMH_PAYMENTS__USERS__CLIENT_SECRET=$(secret payments-client.secret)" ;;
    forum)
      printf '%s\n' "CMH_HTTP__PORT=8109" "CMH_USERS_URL=$DIST_SVC:8101" \
        "CMH_FORUM__MONGO_URL=$DIST_MONGO" "CMH_FORUM__MONGO_DB=cmh_forum" \
        "CMH_FORUM__COURSES_URL=$DIST_SVC:8102" \
        "CMH_FORUM__USERS__CLIENT_SECRET=$(secret forum-client.secret)" \
        "CMH_FORUM__SEARCH__ENGINE=elasticsearch" \
        "CMH_FORUM__SEARCH__ELASTICSEARCH_URL=$DIST_ELASTICSEARCH" \
        "CMH_FORUM__SEARCH__INDEX=cmh_forum_posts" ;;
    notifications)
      printf '%s\n' "CMH_DATABASE__URL=$DIST_PG/cmh_notifications" "CMH_HTTP__PORT=8107" \
        "CMH_REDIS__URL=$DIST_REDIS/3" "CMH_USERS_URL=$DIST_SVC:8101" \
        "CMH_NOTIFICATIONS__PUBLIC_URL=http://127.0.0.1:$GATEWAY_PORT" \
        "CMH_NOTIFICATIONS__UNSUBSCRIBE_KEY=$(secret notifications-unsubscribe.key)" \
        "CMH_NOTIFICATIONS__USERS__CLIENT_SECRET=$(secret notifications-client.secret)" \
        "CMH_NOTIFICATIONS__ALERTS_WEBHOOK_SECRET=$(secret notifications-alerts.secret)" \
        "CMH_NOTIFICATIONS__MAIL__PROVIDER=smtp" \
        "CMH_NOTIFICATIONS__MAIL__SMTP_HOST=127.0.0.1" "CMH_NOTIFICATIONS__MAIL__SMTP_PORT=$DIST_SMTP_PORT" \
        "CMH_NOTIFICATIONS__QUEUE__ENDPOINT_URL=$DIST_MOTO" \
        "CMH_NOTIFICATIONS__QUEUE__ACCESS_KEY_ID=${NOTIFICATIONS_SQS_KEYS%% *}" \
        "CMH_NOTIFICATIONS__QUEUE__SECRET_ACCESS_KEY=${NOTIFICATIONS_SQS_KEYS#* }" \
        "CMH_NOTIFICATIONS__QUEUE__WAIT_SECONDS=2" \
        "CMH_NOTIFICATIONS__MAIL_TIMER_SECONDS=10" ;;
    analytics)
      printf '%s\n' "CMH_DATABASE__URL=$DIST_PG/cmh_analytics" "CMH_HTTP__PORT=8108" \
        "CMH_REDIS__URL=$DIST_REDIS/4" \
        "CMH_USERS_URL=$DIST_SVC:8101" "CMH_COURSES_URL=$DIST_SVC:8102" ;;
    gateway)
      gateway_env ;;
    seed)
      seed_env ;;
  esac
}
seed_env() { # each app's own settings under its name (see apps/seed/src/cmh/apps/seed/settings.py)
  local each upper
  for each in users content labs courses assessments payments forum; do
    upper=${each^^}
    env_for "$each" | sed "s/^CMH_/CMH_${upper}__/"
  done
  printf '%s\n' "CMH_DEMO__SEED=$SEED_DEMO"
}
gateway_env() { # see apps/gateway/src/cmh/apps/gateway/settings.py
  printf '%s\n' "CMH_HTTP__PORT=$GATEWAY_PORT" "CMH_REDIS__URL=$DIST_REDIS/2" \
    "CMH_GATEWAY__UPSTREAMS=$UPSTREAMS" \
    "CMH_GATEWAY__JWKS_URL=$DIST_SVC:8101/api/v1/auth/jwks" \
    "CMH_GATEWAY__PRINCIPAL_SECRET=$(secret gateway-forwarding.secret)" \
    "CMH_GATEWAY__WEB_CLIENT_DIR=$CMH_ROOT/apps/web/dist"
}

# run_app NAME APP KIND [ARGS...]: run in the foreground with the app's environment.
run_app() {
  local name=$1 app=$2 kind=$3
  shift 3
  local -a envs argv
  mapfile -t envs < <(env_for "$app")
  mapfile -t argv < <(command_for "$app" "$kind" "$@")
  if [[ ${RUNNER[$app]} == venv ]]; then envs+=("PYTHONPATH=$SRC_PYTHONPATH"); fi
  env "${envs[@]}" "CMH_DISTRIBUTED_PROCESS=$name" "${argv[@]}"
}

# ------------------------------------------------------------------ 5. migrations
for app in users courses content labs assessments payments forum notifications analytics; do
  [[ -n "${RUNNER[$app]:-}" ]] || continue
  tm=$(now)
  if ! out=$(run_app "$app-migrate" "$app" api migrate 8>&- 2>&1); then
    warn "migrations of $app failed:"
    printf '%s\n' "$out" | tail -n 25 | sed 's/^/    | /' >&2
    exit 1
  fi
  say "migrated $app ($(since "$tm")s, ${RUNNER[$app]})"
done

# ------------------------------------------------------------------ 5b. labs' cloud stand-ins
# The local Azure Resource Manager (TLS; its CA in $DIST_HOME/arm-tls, made at its start) and
# GCP Resource Manager, from the labs' test harness, run from the sources (.venv).
STAND_IN_PYTHONPATH="$SRC_PYTHONPATH:packages/labs/testing:packages/kernel/testing"
declare -A STAND_IN_ARGS=(
  [labs-arm]="cmh_testing.labs.fake_arm --port $DIST_ARM_PORT --tls-dir $DIST_HOME/arm-tls --subscription $DIST_AZURE_SUBSCRIPTION"
  [labs-gcp-rm]="cmh_testing.labs.fake_resource_manager --port $DIST_GCP_RM_PORT"
)
for entry in "${DIST_STAND_INS[@]}"; do
  name=${entry%%|*} port=${entry#*|}
  if [[ -n "$(pid_of "$name")" ]]; then
    step "$name already running (pid $(pid_of "$name"))"
    continue
  fi
  log="$DIST_LOGS/$name.log"
  [[ -f "$log" ]] && mv -f "$log" "$log.1"
  read -ra args <<<"${STAND_IN_ARGS[$name]}"
  [[ $name == labs-arm ]] && args+=(--token "$(secret labs-arm-token.secret)"
    --azurite-accounts "$CMH_DISTRIBUTED_AZURITE_ACCOUNTS" --blob-endpoint "$CMH_TEST_AZURITE_URL/{account}")
  setsid env "PYTHONPATH=$STAND_IN_PYTHONPATH" "CMH_DISTRIBUTED_PROCESS=$name" \
    "$CMH_ROOT/.venv/bin/python" -m "${args[@]}" </dev/null >"$log" 2>&1 8>&- &
  echo $! >"$DIST_RUN/$name.pid"
  for _ in $(seq 1 900); do # 90 s: a cold Python start on a machine loaded by parallel test runs
    grep -q listening "$log" 2>/dev/null && break
    sleep 0.1
  done
  grep -q listening "$log" || { warn "$name did not start:"; tail -n 20 "$log" >&2; exit 1; }
  say "started $name (pid $!, port $port) log $log"
done

# ------------------------------------------------------------------ 6. processes
app_of() { printf '%s' "${1%%-*}"; }
kind_of() { if [[ $1 == *-worker ]]; then printf worker; else printf api; fi; }
port_busy() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

started=()
for entry in "${DIST_PROCESSES[@]}"; do
  name=${entry%%|*} port=${entry#*|} app=$(app_of "$name")
  [[ -n "${RUNNER[$app]:-}" ]] || continue
  pid=$(pid_of "$name")
  if [[ -n "$pid" ]]; then
    step "$name already running (pid $pid)"
    continue
  fi
  if port_busy "$port"; then
    warn "port $port (for $name) is taken by another process:"
    ss -Hltnp "sport = :$port" >&2 || true
    warn "stop it, or for the gateway choose another port: GATEWAY_PORT=8081 make up-distributed"
    exit 1
  fi
  log="$DIST_LOGS/$name.log"
  [[ -f "$log" ]] && mv -f "$log" "$log.1"
  mapfile -t envs < <(env_for "$app")
  mapfile -t argv < <(command_for "$app" "$(kind_of "$name")")
  [[ ${RUNNER[$app]} == venv ]] && envs+=("PYTHONPATH=$SRC_PYTHONPATH")
  # Static consumer-group membership: a restarted worker takes its partitions back at once.
  [[ $(kind_of "$name") == worker ]] && envs+=("CMH_KAFKA__GROUP_INSTANCE_ID=$name")
  # setsid: its own process group (pid = pgid), so down.sh stops it and nothing else.
  setsid env "${envs[@]}" "CMH_DISTRIBUTED_PROCESS=$name" "${argv[@]}" \
    </dev/null >"$log" 2>&1 8>&- &
  echo $! >"$DIST_RUN/$name.pid"
  started+=("$name")
  say "started $name (pid $!, port $port, ${RUNNER[$app]}) log $log"
done

# ------------------------------------------------------------------ 7. readiness
health_url() { # the gateway serves plain HTTP, the services HTTPS
  if [[ $1 == "$GATEWAY_PORT" ]]; then printf 'http://127.0.0.1:%s/health/ready' "$1"
  else printf '%s:%s/health/ready' "$DIST_SVC" "$1"; fi
}
say "waiting for every /health/ready (up to ${CMH_DISTRIBUTED_TIMEOUT}s)"
tw=$(now)
deadline=$((SECONDS + CMH_DISTRIBUTED_TIMEOUT))
pending=()
for entry in "${DIST_PROCESSES[@]}"; do
  name=${entry%%|*}
  [[ -n "${RUNNER[$(app_of "$name")]:-}" ]] && pending+=("$entry")
done
failed=""
while ((${#pending[@]})); do
  still=()
  for entry in "${pending[@]}"; do
    name=${entry%%|*} port=${entry#*|}
    if [[ -z "$(pid_of "$name")" ]]; then
      failed="$name exited"
      break 2
    fi
    if curl -fsS -m 3 --cacert "$DIST_CA" -o /dev/null "$(health_url "$port")" 2>/dev/null; then
      step "$name ready on :$port ($(since "$tw")s)"
    else
      still+=("$entry")
    fi
  done
  pending=("${still[@]+"${still[@]}"}")
  ((${#pending[@]})) || break
  if ((SECONDS >= deadline)); then
    failed="${pending[0]%%|*} not ready after ${CMH_DISTRIBUTED_TIMEOUT}s"
    break
  fi
  sleep 0.5
done
if [[ -n "$failed" ]]; then
  name=${failed%% *}
  port=$(port_of "$name")
  warn "$failed"
  warn "readiness: $(curl -sS -m 3 --cacert "$DIST_CA" "$(health_url "$port")" 2>&1 | head -c 600)"
  warn "last lines of $DIST_LOGS/$name.log:"
  tail -n 30 "$DIST_LOGS/$name.log" 2>/dev/null | sed 's/^/    | /' >&2
  warn "what to do: read that log; check the servers (bash infra/local/up.sh); then"
  warn "  make down && make up-distributed   (the processes that did start keep running until then)"
  exit 1
fi

# ------------------------------------------------------------------ 8. demo data
if [[ $SEED_DEMO == false ]]; then
  step "demo seed skipped (CMH_DISTRIBUTED_SEED=false)"
elif [[ -n "${RUNNER[seed]:-}" ]]; then
  say "seeding the demo data (apps/seed, ${RUNNER[seed]})"
  ts=$(now)
  seedlog="$DIST_LOGS/seed.log"
  [[ -f "$seedlog" ]] && mv -f "$seedlog" "$seedlog.1"
  # The job's environment, kept (secrets/, 0600) so it can run again by hand or from a test:
  #   env $(cat secrets/seed.env) python -m cmh.apps.seed
  (umask 077 && seed_env >"$DIST_SECRETS/seed.env")
  if ! run_app seed seed api 8>&- >"$seedlog" 2>&1; then
    warn "the demo seed failed; last lines of $seedlog:"
    tail -n 30 "$seedlog" | sed 's/^/    | /' >&2
    exit 1
  fi
  grep -E '^==> demo (data |[a-z]+ +[^ ]+ / )' "$seedlog" | sed 's/^==> /    /'
  say "demo data in place ($(since "$ts")s; log $seedlog)"
fi

# ------------------------------------------------------------------ 9. monitoring
MONITORING="${CMH_DISTRIBUTED_MONITORING:-true}"
if [[ $MONITORING == false ]]; then
  step "Prometheus and Alertmanager skipped (CMH_DISTRIBUTED_MONITORING=false)"
else
  for monitor in alertmanager prometheus; do
    tm=$(now)
    # The services serve HTTPS: Go's TLS trusts the profile's CA through SSL_CERT_FILE.
    if ! CMH_ALERTMANAGER_WEBHOOK_URL="$DIST_SVC:8107/internal/v1/notifications/alerts" \
        CMH_ALERTMANAGER_WEBHOOK_SECRET_FILE="$DIST_SECRETS/notifications-alerts.secret" \
        SSL_CERT_FILE="$DIST_TRUST" \
        bash "infra/local/$monitor.sh" up 8>&- | sed 's/^/    /'; then
      warn "$monitor did not start (see above)"
      exit 1
    fi
    say "$monitor up ($(since "$tm")s)"
  done
fi

# ------------------------------------------------------------------ 10. table
say "distributed profile up ($(since "$T0")s)"
printf '\n    %-15s %-7s %-6s %-5s %s\n' PROCESS PID PORT FROM "HEALTH / LOG"
for entry in "${DIST_PROCESSES[@]}"; do
  name=${entry%%|*} port=${entry#*|} app=$(app_of "$name")
  [[ -n "${RUNNER[$app]:-}" ]] || { printf '    %-15s %-7s %-6s %-5s %s\n' "$name" - - - "not started (apps/$app missing)"; continue; }
  printf '    %-15s %-7s %-6s %-5s %s\n' "$name" "$(pid_of "$name")" "$port" "${RUNNER[$app]}" "$(health_url "$port")"
  printf '    %-15s %-7s %-6s %-5s %s\n' "" "" "" "" "$DIST_LOGS/$name.log"
done
cat <<TXT

    servers: PostgreSQL 127.0.0.1:5432 (cmh_users, cmh_courses, cmh_labs, cmh_assessments, cmh_payments, cmh_notifications, cmh_analytics),
             Redis 127.0.0.1:6379 (db 0 users, 1 courses, 2 gateway, 3 notifications, 4 analytics), Kafka $DIST_KAFKA, FerretDB $DIST_MONGO,
             moto $DIST_MOTO (the labs' AWS), Azurite $CMH_TEST_AZURITE_URL + local ARM
             https://127.0.0.1:$DIST_ARM_PORT (Azure), fake-gcs-server $CMH_TEST_FAKE_GCS_URL +
             local Resource Manager http://127.0.0.1:$DIST_GCP_RM_PORT (GCP)
             mailpit SMTP 127.0.0.1:$DIST_SMTP_PORT (mail read back at $DIST_MAILPIT)
    logs:    $DIST_LOGS -> Elasticsearch index $DIST_LOG_INDEX
             (python3 infra/observability/saved_search.py request-lines request_id=<X-Request-ID>)
    metrics: Prometheus http://127.0.0.1:9090 (every /metrics; rules in infra/observability),
             Alertmanager http://127.0.0.1:9094 -> notifications' alert webhook -> every admin
    secrets: $DIST_SECRETS     media: $DIST_MEDIA
    TLS:     services on https://127.0.0.1:81xx and PostgreSQL, verified against $DIST_CA
    entry:   http://127.0.0.1:$GATEWAY_PORT (gateway)   stop: make down (servers: make infra-down)
TXT
