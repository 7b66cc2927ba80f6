#!/usr/bin/env bash
# `make test`: every test, real servers included, both profiles.
#   1. the real servers (infra/local: PostgreSQL, Redis, Kafka, FerretDB, Jaeger, moto)
#   2. the distributed profile (every app its own process, gateway on :8080; the labs' own
#      moto server on :5056)
#   3. the deployment manifests (Kubernetes, Compose) validated offline
#   4. one pytest run over packages/, contracts/, apps/ and tests/
# The distributed processes are stopped at the end whatever happened; the servers stay up
# (`make infra-down` stops them).
set -euo pipefail
cd "$(dirname "$0")/.."

bash infra/local/up.sh
# The browser journeys (tests/browser) drive Debian's Chromium and the built web client.
command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)
bash apps/web/build.sh
trap 'bash infra/distributed/down.sh >/dev/null 2>&1 || true' EXIT
bash infra/distributed/up.sh
bash infra/k8s/validate.sh

set -a
# shellcheck source=infra/local/env.sh
source infra/local/env.sh
# shellcheck source=infra/distributed/env.sh
source infra/distributed/env.sh
set +a
# Long forms (marked `long`) are `make chaos`'s. The slowest tests are listed at the end:
# what to look at first when the run nears its time budget.
.venv/bin/python -m pytest packages contracts apps tests -m "not long" --durations=30 "$@"
