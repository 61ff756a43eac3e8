import { defineConfig, type Options } from 'tsup';

const shared: Options = { format: ['esm', 'cjs'], dts: true, sourcemap: true, target: 'es2022' };

export default defineConfig([
  // The middleware: no Node built-ins, runs in edge runtimes.
  { ...shared, entry: { index: 'src/index.ts' }, platform: 'neutral', clean: true },
  // The emulator: Node only (node:http, node:http2, node:crypto), its own entry points.
  { ...shared, entry: { 'emulator/index': 'src/emulator/index.ts', 'emulator/msw': 'src/emulator/msw.ts' }, platform: 'node' },
  // ai-sdk-bedrock-cache/node: Node-only helpers (the cache-usage JSONL sink, node:fs), kept out of the edge core.
  { ...shared, entry: { 'node/index': 'src/node/index.ts' }, platform: 'node' },
  // ai-sdk-bedrock-cache/redis: the Redis ledger stores; edge-safe, the Redis client is the app's (optional peers).
  { ...shared, entry: { 'redis/index': 'src/stores/index.ts' }, platform: 'neutral' },
  // The `ai-sdk-bedrock-cache` command (package.json bin): one ESM file for Node, the emulator
  // bundled in; no types (nothing imports it). tsup keeps the hashbang and makes it executable.
  { entry: { 'cli/index': 'src/cli/index.ts' }, format: ['esm'], platform: 'node', target: 'node18', sourcemap: true },
]);
