# shellcheck shell=bash
# URLs of the local test servers that infra/local/up.sh starts.
#
#   source infra/local/env.sh             # export them into this shell (bash, zsh)
#   bash infra/local/env.sh --print       # print KEY=VALUE lines
#
# A variable already set in the environment is kept as it is (point the tests
# at other servers that way).

: "${CMH_TEST_POSTGRES_URL:=postgresql+asyncpg://cmh:cmh@127.0.0.1:5432/cmh_test}"
# The same database on the primary's streaming replica (hot standby: reads only).
: "${CMH_TEST_POSTGRES_REPLICA_URL:=postgresql+asyncpg://cmh:cmh@127.0.0.1:5433/cmh_test}"
# PostgreSQL serves TLS with infra/local's CA (tls.sh) for clients that ask; plain stays open.
: "${CMH_TEST_POSTGRES_ROLE_ADMIN_URL:=postgresql://cmh_roles:cmh_roles@127.0.0.1:5432/cmh_test}"
: "${CMH_TEST_POSTGRES_CA_FILE:=${CMH_INFRA_HOME:-$HOME/.cache/cmh/infra}/tls/ca.pem}"
: "${CMH_TEST_REDIS_URL:=redis://127.0.0.1:6379/0}"
: "${CMH_TEST_KAFKA_BOOTSTRAP:=127.0.0.1:9092}"
: "${CMH_TEST_MONGO_URL:=mongodb://127.0.0.1:27017/}"
# Jaeger: where apps export traces (OTLP/HTTP; CMH_OTEL__ENDPOINT) and where tests read them.
: "${CMH_TEST_OTLP_ENDPOINT:=http://127.0.0.1:4318}"
: "${CMH_TEST_JAEGER_URL:=http://127.0.0.1:16686}"
# moto (AWS APIs, IAM enforcement on): the labs' AWS adapter reads CMH_LABS__AWS__ENDPOINT_URL.
: "${CMH_TEST_MOTO_URL:=http://127.0.0.1:${CMH_MOTO_PORT:-5055}}"
: "${CMH_LABS__AWS__ENDPOINT_URL:=$CMH_TEST_MOTO_URL}"
export CMH_TEST_POSTGRES_URL CMH_TEST_POSTGRES_REPLICA_URL CMH_TEST_POSTGRES_ROLE_ADMIN_URL CMH_TEST_POSTGRES_CA_FILE CMH_TEST_REDIS_URL CMH_TEST_KAFKA_BOOTSTRAP CMH_TEST_MONGO_URL
export CMH_TEST_OTLP_ENDPOINT CMH_TEST_JAEGER_URL
export CMH_TEST_MOTO_URL CMH_LABS__AWS__ENDPOINT_URL
# Azurite (Azure Blob Storage) and fake-gcs-server (Cloud Storage): the labs' Azure and GCP
# adapters' tests. Azurite's accounts are fixed when it starts (AZURITE_ACCOUNTS format,
# name:key;...): a pool for the tests and one for the distributed profile, every one with
# the emulator's published development key (devstoreaccount1's), nothing secret.
: "${CMH_TEST_AZURITE_URL:=http://127.0.0.1:${CMH_AZURITE_PORT:-10000}}"
_cmh_azurite_key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
_cmh_azurite_pool() { # PREFIX COUNT: PREFIX00:key;PREFIX01:key;...
  _cmh_i=0 _cmh_pool=""
  while [ "$_cmh_i" -lt "$2" ]; do
    _cmh_pool="$_cmh_pool${_cmh_pool:+;}$1$(printf '%02d' "$_cmh_i"):$_cmh_azurite_key"
    _cmh_i=$((_cmh_i + 1))
  done
  printf '%s' "$_cmh_pool"
  unset _cmh_i _cmh_pool
}
: "${CMH_TEST_AZURITE_ACCOUNTS:=$(_cmh_azurite_pool cmhtest 16)}"
: "${CMH_DISTRIBUTED_AZURITE_ACCOUNTS:=$(_cmh_azurite_pool cmhdist 8)}"
unset -f _cmh_azurite_pool
unset _cmh_azurite_key
: "${CMH_TEST_FAKE_GCS_URL:=http://127.0.0.1:${CMH_FAKE_GCS_PORT:-4443}}"
export CMH_TEST_AZURITE_URL CMH_TEST_AZURITE_ACCOUNTS CMH_DISTRIBUTED_AZURITE_ACCOUNTS
export CMH_TEST_FAKE_GCS_URL
# stripe-mock (Stripe's API shapes, stateless): the payments SDK adapter's tests.
: "${CMH_TEST_STRIPE_MOCK_URL:=http://127.0.0.1:${CMH_STRIPE_MOCK_PORT:-12111}}"
export CMH_TEST_STRIPE_MOCK_URL
# Elasticsearch 9.5.3 (one local node, security off): courses' and the forum's search adapters.
: "${CMH_TEST_ELASTICSEARCH_URL:=http://127.0.0.1:${CMH_ES_PORT:-9200}}"
export CMH_TEST_ELASTICSEARCH_URL
# mailpit: SMTP in (the notifications' SMTP adapter), its HTTP API to read messages back.
: "${CMH_TEST_SMTP_HOST:=127.0.0.1}"
: "${CMH_TEST_SMTP_PORT:=${CMH_MAILPIT_SMTP_PORT:-1025}}"
: "${CMH_TEST_MAILPIT_URL:=http://127.0.0.1:${CMH_MAILPIT_HTTP_PORT:-8025}}"
export CMH_TEST_SMTP_HOST CMH_TEST_SMTP_PORT CMH_TEST_MAILPIT_URL

