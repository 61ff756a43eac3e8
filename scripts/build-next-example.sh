#!/usr/bin/env bash
# Builds examples/next-chat with `next build` (App Router page + route handler, type-checked
# by Next) against the library as npm installs it: dist is built first, and the example's
# lockfile installs ai-sdk-bedrock-cache from ../.. as a packed copy (.npmrc install-links),
# with its own ai 6, @ai-sdk/react, next and react. Only this script installs the example.
# After changing the library's dependencies, refresh the example's lockfile:
#   (cd examples/next-chat && npm install)
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build --silent >/dev/null
node scripts/npm-install-locked.mjs examples/next-chat
cd examples/next-chat
NEXT_TELEMETRY_DISABLED=1 npx --no next build
