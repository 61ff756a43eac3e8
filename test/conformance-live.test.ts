import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../conformance/cli.js';
import { DEFAULT_FIXTURES_DIR, loadFixtures } from '../conformance/load-fixtures.js';
import { runFixture } from '../conformance/run-fixture.js';
import { runConformance } from '../conformance/run-conformance.js';
import { liveTarget } from '../conformance/targets/live-target.js';
import { emulatorTarget } from '../conformance/targets/emulator-target.js';
import { startBedrockEmulator, type RunningBedrockEmulator } from '../src/emulator/index.js';

// The live runner end to end: the real AWS SDK client, its default credential / region / endpoint
// chains, SigV4 signing, HTTP — pointed at the emulator over loopback as if it were AWS
// (AWS_ENDPOINT_URL_BEDROCK_RUNTIME). The emulator verifies the signatures, so a body swapped
// after signing would be rejected.
const CREDENTIALS = { accessKeyId: 'AKIACONFORMANCETEST1', secretAccessKey: 'conformance-test-secret' };
const ENV = {
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME: '',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
  AWS_BEARER_TOKEN_BEDROCK: undefined,
  AWS_ENDPOINT_URL: undefined,
};

let emulator: RunningBedrockEmulator;
const saved: Record<string, string | undefined> = {};
const dir = mkdtempSync(join(tmpdir(), 'conformance-'));

async function run(args: string[]) {
  const lines: string[] = [];
  const code = await main(args, (line) => lines.push(line));
  return { code, output: lines.join('\n') };
}

