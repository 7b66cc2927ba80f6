#!/usr/bin/env bash
# Vendors the API docs pages' JavaScript and CSS (Scalar, Swagger UI) from the npm registry
# into packages/kernel/src/cmh/kernel/web/docs_assets/ (not in git), so the apps serve them
# themselves instead of pointing browsers at a CDN. Pins and integrity: assets.lock.
# Idempotent: nothing is fetched while the files match the lock. Needs npm (Node.js).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../../packages/kernel/src/cmh/kernel/web/docs_assets"
lock="$here/assets.lock"
stamp="$out/.lock"
if [ -f "$stamp" ] && cmp -s "$stamp" "$lock"; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "docs assets: npm not found; the API docs pages will not render (install Node.js)" >&2
  exit 1
fi
mkdir -p "$out" && printf '*\n' > "$out/.gitignore"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "==> fetching the API docs assets (pinned in build-support/docs-assets/assets.lock)" >&2
grep -v '^#' "$lock" | while read -r spec integrity files; do
  [ -n "$spec" ] || continue
  pack="$work/pack"
  rm -rf "$pack" && mkdir -p "$pack"
  # npm checks the tarball against the registry's integrity; we check the registry's
  # integrity against our pin, so a re-published version cannot slip in.
  npm pack "$spec" --pack-destination "$pack" --json --silent --no-fund --no-audit \
    > "$work/pack.json"
  got=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["integrity"])' \
    "$work/pack.json")
  if [ "$got" != "$integrity" ]; then
    echo "docs assets: $spec has integrity $got, the lock says $integrity" >&2
    exit 1
  fi
  tar -xzf "$pack"/*.tgz -C "$pack"
  for mapping in $files; do
    mkdir -p "$out/$(dirname "${mapping#*=}")"
    cp "$pack/${mapping%%=*}" "$out/${mapping#*=}"
  done
done
# Ignored by git from inside (a nested .gitignore), so Pants, which reads only the root
# one, still packages them into the PEX files (//packages/kernel/src/cmh/kernel/web:docs_assets).
printf '*\n' > "$out/.gitignore"
cp "$lock" "$stamp"
