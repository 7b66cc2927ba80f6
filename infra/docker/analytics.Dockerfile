# The analytics service: API (default) and worker (outbox relay, consumers) from the PEX files
# Pants builds (apps/analytics:api, apps/analytics:worker).
#   ./pants package infra/docker:analytics        (needs a Docker engine)
#   docker run cmh/analytics                      the API on :8000
#   docker run --entrypoint /opt/cmh/worker/pex cmh/analytics    the worker
FROM python:3.11-slim

# Settings come from CMH_* variables (database, Kafka, Redis URLs...) at `docker run`.
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    CMH_HTTP__HOST=0.0.0.0

# Each PEX is unpacked into its own venv at build time: fast start, no PEX_ROOT at run time.
COPY apps.analytics/api.pex /tmp/pex/api.pex
COPY apps.analytics/worker.pex /tmp/pex/worker.pex
RUN PEX_TOOLS=1 python3.11 /tmp/pex/api.pex venv --compile /opt/cmh/api \
 && PEX_TOOLS=1 python3.11 /tmp/pex/worker.pex venv --compile /opt/cmh/worker \
 && rm -rf /tmp/pex \
 && useradd --system --uid 10001 --home-dir /var/lib/cmh --create-home cmh

USER cmh
WORKDIR /var/lib/cmh
EXPOSE 8000
ENTRYPOINT ["/opt/cmh/api/pex"]
