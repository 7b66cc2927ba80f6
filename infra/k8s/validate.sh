#!/usr/bin/env bash
# make validate-manifests: render and validate infra/k8s (base + overlays/production) and
# infra/compose/docker-compose.yml, offline. The validators come from PyPI (pinned) into a
# cache venv; their schemas ship inside the packages, nothing else is downloaded.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${XDG_CACHE_HOME:-$HOME/.cache}/cmh/validate-venv"
REQS=(kubernetes-validate==1.37.0 check-jsonschema==0.39.0 yamllint==1.38.0 pyyaml==6.0.3)
STAMP="$VENV/.cmh-$(printf '%s ' "${REQS[@]}" | sha256sum | cut -c1-12)"
PY=$(command -v python3.11 || command -v python3)
if [[ ! -f "$STAMP" ]]; then
  echo "==> installing the manifest validators into $VENV (${REQS[*]})"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${REQS[@]}"
  touch "$STAMP"
fi
exec "$VENV/bin/python" "$ROOT/infra/k8s/validate_manifests.py"
