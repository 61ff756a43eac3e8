/**
 * Cache timing (shared doc §1 Timing): an entry becomes readable only once its writer's
 * response has begun, and its lifetime counts from the start of the request that wrote or
 * read it. `timeToFirstByteMs` sets when a response begins; on an injected clock the emulator
 * never waits, so these tests are deterministic.
 */
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { generateText, streamText, type ModelMessage } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBedrockEmulator, startBedrockEmulator, type BedrockEmulatorOptions, type RunningBedrockEmulator } from '../../src/emulator/index.js';
import { cachePoint, CREDENTIALS, decodeEventStream, MINUTE, SONNET, testClock, words } from './helpers.js';

const body = { system: [{ text: words(1500) }, cachePoint()], messages: [{ role: 'user', content: [{ text: 'hello there' }] }] };

/** An emulator counting content tokens only (`hiddenTokens: false`): timing, not counting, is under test. */
function emulatorOn(options: BedrockEmulatorOptions) {
  const emulator = createBedrockEmulator({ hiddenTokens: false, ...options });
  const send = async (operation = 'converse') => {
    const response = await emulator.fetch(`http://emulator.test/model/${encodeURIComponent(SONNET)}/${operation}`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    if (operation === 'converse-stream') return (await decodeEventStream(response)).at(-1)?.payload.usage;
    return ((await response.json()) as { usage: { cacheReadInputTokens: number; cacheWriteInputTokens: number } }).usage;
  };
  return { emulator, send };
}

describe('an entry is readable from its writer\'s first byte', () => {
  it('two parallel requests on a cold prefix both write; one sent after the first response began reads', async () => {
    const clock = testClock();
    const { emulator, send } = emulatorOn({ now: clock.now, timeToFirstByteMs: 2000 });
    const [a, b] = await Promise.all([send(), send()]);
    expect([a?.cacheWriteInputTokens, b?.cacheWriteInputTokens]).toEqual([1500, 1500]);
    expect([a?.cacheReadInputTokens, b?.cacheReadInputTokens]).toEqual([0, 0]);

    clock.advance(1999); // still before the first writer's first byte
    expect(await send()).toMatchObject({ cacheReadInputTokens: 0, cacheWriteInputTokens: 1500 });
    clock.advance(1);
    expect(await send()).toMatchObject({ cacheReadInputTokens: 1500, cacheWriteInputTokens: 0 });
    expect(emulator.requests.map((r) => (r.firstByteTime ?? 0) - r.time)).toEqual([2000, 2000, 2000, 2000]);
  });

  it('the same for streams (their first event)', async () => {
    const clock = testClock();
    const { send } = emulatorOn({ now: clock.now, timeToFirstByteMs: 500 });
    const [a, b] = await Promise.all([send('converse-stream'), send('converse-stream')]);
    expect([a.cacheWriteInputTokens, b.cacheWriteInputTokens]).toEqual([1500, 1500]);
    clock.advance(500);
    expect((await send('converse-stream')).cacheReadInputTokens).toBe(1500);
  });

  it('with the default (0) a request sent after another reads it at once, as before', async () => {
    const clock = testClock();
    const { send } = emulatorOn({ now: clock.now });
    expect((await send()).cacheWriteInputTokens).toBe(1500);
    expect((await send()).cacheReadInputTokens).toBe(1500);
  });

  it('a function of the uncached input tokens: a cached request begins sooner', async () => {
    const clock = testClock();
    const seen: number[] = [];
    const { emulator, send } = emulatorOn({
      now: clock.now,
      timeToFirstByteMs: ({ uncachedInputTokens }) => {
        seen.push(uncachedInputTokens);
        return uncachedInputTokens;
      },
    });
    await send();
    clock.advance(10 * MINUTE / 3); // past the first byte, inside the 5m TTL
    await send();
    expect(seen).toEqual([1505, 5]);
    expect(emulator.requests.map((r) => (r.firstByteTime ?? 0) - r.time)).toEqual([1505, 5]);
  });
});

describe('lifetimes count from the start of the request', () => {
  it('a writer whose response began a minute late still expires 5 minutes after it was sent', async () => {
    const clock = testClock();
    const { send } = emulatorOn({ now: clock.now, timeToFirstByteMs: MINUTE });
    await send();
    clock.advance(5 * MINUTE); // 4 minutes after its first byte, 5 after it was sent
    expect(await send()).toMatchObject({ cacheReadInputTokens: 0, cacheWriteInputTokens: 1500 });
  });

  it('a hit restarts the TTL from the reading request\'s start', async () => {
    const clock = testClock();
    const { send } = emulatorOn({ now: clock.now, timeToFirstByteMs: MINUTE });
    await send();
    clock.advance(4 * MINUTE);
    expect((await send()).cacheReadInputTokens).toBe(1500);
    clock.advance(5 * MINUTE - 1);
    expect((await send()).cacheReadInputTokens).toBe(1500);
    clock.advance(5 * MINUTE); // 5 minutes after the last reader was sent (4 after its first byte)
    expect(await send()).toMatchObject({ cacheReadInputTokens: 0, cacheWriteInputTokens: 1500 });
  });
});

describe('on its own clock the emulator really waits (through @ai-sdk/amazon-bedrock)', () => {
  let emu: RunningBedrockEmulator;
  beforeAll(async () => {
    emu = await startBedrockEmulator({ credentials: CREDENTIALS, timeToFirstByteMs: 300, hiddenTokens: false });
  });
  afterAll(() => emu.close());

  it('a fan-out on a cold prefix pays a write per call; a call after a response began reads', async () => {
    const bedrock = createAmazonBedrock({ baseURL: emu.url, region: 'us-east-1', ...CREDENTIALS });
    const messages: ModelMessage[] = [{ role: 'user', content: 'hello there', providerOptions: { bedrock: { cachePoint: { type: 'default' } } } }];
    const call = () => generateText({ model: bedrock(SONNET), system: words(1500), messages });
    const fanOut = await Promise.all([call(), call()]);
    expect(fanOut.map((r) => r.usage.inputTokenDetails.cacheWriteTokens)).toEqual([1505, 1505]);
    const stream = streamText({ model: bedrock(SONNET), system: words(1500), messages });
    expect((await stream.usage).inputTokenDetails).toMatchObject({ cacheReadTokens: 1505, cacheWriteTokens: 0 });
  });
});