# Executed rather than sourced? (bash sets BASH_SOURCE; other shells: by name.)
_cmh_env_executed=""
if [ -n "${BASH_SOURCE:-}" ]; then
  [ "${BASH_SOURCE}" = "$0" ] && _cmh_env_executed=1
else
  case "$0" in env.sh | */env.sh) _cmh_env_executed=1 ;; esac
fi
if [ -n "$_cmh_env_executed" ]; then
  if [ "${1:-}" = "--print" ]; then
    printf '%s\n' \
      "CMH_TEST_POSTGRES_URL=$CMH_TEST_POSTGRES_URL" \
      "CMH_TEST_POSTGRES_REPLICA_URL=$CMH_TEST_POSTGRES_REPLICA_URL" \
      "CMH_TEST_REDIS_URL=$CMH_TEST_REDIS_URL" \
      "CMH_TEST_KAFKA_BOOTSTRAP=$CMH_TEST_KAFKA_BOOTSTRAP" \
      "CMH_TEST_MONGO_URL=$CMH_TEST_MONGO_URL" \
      "CMH_TEST_OTLP_ENDPOINT=$CMH_TEST_OTLP_ENDPOINT" \
      "CMH_TEST_JAEGER_URL=$CMH_TEST_JAEGER_URL" \
      "CMH_TEST_MOTO_URL=$CMH_TEST_MOTO_URL" \
      "CMH_LABS__AWS__ENDPOINT_URL=$CMH_LABS__AWS__ENDPOINT_URL" \
      "CMH_TEST_AZURITE_URL=$CMH_TEST_AZURITE_URL" \
      "CMH_TEST_AZURITE_ACCOUNTS=$CMH_TEST_AZURITE_ACCOUNTS" \
      "CMH_DISTRIBUTED_AZURITE_ACCOUNTS=$CMH_DISTRIBUTED_AZURITE_ACCOUNTS" \
      "CMH_TEST_FAKE_GCS_URL=$CMH_TEST_FAKE_GCS_URL" \
      "CMH_TEST_STRIPE_MOCK_URL=$CMH_TEST_STRIPE_MOCK_URL" \
      "CMH_TEST_ELASTICSEARCH_URL=$CMH_TEST_ELASTICSEARCH_URL" \
      "CMH_TEST_SMTP_HOST=$CMH_TEST_SMTP_HOST" \
      "CMH_TEST_SMTP_PORT=$CMH_TEST_SMTP_PORT" \
      "CMH_TEST_MAILPIT_URL=$CMH_TEST_MAILPIT_URL"
  else
    echo "usage: source ${0##*/}  |  bash ${0##*/} --print" >&2
    exit 2
  fi
fi
unset _cmh_env_executed
