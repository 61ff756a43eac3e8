import { defineConfig, type Options } from 'tsup';

const shared: Options = { format: ['esm', 'cjs'], dts: true, sourcemap: true, target: 'es2022' };

export default defineConfig([
  // The middleware: no Node built-ins, runs in edge runtimes.
  { ...shared, entry: { index: 'src/index.ts' }, platform: 'neutral', clean: true },
  // The emulator: Node only (node:http, node:http2, node:crypto), its own entry points.
  { ...shared, entry: { 'emulator/index': 'src/emulator/index.ts', 'emulator/msw': 'src/emulator/msw.ts' }, platform: 'node' },
]);
