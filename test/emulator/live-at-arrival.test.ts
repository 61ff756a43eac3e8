/**
 * The request log's ground truth (contract C5): `liveAtArrival` is the longest prefix of a
 * request's prompt that was live in the emulator's cache when it arrived, before it was served,
 * whatever its checkpoints: what the request could have read at best. The miss corpus
 * (test/miss-corpus.test.ts) judges the middleware's `cacheMiss` against it.
 */
import { describe, expect, it } from 'vitest';
import { createBedrockEmulator, type BedrockEmulator, type BedrockEmulatorOptions } from '../../src/emulator/index.js';
import { cachePoint, MINUTE, NOVA, SONNET, testClock, words } from './helpers.js';

const SYSTEM = words(1200); // exactly 1,200 tokens
const text = (value: string) => ({ text: value });
const user = (...content: unknown[]) => ({ role: 'user', content });
const assistant = (...content: unknown[]) => ({ role: 'assistant', content });

async function converse(emulator: BedrockEmulator, body: unknown, modelId = SONNET) {
  const response = await emulator.fetch(`http://emulator.test/model/${encodeURIComponent(modelId)}/converse`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  const entry = emulator.requests.at(-1)!;
  return { live: entry.liveAtArrival, read: entry.usage!.cacheReadInputTokens };
}

function setUp(options: BedrockEmulatorOptions = {}) {
  const clock = testClock();
  // content tokens (`hiddenTokens: false`), so the figures below are the prompt's own
  return { clock, emulator: createBedrockEmulator({ now: clock.now, hiddenTokens: false, ...options }) };
}

// 'hello there' = 2 tokens + 3 message overhead = 5
const oneShot = (question: string, marked = true) => ({
  system: [text(SYSTEM), ...(marked ? [cachePoint()] : [])],
  messages: [user(text(question), ...(marked ? [cachePoint()] : []))],
});

describe('liveAtArrival: what was live for a request when it arrived', () => {
  it('is undefined on a cold cache, then the longest live prefix of the prompt', async () => {
    const { emulator } = setUp();
    expect(await converse(emulator, oneShot('hello there'))).toEqual({ live: undefined, read: 0 });
    expect(await converse(emulator, oneShot('hello there'))).toEqual({ live: { tokens: 1205, blocks: 2 }, read: 1205 });
    // another question shares the system prompt only
    expect(await converse(emulator, oneShot('hello again'))).toEqual({ live: { tokens: 1200, blocks: 1 }, read: 1200 });
  });

  it('is what was live before the request was served, not what it wrote', async () => {
    const { emulator } = setUp();
    await converse(emulator, oneShot('hello there'));
    const body = { ...oneShot('hello again'), messages: [...oneShot('hello there').messages, assistant(text('hi')), user(text('more'), cachePoint())] };
    expect(await converse(emulator, body)).toEqual({ live: { tokens: 1205, blocks: 2 }, read: 1205 });
  });

  it('counts a live prefix the request has no checkpoint to read', async () => {
    const { emulator } = setUp();
    await converse(emulator, oneShot('hello there'));
    expect(await converse(emulator, oneShot('hello there', false))).toEqual({ live: { tokens: 1205, blocks: 2 }, read: 0 });
  });

  it('counts a live prefix beyond the lookback (Claude: 20 blocks)', async () => {
    const { emulator } = setUp();
    await converse(emulator, oneShot('hello there'));
    const longer = [...oneShot('hello there', false).messages];
    for (let i = 0; i < 11; i++) longer.push(assistant(text(`a${i}`)), user(text(`u${i}`)));
    longer.push(assistant(text('end')), user(text('last'), cachePoint()));
    const { live, read } = await converse(emulator, { system: [text(SYSTEM), cachePoint()], messages: longer });
    expect(live).toEqual({ tokens: 1205, blocks: 2 });
    expect(read).toBe(1200); // the system checkpoint reads its own entry; 1,205 sits 24 blocks before the last
  });

  it('Nova: counts the live prefix its exact-match checkpoints cannot read', async () => {
    const { emulator } = setUp();
    await converse(emulator, oneShot('hello there'), NOVA);
    const next = { system: [text(SYSTEM)], messages: [user(text('hello there')), assistant(text('hi')), user(text('more'), cachePoint())] };
    expect(await converse(emulator, next, NOVA)).toEqual({ live: { tokens: 1205, blocks: 2 }, read: 0 });
  });

  it('drops what expired: 5m after the last hit', async () => {
    const { clock, emulator } = setUp();
    await converse(emulator, oneShot('hello there'));
    clock.advance(5 * MINUTE - 1);
    expect((await converse(emulator, oneShot('hello again'))).live).toEqual({ tokens: 1200, blocks: 1 });
    clock.advance(5 * MINUTE - 1); // 'hello there' was written 10 minutes ago; the system prompt read just now
    expect((await converse(emulator, oneShot('hello there'))).live).toEqual({ tokens: 1200, blocks: 1 });
    clock.advance(5 * MINUTE);
    expect((await converse(emulator, oneShot('hello there'))).live).toBeUndefined();
  });

  it('counts an entry only once its writer\'s response has begun', async () => {
    const { clock, emulator } = setUp({ timeToFirstByteMs: 2000 });
    await converse(emulator, oneShot('hello there'));
    clock.advance(1999);
    expect((await converse(emulator, oneShot('hello there'))).live).toBeUndefined();
    clock.advance(1);
    expect((await converse(emulator, oneShot('hello there'))).live).toEqual({ tokens: 1205, blocks: 2 });
  });

  it('is absent on rejected requests and CountTokens', async () => {
    const { emulator } = setUp();
    await converse(emulator, oneShot('hello there'));
    await emulator.fetch(`http://emulator.test/model/${encodeURIComponent(SONNET)}/converse`, { method: 'POST', body: '{}' });
    // CountTokens takes a base model id, not an inference profile
    await emulator.fetch(`http://emulator.test/model/${SONNET.replace(/^us\./, '')}/count-tokens`, {
      method: 'POST',
      body: JSON.stringify({ input: { converse: oneShot('hello there', false) } }),
    });
    expect(emulator.requests.slice(1).map((r) => [r.status, r.liveAtArrival])).toEqual([
      [400, undefined],
      [200, undefined],
    ]);
  });
});
