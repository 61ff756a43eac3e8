import { describe, expect, it } from 'vitest';
import { createBedrockEmulator, type BedrockEmulator } from '../../src/emulator/index.js';
import { cachePoint, HAIKU, MINUTE, NOVA, SONNET, testClock, words } from './helpers.js';

/** Calls Converse in-process (no credentials configured: no auth). */
async function converse(emulator: BedrockEmulator, modelId: string, body: unknown) {
  const response = await emulator.fetch(`http://emulator.test/model/${encodeURIComponent(modelId)}/converse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as any;
  expect(response.status, JSON.stringify(json)).toBe(200);
  return json.usage as {
    inputTokens: number;
    outputTokens: number;
    totalTokens: number;
    cacheReadInputTokens: number;
    cacheWriteInputTokens: number;
    cacheDetails?: Array<{ ttl: string; inputTokens: number }>;
  };
}

// These tests reason in content tokens (`hiddenTokens: false`): the hidden ones have their own tests (hidden-tokens.test.ts).
const SYSTEM = words(1200); // exactly 1200 tokens
const text = (value: string) => ({ text: value });
const user = (...content: unknown[]) => ({ role: 'user', content });
const assistant = (...content: unknown[]) => ({ role: 'assistant', content });
// 'hello there' = 2 tokens + 3 message overhead = 5
const HELLO = text('hello there');

describe('emulated prompt cache (Converse)', () => {
  it('writes at a system checkpoint, then reads it on the second call', async () => {
    const emulator = createBedrockEmulator({ hiddenTokens: false });
    const body = { system: [text(SYSTEM), cachePoint()], messages: [user(HELLO)] };
    const first = await converse(emulator, SONNET, body);
    expect(first).toMatchObject({ inputTokens: 5, cacheReadInputTokens: 0, cacheWriteInputTokens: 1200 });
    expect(first.cacheDetails).toEqual([{ ttl: '5m', inputTokens: 1200 }]);
    expect(first.totalTokens).toBe(1205 + first.outputTokens);

    const second = await converse(emulator, SONNET, body);
    expect(second).toMatchObject({ inputTokens: 5, cacheReadInputTokens: 1200, cacheWriteInputTokens: 0 });
    expect(second.cacheDetails).toBeUndefined();
    expect(emulator.requests.map((r) => r.usage?.cacheReadInputTokens)).toEqual([0, 1200]);
  });

  it('invalidates everything after a change, keeps the prefix before it', async () => {
    const emulator = createBedrockEmulator({ hiddenTokens: false });
    const body = (question: string) => ({
      system: [text(SYSTEM), cachePoint()],
      messages: [user(text(question), cachePoint())],
    });
    await converse(emulator, SONNET, body('hello there'));
    expect(await converse(emulator, SONNET, body('hello again'))).toMatchObject({
      cacheReadInputTokens: 1200,
      cacheWriteInputTokens: 5,
      inputTokens: 0,
    });
    expect(await converse(emulator, SONNET, { ...body('hello again'), system: [text(`${SYSTEM} x`), cachePoint()] })).toMatchObject({
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 1206,
    });
  });

  it('keeps one cache per model / inference profile', async () => {
    const emulator = createBedrockEmulator({ hiddenTokens: false });
    const body = { system: [text(SYSTEM), cachePoint()], messages: [user(HELLO)] };
    await converse(emulator, SONNET, body);
    expect((await converse(emulator, SONNET.replace(/^us\./, 'eu.'), body)).cacheReadInputTokens).toBe(0);
    const arn = `arn:aws:bedrock:us-east-1:123456789012:inference-profile/${SONNET}`;
    expect((await converse(emulator, arn, body)).cacheReadInputTokens).toBe(1200);
  });

  it('Claude: a checkpoint reads an entry up to 20 block boundaries back (lookback), not 21', async () => {
    const emulator = createBedrockEmulator({ hiddenTokens: false });
    // request 1: entry at the end of the first user message (units: system, hello → position 2)
    await converse(emulator, SONNET, { system: [text(SYSTEM)], messages: [user(HELLO, cachePoint())] });
    // request 2: 1 assistant block + 19 user blocks later → checkpoint at position 22 = 2 + 20
    const nineteen = Array.from({ length: 19 }, (_, i) => text(`p${i}`));
    const hit = await converse(emulator, SONNET, {
      system: [text(SYSTEM)],
      messages: [user(HELLO), assistant(text('ok fine')), user(...nineteen, cachePoint())],
    });
    // written: assistant 2+3, user 19 + 3
    expect(hit).toMatchObject({ cacheReadInputTokens: 1205, cacheWriteInputTokens: 5 + 22, inputTokens: 0 });

    emulator.reset();
    await converse(emulator, SONNET, { system: [text(SYSTEM)], messages: [user(HELLO, cachePoint())] });
    const twenty = Array.from({ length: 20 }, (_, i) => text(`p${i}`));
    const miss = await converse(emulator, SONNET, {
      system: [text(SYSTEM)],
      messages: [user(HELLO), assistant(text('ok fine')), user(...twenty, cachePoint())],
    });
    expect(miss).toMatchObject({ cacheReadInputTokens: 0, cacheWriteInputTokens: 1205 + 5 + 23 });
  });

  it('Nova: no lookback, a checkpoint only hits an entry at its own prefix', async () => {
    const emulator = createBedrockEmulator({ hiddenTokens: false });
    await converse(emulator, NOVA, { system: [text(SYSTEM)], messages: [user(HELLO, cachePoint())] });
    const next = await converse(emulator, NOVA, {
      system: [text(SYSTEM)],
      messages: [user(HELLO), assistant(text('ok fine')), user(text('more please'), cachePoint())],
    });
    expect(next).toMatchObject({ cacheReadInputTokens: 0, cacheWriteInputTokens: 1215 });
    const keptCheckpoint = await converse(emulator, NOVA, {
      system: [text(SYSTEM)],
      messages: [user(HELLO, cachePoint()), assistant(text('ok fine')), user(text('more please'), cachePoint())],
    });
    expect(keptCheckpoint).toMatchObject({ cacheReadInputTokens: 1215, cacheWriteInputTokens: 0 });
  });

  it('Nova: a checkpoint beyond 20K cumulative tokens caches nothing', async () => {
    const emulator = createBedrockEmulator({ hiddenTokens: false });
    const usage = await converse(emulator, NOVA, {
      system: [text(words(15_000)), cachePoint()],
      messages: [user(text(words(6000)), cachePoint())],
    });
    expect(usage).toMatchObject({ cacheWriteInputTokens: 15_000, cacheReadInputTokens: 0, inputTokens: 6003 });
  });

  it('below the model minimum a checkpoint is silently not cached', async () => {
    const emulator = createBedrockEmulator({ hiddenTokens: false });
    // Sonnet 4.5: 1024. 1000 + 5 = 1005 < 1024
    const below = await converse(emulator, SONNET, { system: [text(words(1000)), cachePoint()], messages: [user(HELLO, cachePoint())] });
    expect(below).toMatchObject({ inputTokens: 1005, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 });
    // exactly at the minimum: 1019 + 5 = 1024
    const at = await converse(emulator, SONNET, { system: [text(words(1019))], messages: [user(HELLO, cachePoint())] });
    expect(at).toMatchObject({ inputTokens: 0, cacheWriteInputTokens: 1024 });
    // Haiku 4.5: 4096
    const haiku = await converse(emulator, HAIKU, { system: [text(words(4000)), cachePoint()], messages: [user(HELLO)] });
    expect(haiku).toMatchObject({ inputTokens: 4005, cacheWriteInputTokens: 0 });
    // the minimum counts tools + system + messages before the checkpoint
    const withTools = await converse(emulator, HAIKU, {
      toolConfig: {
        tools: [{ toolSpec: { name: 'lookup', description: words(200, 'd'), inputSchema: { json: { type: 'object' } } } }],
      },
      system: [text(words(4000))],
      messages: [user(HELLO, cachePoint())],
    });
    expect(withTools.cacheWriteInputTokens).toBeGreaterThan(4205);
    expect(withTools.inputTokens).toBe(0);
  });

  it('Opus 5 and Fable 5 cache a prefix of 512 tokens; Sonnet 4 needs 1,024 (shared doc §3 2026-12)', async () => {
    const emulator = createBedrockEmulator({ hiddenTokens: false });
    const body = (n: number) => ({ system: [text(words(n)), cachePoint()], messages: [user(HELLO)] });
    for (const model of ['us.anthropic.claude-opus-5', 'anthropic.claude-fable-5', 'global.anthropic.claude-fable-5-1', 'anthropic.claude-opus-5-5']) {
      expect((await converse(emulator, model, body(512))).cacheWriteInputTokens, model).toBe(512);
      expect((await converse(emulator, model, body(511))).cacheWriteInputTokens, model).toBe(0);
    }
    expect((await converse(emulator, 'us.anthropic.claude-sonnet-4-20250514-v1:0', body(900))).cacheWriteInputTokens).toBe(0);
    expect((await converse(emulator, 'us.anthropic.claude-sonnet-4-20250514-v1:0', body(1024))).cacheWriteInputTokens).toBe(1024);
  });

  it('5m entries expire after 5 minutes without a hit, and every hit restarts the TTL', async () => {
    const clock = testClock();
    const emulator = createBedrockEmulator({ now: clock.now, hiddenTokens: false });
    const body = { system: [text(SYSTEM), cachePoint()], messages: [user(HELLO)] };
    expect((await converse(emulator, SONNET, body)).cacheWriteInputTokens).toBe(1200);
    clock.advance(4 * MINUTE + 59_000);
    expect((await converse(emulator, SONNET, body)).cacheReadInputTokens).toBe(1200);
    clock.advance(4 * MINUTE + 59_000); // 9m58s after the write, 4m59s after the hit
    expect((await converse(emulator, SONNET, body)).cacheReadInputTokens).toBe(1200);
    clock.advance(5 * MINUTE + 1000);
    expect(await converse(emulator, SONNET, body)).toMatchObject({ cacheReadInputTokens: 0, cacheWriteInputTokens: 1200 });
  });

  it('1h entries survive what 5m entries do not', async () => {
    const clock = testClock();
    const emulator = createBedrockEmulator({ now: clock.now, hiddenTokens: false });
    const body = {
      system: [text(SYSTEM), cachePoint('1h')],
      messages: [user(HELLO, cachePoint('5m'))],
    };
    const first = await converse(emulator, SONNET, body);
    expect(first.cacheDetails).toEqual([
      { ttl: '1h', inputTokens: 1200 },
      { ttl: '5m', inputTokens: 5 },
    ]);
    clock.advance(30 * MINUTE);
    expect(await converse(emulator, SONNET, body)).toMatchObject({ cacheReadInputTokens: 1200, cacheWriteInputTokens: 5 });
    clock.advance(59 * MINUTE); // 59 min after the last hit
    expect((await converse(emulator, SONNET, body)).cacheReadInputTokens).toBe(1200);
    clock.advance(61 * MINUTE);
    expect((await converse(emulator, SONNET, body)).cacheReadInputTokens).toBe(0);
  });

  it('a Claude without extended TTL rejects a 1h checkpoint (shared doc §1 2026-12; it was silently 5m before)', async () => {
    const emulator = createBedrockEmulator({ hiddenTokens: false });
    const response = await emulator.fetch(`http://emulator.test/model/anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse`, {
      method: 'POST',
      body: JSON.stringify({ system: [text(SYSTEM), cachePoint('1h')], messages: [user(HELLO)] }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toBe(
      'The model returned the following errors: system.0.cache_control.ephemeral.ttl: Extra inputs are not permitted',
    );
  });

  it('other vendors answer without caching and, like Nova without a checkpoint, report no cache counters', async () => {
    const emulator = createBedrockEmulator({ hiddenTokens: false });
    const usage = await converse(emulator, 'meta.llama3-70b-instruct-v1:0', { system: [text(SYSTEM)], messages: [user(HELLO)] });
    expect(usage).toMatchObject({ inputTokens: 1205, totalTokens: 1205 + usage.outputTokens });
    expect(usage).not.toHaveProperty('cacheReadInputTokens');
    expect(usage).not.toHaveProperty('cacheWriteInputTokens');
  });

  it('reset() clears the cache and the log', async () => {
    const emulator = createBedrockEmulator({ hiddenTokens: false });
    const body = { system: [text(SYSTEM), cachePoint()], messages: [user(HELLO)] };
    await converse(emulator, SONNET, body);
    emulator.reset();
    expect(emulator.requests).toHaveLength(0);
    expect((await converse(emulator, SONNET, body)).cacheWriteInputTokens).toBe(1200);
  });
});
