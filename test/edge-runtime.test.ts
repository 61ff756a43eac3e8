import { isBuiltin } from 'node:module';
import { fileURLToPath } from 'node:url';
import { EdgeVM } from '@edge-runtime/vm';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBedrockEmulator, type RunningBedrockEmulator } from '../src/emulator';
import type { EdgeRunOutput } from './edge/edge-app';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
const credentials = { accessKeyId: 'AKIDEDGE', secretAccessKey: 'edge-secret' };

/** Bundles for an edge runtime the way Next.js does: edge conditions, no Node built-ins. */
async function bundleForEdge(entry: string, external: string[] = []) {
  return build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    format: 'iife',
    globalName: 'edgeApp',
    platform: 'neutral',
    conditions: ['edge-light', 'worker', 'browser', 'import', 'default'],
    mainFields: ['module', 'main'],
    target: 'es2022',
    logLevel: 'silent',
    external,
    alias: { 'ai-sdk-bedrock-cache': path('../src/index.ts') },
  });
}

describe('edge runtime', () => {
  it('the core entry imports no Node built-in, directly or through its dependencies', async () => {
    // platform 'neutral' resolves no built-in: one anywhere in the graph fails the build
    const { metafile } = await bundleForEdge(path('../src/index.ts'));
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((input) => input.includes('src/emulator/'))).toBe(false);
    const imports = Object.values(metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
    expect(imports.filter((name) => name.startsWith('node:') || isBuiltin(name))).toEqual([]);
  });

  it('a Node built-in would be caught', async () => {
    await expect(bundleForEdge(path('../src/emulator/index.ts'))).rejects.toThrow(/node:|Could not resolve/);
  });

  describe('inside @edge-runtime/vm', () => {
    let emulator: RunningBedrockEmulator;
    beforeAll(async () => {
      emulator = await startBedrockEmulator({ port: 0, credentials });
    });
    afterAll(() => emulator.close());

    it('places checkpoints and reports cache usage with the real ai and provider', async () => {
      const { outputFiles } = await bundleForEdge(path('./edge/edge-app.ts'));
      const vm = new EdgeVM({ initialCode: outputFiles[0]!.text });
      const json = await vm.evaluate<Promise<string>>(
        `edgeApp.run(${JSON.stringify({ baseURL: emulator.url, ...credentials })}).then((output) => JSON.stringify(output))`,
      );
      const output = JSON.parse(json) as EdgeRunOutput;

      expect(output.runtime).toEqual({ edgeRuntime: 'edge-runtime', process: 'undefined', require: 'undefined', buffer: 'undefined' });
      for (const [first, second] of [output.generate, output.stream]) {
        expect(first!.cacheWriteInputTokens).toBeGreaterThan(1000);
        expect(first!.cacheReadInputTokens).toBe(0);
        // the second question reads the system prompt the first one wrote
        expect(second!.cacheReadInputTokens).toBeGreaterThan(1000);
        expect(second!.cacheReadInputTokens).toBeLessThanOrEqual(first!.cacheWriteInputTokens);
      }
      // every request carried checkpoints and passed the emulator's Bedrock validation
      expect(emulator.requests.map((r) => [r.operation, r.status])).toEqual([
        ['Converse', 200],
        ['Converse', 200],
        ['ConverseStream', 200],
        ['ConverseStream', 200],
      ]);
      for (const { body } of emulator.requests) expect(JSON.stringify(body)).toContain('"cachePoint"');
    });
  });
});
