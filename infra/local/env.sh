# shellcheck shell=bash
# URLs of the local test servers that infra/local/up.sh starts.
#
#   source infra/local/env.sh             # export them into this shell (bash, zsh)
#   bash infra/local/env.sh --print       # print KEY=VALUE lines
#
# A variable already set in the environment is kept as it is (point the tests
# at other servers that way).

: "${CMH_TEST_POSTGRES_URL:=postgresql+asyncpg://cmh:cmh@127.0.0.1:5432/cmh_test}"
: "${CMH_TEST_REDIS_URL:=redis://127.0.0.1:6379/0}"
: "${CMH_TEST_KAFKA_BOOTSTRAP:=127.0.0.1:9092}"
: "${CMH_TEST_MONGO_URL:=mongodb://127.0.0.1:27017/}"
# Jaeger: where apps export traces (OTLP/HTTP; CMH_OTEL__ENDPOINT) and where tests read them.
: "${CMH_TEST_OTLP_ENDPOINT:=http://127.0.0.1:4318}"
: "${CMH_TEST_JAEGER_URL:=http://127.0.0.1:16686}"
# moto (AWS APIs, IAM enforcement on): the labs' AWS adapter reads CMH_LABS__AWS__ENDPOINT_URL.
: "${CMH_TEST_MOTO_URL:=http://127.0.0.1:${CMH_MOTO_PORT:-5055}}"
: "${CMH_LABS__AWS__ENDPOINT_URL:=$CMH_TEST_MOTO_URL}"
export CMH_TEST_POSTGRES_URL CMH_TEST_REDIS_URL CMH_TEST_KAFKA_BOOTSTRAP CMH_TEST_MONGO_URL
export CMH_TEST_OTLP_ENDPOINT CMH_TEST_JAEGER_URL
export CMH_TEST_MOTO_URL CMH_LABS__AWS__ENDPOINT_URL
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
      "CMH_TEST_REDIS_URL=$CMH_TEST_REDIS_URL" \
      "CMH_TEST_KAFKA_BOOTSTRAP=$CMH_TEST_KAFKA_BOOTSTRAP" \
      "CMH_TEST_MONGO_URL=$CMH_TEST_MONGO_URL" \
      "CMH_TEST_OTLP_ENDPOINT=$CMH_TEST_OTLP_ENDPOINT" \
      "CMH_TEST_JAEGER_URL=$CMH_TEST_JAEGER_URL" \
      "CMH_TEST_MOTO_URL=$CMH_TEST_MOTO_URL" \
      "CMH_LABS__AWS__ENDPOINT_URL=$CMH_LABS__AWS__ENDPOINT_URL" \
      "CMH_TEST_SMTP_HOST=$CMH_TEST_SMTP_HOST" \
      "CMH_TEST_SMTP_PORT=$CMH_TEST_SMTP_PORT" \
      "CMH_TEST_MAILPIT_URL=$CMH_TEST_MAILPIT_URL"
  else
    echo "usage: source ${0##*/}  |  bash ${0##*/} --print" >&2
    exit 2
  fi
fi
unset _cmh_env_executed
