# The embedded all-in-one platform (every context in one process, SQLite, in-process bus)
# from the PEX Pants builds (apps/platform:platform).
#   ./pants package infra/docker:platform     (needs a Docker engine)
#   docker run -p 8000:8000 -v cmh-data:/var/lib/cmh cmh/platform
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    CMH_HTTP__HOST=0.0.0.0 \
    CMH_DATA_DIR=/var/lib/cmh/.data

# The PEX is unpacked into a venv at build time: fast start, no PEX_ROOT at run time.
COPY apps.platform/platform.pex /tmp/pex/platform.pex
RUN PEX_TOOLS=1 python3.11 /tmp/pex/platform.pex venv --compile /opt/cmh/platform \
 && rm -rf /tmp/pex \
 && useradd --system --uid 10001 --home-dir /var/lib/cmh --create-home cmh

USER cmh
WORKDIR /var/lib/cmh
VOLUME ["/var/lib/cmh"]
EXPOSE 8000
ENTRYPOINT ["/opt/cmh/platform/pex"]
