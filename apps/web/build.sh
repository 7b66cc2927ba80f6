#!/usr/bin/env bash
# Builds the web client into apps/web/dist: the OpenAPI document of the platform, the typed
# API client generated from it, a type check (an undocumented field or status fails here)
# and the Vite build. Runs `npm ci` and the build only when the sources, the lock or the
# API changed (a stamp of their hash), so later `make run`s start at once.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
say() { echo "==> web client: $*"; }

if ! command -v npm >/dev/null; then
  say "npm is not installed: install Node.js 20+ with npm, then run bash apps/web/build.sh" >&2
  exit 1
fi

# The API the client is typed against: the platform's OpenAPI document, built from the code.
# Rewritten only when some Python source is newer than it (building the app takes seconds).
if [[ ! -f openapi.json || -n "$(find "$ROOT/packages" "$ROOT/apps" "$ROOT/contracts/src" \
      -name '*.py' -newer openapi.json -print -quit)" ]]; then
  say "writing the platform's OpenAPI document"
  paths=$(cd "$ROOT" && ls -d packages/*/src packages/*/testing apps/*/src | sed "s#^#$ROOT/#" | tr '\n' ':')$ROOT/contracts/src:$ROOT
  PYTHONPATH=$paths "$PYTHON" -m cmh.apps.platform.openapi_document openapi.json.new
  mv openapi.json.new openapi.json
fi

stamp=$(cat package.json package-lock.json index.html vite.config.ts tsconfig.json openapi.json \
  $(find src -type f ! -name schema.d.ts | sort) | sha256sum | cut -d' ' -f1)
if [[ -f dist/index.html && -f .build-stamp && "$(cat .build-stamp)" == "$stamp" ]]; then
  say "up to date (dist/)"
  exit 0
fi

lock_stamp=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -d node_modules || "$(cat node_modules/.lock-stamp 2>/dev/null)" != "$lock_stamp" ]]; then
  say "installing packages from the npm registry (npm ci; the first time takes a minute)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_stamp" > node_modules/.lock-stamp
fi
say "generating the typed API client"
npx --no-install openapi-typescript openapi.json -o src/api/schema.d.ts
say "type-checking (tsc --noEmit)"
npx --no-install tsc --noEmit
say "bundling (vite build)"
npx --no-install vite build --logLevel warn
echo "$stamp" > .build-stamp
say "built into apps/web/dist"
