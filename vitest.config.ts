import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // examples import the package by name, as users do
    alias: [
      { find: /^ai-sdk-bedrock-cache\/emulator$/, replacement: src('emulator/index.ts') },
      { find: /^ai-sdk-bedrock-cache$/, replacement: src('index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 20_000,
  },
});