beforeAll(async () => {
  // Configured like the in-process replay (Bedrock's hidden tokens counted). Responses that write
  // begin 50 ms after their request arrives, so the two requests of a
  // parallel group (sent together) both arrive before either has begun: both write, as on Bedrock.
  emulator = await startBedrockEmulator({
    credentials: CREDENTIALS,
    hiddenTokens: true,
    timeToFirstByteMs: ({ usage }) => (usage.cacheWriteInputTokens > 0 ? 50 : 0),
  });
  for (const [name, value] of Object.entries({ ...ENV, AWS_ENDPOINT_URL_BEDROCK_RUNTIME: emulator.url })) {
    saved[name] = process.env[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await emulator.close();
});

describe('npm run conformance -- --live, against the emulator over HTTP', () => {
  it('asks before sending and sends nothing without a yes', async () => {
    const { code, output } = await run(['--live', '--filter', 'converse/unknown-model']);
    expect(code).toBe(2);
    expect(output).toMatch(/1 of 1 fixtures, 1 requests/);
    expect(output).toMatch(/Cost: at most \$\d+\.\d\d/);
    expect(output).toMatch(/pass --yes/);
    expect(emulator.requests).toHaveLength(0);
  });

  it('agrees with the in-process replay on every fixture; TTL fixtures are skipped without --wait', async () => {
    const reportPath = join(dir, 'report.json');
    const { code, output } = await run(['--live', '--yes', '--report', reportPath]);
    expect(output).toContain(`Live conformance run against ${emulator.url} (region us-east-1)`);
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    const fixtures = loadFixtures();
    expect(report.results).toHaveLength(fixtures.length);
    const replay = emulatorTarget();
    const mismatches: string[] = [];
    for (const fixture of fixtures) {
      const live = report.results.find((result: any) => result.id === fixture.id);
      if (live.verdict === 'skipped') {
        if (!/clock/.test(live.reason)) mismatches.push(`${fixture.id}: skipped (${live.reason})`);
        continue;
      }
      // 100% agreement, apart from the emulator's known gaps, which must differ here as in the replay
      const inProcess = await runFixture(fixture, replay, 'replay');
      const expected = fixture.knownEmulatorGap ? 'differ' : 'agree';
      if (live.verdict !== expected || inProcess.verdict !== expected) {
        mismatches.push(`${fixture.id}: over HTTP ${live.verdict} (${live.differences.join('; ')}), in process ${inProcess.verdict}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(report.summary.skipped).toBe(fixtures.filter((fixture) => fixture.steps?.some((step) => 'advanceClockSeconds' in step)).length);
    expect(report.summary.agree).toBeGreaterThanOrEqual(40);
    expect(code).toBe(fixtures.some((fixture) => fixture.knownEmulatorGap) ? 1 : 0);
  });

  it('counts every accepted Claude prompt with CountTokens on both sides (--count-tokens)', async () => {
    const reportPath = join(dir, 'count.json');
    const { code, output } = await run(['--live', '--yes', '--count-tokens', '--report', reportPath]);
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    expect(report.rows.length).toBeGreaterThanOrEqual(30);
    // the emulator against itself over HTTP: every prompt counted, identically
    expect(report.rows.filter((row: any) => row.reference === undefined || row.reference !== row.candidate)).toEqual([]);
    expect(output).toMatch(/prompts: mean \|error\| 0\.0%, worst 0\.0%/);
  });

  it('reports a deliberately broken fixture as a difference', async () => {
    const brokenDir = mkdtempSync(join(tmpdir(), 'conformance-broken-'));
    const original = JSON.parse(readFileSync(join(DEFAULT_FIXTURES_DIR, 'converse/csv-text-checkpoint-accepted.json'), 'utf8'));
    // claims Bedrock rejects [csv, text, cachePoint]: the emulator (like Bedrock) accepts it
    const broken = { ...original, expect: { status: 400, errorType: 'ValidationException', messagePattern: 'Field required' } };
    mkdirSync(join(brokenDir, 'broken'));
    writeFileSync(join(brokenDir, 'broken', 'csv-text-checkpoint-rejected.json'), JSON.stringify(broken));
    writeFileSync(join(brokenDir, 'broken', 'csv-text-checkpoint-accepted.json'), JSON.stringify(original));
    const reportPath = join(dir, 'broken.json');
    const { code, output } = await run(['--live', '--yes', '--fixtures', brokenDir, '--report', reportPath]);
    expect(code).toBe(1);
    expect(output).toMatch(/differ\s+broken\/csv-text-checkpoint-rejected\s+#0: status 200, expected 400/);
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    expect(report.summary).toEqual({ fixtures: 2, agree: 1, differ: 1, skipped: 0 });
  });
});

describe('live target: throttling and models the account lacks', () => {
  // A stand-in for Bedrock at the network boundary, answering as Bedrock does when it throttles
  // and when the account has no access to a model.
  async function fakeBedrock(answer: (path: string, count: number) => { status: number; type: string; message: string }) {
    let count = 0;
    // cleartext HTTP/2, as bedrock-runtime's default handler speaks to an http:// endpoint
    const server = http2.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const { status, type, message } = answer(req.url ?? '', count++);
        res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` });
        res.end(JSON.stringify({ message }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())), requests: () => count };
  }

  it('retries throttling with backoff, then compares the real answer', async () => {
    const fake = await fakeBedrock((_path, count) =>
      count < 2
        ? { status: 429, type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' }
        : { status: 400, type: 'ValidationException', message: 'The provided model identifier is invalid.' },
    );
    process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = fake.url;
    try {
      const retries: number[] = [];
      const target = liveTarget({ backoffMs: 5, onRetry: (_request, attempt) => retries.push(attempt) });
      const fixtures = loadFixtures().filter((fixture) => fixture.id === 'converse/unknown-model-rejected');
      const [result] = await runConformance({ target, fixtures });
      target.client.destroy();
      expect(result?.differences).toEqual([]);
      expect(retries).toEqual([1, 2]);
      expect(fake.requests()).toBe(3);
      expect(result?.verdict).toBe('agree');
    } finally {
      process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = emulator.url;
      await fake.close();
    }
  });

  it('skips, and names, a model the account has no access to', async () => {
    const fake = await fakeBedrock(() => ({ status: 403, type: 'AccessDeniedException', message: "You don't have access to the model with the specified model ID." }));
    process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = fake.url;
    try {
      const target = liveTarget();
      const fixtures = loadFixtures().filter((fixture) => fixture.id === 'models/opus-4-1-caches');
      const [result] = await runConformance({ target, fixtures });
      target.client.destroy();
      expect(result?.verdict).toBe('skipped');
      expect(result?.reason).toBe("no access to the model: You don't have access to the model with the specified model ID.");
    } finally {
      process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = emulator.url;
      await fake.close();
    }
  });
});
