#!/usr/bin/env bash
# Builds examples/next-chat with `next build` (App Router page + route handler, type-checked
# by Next) against the library as npm installs it: dist is built first, and the example's
# lockfile installs ai-sdk-bedrock-cache from ../.. as a packed copy (.npmrc install-links),
# with its own ai 6, @ai-sdk/react, next and react. Only this script installs the example.
# The example's lockfile records the library's package.json (dependencies, peers, bin), and npm
# never refreshes that record: after changing those, run and commit
#   node scripts/check-example-lock.mjs examples/next-chat --fix
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/check-example-lock.mjs examples/next-chat
npm run build --silent >/dev/null
cd examples/next-chat
npm ci --no-audit --no-fund --loglevel=error
NEXT_TELEMETRY_DISABLED=1 npx --no next build
