# The demo seed job of the distributed profile from the PEX Pants builds (apps/seed:seed):
# the demo accounts, lab templates, media and catalog of `make run`, written into each
# service's stores (idempotent). Demo deployments only (infra/k8s/overlays/demo, the
# compose `seed` service); production never runs it.
#   ./pants package infra/docker:seed        (needs a Docker engine)
#   docker run --env-file seed.env cmh/seed
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1

COPY apps.seed/seed.pex /tmp/pex/seed.pex
RUN PEX_TOOLS=1 python3.11 /tmp/pex/seed.pex venv --compile /opt/cmh/seed \
 && rm -rf /tmp/pex \
 && useradd --system --uid 10001 --home-dir /var/lib/cmh --create-home cmh

USER cmh
WORKDIR /var/lib/cmh
ENTRYPOINT ["/opt/cmh/seed/pex"]
