import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startBedrockEmulator } from '../src/emulator';
import { EMULATOR_CREDENTIALS, emulatorEnvironment, EXAMPLES } from '../scripts/examples';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx/cli');

/** `npm run example:<name>`: the runner, in its own process, on this test run's Node. */
function runExample(args: string[], env = process.env): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsx, 'scripts/run-example.ts', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('every example runs against the emulator (npm run example:<name>)', () => {
  it('covers every example in examples/', async () => {
    const { readdir } = await import('node:fs/promises');
    const files = (await readdir(new URL('../examples', import.meta.url))).filter((file) => file.endsWith('.ts'));
    const registered = Object.values(EXAMPLES).map((example) => example.file);
    for (const file of files) expect(registered).toContain(`examples/${file}`);
    expect(registered).toContain('examples/next-chat/chat-in-terminal.ts');
  });

  it.concurrent.each(Object.keys(EXAMPLES))('%s', async (name) => {
    const { code, output } = await runExample([name]);
    expect(code, output).toBe(0);
    const line = output.split('\n').find((l) => l.startsWith('emulator: '));
    expect(line, output).toBeDefined();
    const summary = JSON.parse(line!.slice('emulator: '.length));
    expect(summary.rejected).toEqual([]);
    expect(summary.requests).toBeGreaterThanOrEqual(2);
    // every example asks again behind the same long prefix: later calls read it back
    expect(summary.cacheReadInputTokens).toBeGreaterThan(1000);
  }, 60_000);

  it('--live leaves the provider to the environment and starts no emulator', async () => {
    // "live" here is an endpoint the caller configured, as AWS_ENDPOINT_URL_BEDROCK_RUNTIME would be
    const bedrock = await startBedrockEmulator({ port: 0, credentials: EMULATOR_CREDENTIALS });
    try {
      const env = { ...process.env, ...emulatorEnvironment(bedrock.url) } as NodeJS.ProcessEnv;
      for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
      const { code, output } = await runExample(['generate-text', '--live'], env);
      expect(code, output).toBe(0);
      expect(output).toContain('against Amazon Bedrock');
      expect(output).not.toContain('emulator: ');
      expect(bedrock.requests.map((r) => r.status)).toEqual([200, 200]);
    } finally {
      await bedrock.close();
    }
  }, 60_000);
});
