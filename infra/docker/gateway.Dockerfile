# The API gateway from the PEX Pants builds (apps/gateway:api).
#   ./pants package infra/docker:gateway      (needs a Docker engine)
#   docker run -p 8080:8080 cmh/gateway
FROM python:3.11-slim

# Settings come from CMH_* variables (upstream service URLs, Redis, JWT keys) at `docker run`.
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    CMH_HTTP__HOST=0.0.0.0

# The PEX is unpacked into a venv at build time: fast start, no PEX_ROOT at run time.
COPY apps.gateway/api.pex /tmp/pex/api.pex
RUN PEX_TOOLS=1 python3.11 /tmp/pex/api.pex venv --compile /opt/cmh/api \
 && rm -rf /tmp/pex \
 && useradd --system --uid 10001 --home-dir /var/lib/cmh --create-home cmh

USER cmh
WORKDIR /var/lib/cmh
EXPOSE 8080
ENTRYPOINT ["/opt/cmh/api/pex"]
