# The notifications service: API (default) and worker (consumers, SQS mail jobs, the mail timer) from the PEX files
# Pants builds (apps/notifications:api, apps/notifications:worker).
#   ./pants package infra/docker:notifications        (needs a Docker engine)
#   docker run cmh/notifications                      the API on :8000
#   docker run --entrypoint /opt/cmh/worker/pex cmh/notifications    the worker
FROM python:3.11-slim

# Settings come from CMH_* variables (database, Kafka, Redis URLs...) at `docker run`.
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    CMH_HTTP__HOST=0.0.0.0

# Each PEX is unpacked into its own venv at build time: fast start, no PEX_ROOT at run time.
COPY apps.notifications/api.pex /tmp/pex/api.pex
COPY apps.notifications/worker.pex /tmp/pex/worker.pex
RUN PEX_TOOLS=1 python3.11 /tmp/pex/api.pex venv --compile /opt/cmh/api \
 && PEX_TOOLS=1 python3.11 /tmp/pex/worker.pex venv --compile /opt/cmh/worker \
 && rm -rf /tmp/pex \
 && useradd --system --uid 10001 --home-dir /var/lib/cmh --create-home cmh

USER cmh
WORKDIR /var/lib/cmh
EXPOSE 8000
ENTRYPOINT ["/opt/cmh/api/pex"]
