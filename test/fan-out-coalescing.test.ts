/**
 * Fan-out coalescing end to end: the real `ai` and provider against the in-process emulator
 * on its own clock, with a time to first byte, so an entry is readable only once its writer's
 * response has begun (shared doc §1 Timing). Assertions are on cache usage, reports and the
 * order of requests, never on durations.
 */
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { generateText, streamText, wrapLanguageModel } from 'ai';
import { describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware, type BedrockCacheOptions, type BedrockCacheReport } from '../src';
import { createBedrockEmulator } from '../src/emulator';
import { LONG_SYSTEM, SONNET } from './support/fixtures';

const credentials = { region: 'us-east-1', accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' };
const DOCS = ['Summarise document one, please.', 'Summarise document two, please.', 'Summarise document three, please.', 'Summarise document four.'];

/** The emulator on its own (real) clock: it waits `ttfb` ms before each response begins. */
function setup(options: BedrockCacheOptions = {}, ttfb = 150, fetchWrapper?: (fetch: typeof globalThis.fetch) => typeof globalThis.fetch) {
  const emulator = createBedrockEmulator({ credentials, timeToFirstByteMs: ttfb });
  const reports: BedrockCacheReport[] = [];
  const fetch = fetchWrapper ? fetchWrapper(emulator.fetch as typeof globalThis.fetch) : emulator.fetch;
  const model = wrapLanguageModel({
    model: createAmazonBedrock({ ...credentials, fetch })(SONNET),
    middleware: bedrockCacheMiddleware({ onCacheUsage: (r) => reports.push(r), ...options }),
  });
  return { emulator, model, reports };
}

/** The first request fails with a 500 after 50 ms (the leader's, while its followers wait); the rest reach the emulator. */
function failFirstRequest(fetch: typeof globalThis.fetch): typeof globalThis.fetch {
  let first = true;
  return async (input, init) => {
    if (!first) return fetch(input, init);
    first = false;
    await new Promise((resolve) => setTimeout(resolve, 50));
    return new Response(JSON.stringify({ message: 'Internal server error' }), { status: 500, headers: { 'x-amzn-errortype': 'InternalServerException' } });
  };
}

const ok = (emulator: ReturnType<typeof createBedrockEmulator>) => emulator.requests.filter((r) => r.status === 200);

describe('fan-out coalescing', () => {
  it('generateText: one call writes the shared system prompt, the others wait for its response and read it', async () => {
    const { emulator, model, reports } = setup();
    const results = await Promise.all(DOCS.map((prompt) => generateText({ model, system: LONG_SYSTEM, prompt })));
    expect(results).toHaveLength(DOCS.length);
    const requests = ok(emulator);
    const leader = requests.find((r) => r.usage!.cacheReadInputTokens === 0)!;
    const followers = requests.filter((r) => r !== leader);
    expect(followers).toHaveLength(DOCS.length - 1);
    // each follower was sent after the leader's response began, and read the system prompt
    for (const follower of followers) {
      expect(follower.time).toBeGreaterThanOrEqual(leader.firstByteTime!);
      expect(follower.usage!.cacheReadInputTokens).toBeGreaterThan(3000);
    }
    const coalesced = reports.map((r) => r.coalesced);
    expect(coalesced.filter((c) => c?.leader)).toEqual([{ leader: true, waitedMs: 0, followers: DOCS.length - 1 }]);
    const waited = coalesced.filter((c) => c && !c.leader);
    expect(waited).toHaveLength(DOCS.length - 1);
    for (const c of waited) expect(c).toMatchObject({ leader: false, ended: 'leader-began', waitedMs: expect.any(Number) });
  });

  it('with coalesce: false every call of the fan-out writes the prefix (the emulator, as Bedrock)', async () => {
    const { emulator, model, reports } = setup({ coalesce: false });
    await Promise.all(DOCS.map((prompt) => generateText({ model, system: LONG_SYSTEM, prompt })));
    expect(ok(emulator).map((r) => r.usage!.cacheReadInputTokens)).toEqual(DOCS.map(() => 0));
    expect(reports.every((r) => r.coalesced === undefined)).toBe(true);
  });

  it('streamText: followers go once the leader\'s first part arrived', async () => {
    const { emulator, model, reports } = setup();
    const texts = await Promise.all(
      DOCS.map(async (prompt) => {
        const result = streamText({ model, system: LONG_SYSTEM, prompt });
        return result.text;
      }),
    );
    expect(texts.every((t) => t.length > 0)).toBe(true);
    const reads = ok(emulator).map((r) => r.usage!.cacheReadInputTokens);
    expect(reads.filter((read) => read === 0)).toHaveLength(1);
    expect(reads.filter((read) => read > 3000)).toHaveLength(DOCS.length - 1);
    expect(reports.filter((r) => r.coalesced?.leader === false && r.coalesced.ended === 'leader-began')).toHaveLength(DOCS.length - 1);
  });

  it('a call with no concurrent twin, and one after the prefix is cached, wait for nothing', async () => {
    const { model, reports } = setup();
    await generateText({ model, system: LONG_SYSTEM, prompt: DOCS[0]! });
    await Promise.all(DOCS.slice(1).map((prompt) => generateText({ model, system: LONG_SYSTEM, prompt })));
    expect(reports.map((r) => r.coalesced)).toEqual(DOCS.map(() => undefined));
    expect(reports.slice(1).every((r) => r.cacheReadInputTokens > 3000)).toBe(true);
  });

  it('a prefix below the model\'s minimum is not coordinated', async () => {
    const { emulator, model, reports } = setup();
    await Promise.all(DOCS.map((prompt) => generateText({ model, system: 'You are terse.', prompt })));
    expect(reports.every((r) => r.coalesced === undefined)).toBe(true);
    expect(ok(emulator)).toHaveLength(DOCS.length);
  });

  it('an aborted follower stops waiting and rejects; the others are unaffected', async () => {
    const { emulator, model, reports } = setup({}, 300);
    const controller = new AbortController();
    const leader = generateText({ model, system: LONG_SYSTEM, prompt: DOCS[0]! });
    const aborted = generateText({ model, system: LONG_SYSTEM, prompt: DOCS[1]!, abortSignal: controller.signal, maxRetries: 0 });
    const other = generateText({ model, system: LONG_SYSTEM, prompt: DOCS[2]! });
    setTimeout(() => controller.abort(), 20);
    await expect(aborted).rejects.toThrow(/abort/i);
    await Promise.all([leader, other]);
    // the aborted call never reached Bedrock
    expect(ok(emulator)).toHaveLength(2);
    expect(reports.find((r) => r.coalesced?.leader === false)?.cacheReadInputTokens).toBeGreaterThan(3000);
  });

  it('a leader that fails is not the followers\' failure: they go on, uncoordinated', async () => {
    const { emulator, model, reports } = setup({}, 100, failFirstRequest);
    const leader = generateText({ model, system: LONG_SYSTEM, prompt: DOCS[0]!, maxRetries: 0 });
    const followers = DOCS.slice(1).map((prompt) => generateText({ model, system: LONG_SYSTEM, prompt, maxRetries: 0 }));
    await expect(leader).rejects.toThrow();
    const results = await Promise.all(followers);
    expect(results).toHaveLength(DOCS.length - 1);
    expect(ok(emulator)).toHaveLength(DOCS.length - 1);
    expect(reports.map((r) => r.coalesced)).toEqual(DOCS.slice(1).map(() => expect.objectContaining({ leader: false, ended: 'leader-failed' })));
  });

  it('a streaming leader that fails frees its streaming followers too', async () => {
    const { emulator, model, reports } = setup({}, 100, failFirstRequest);
    const errors: unknown[] = [];
    const leader = streamText({ model, system: LONG_SYSTEM, prompt: DOCS[0]!, maxRetries: 0, onError: ({ error }) => void errors.push(error) });
    const followers = DOCS.slice(1).map((prompt) => streamText({ model, system: LONG_SYSTEM, prompt, maxRetries: 0 }).text);
    await leader.consumeStream();
    expect(errors).toHaveLength(1);
    expect((await Promise.all(followers)).every((text) => text.length > 0)).toBe(true);
    expect(ok(emulator)).toHaveLength(DOCS.length - 1);
    expect(reports.map((r) => r.coalesced)).toEqual(DOCS.slice(1).map(() => expect.objectContaining({ leader: false, ended: 'leader-failed' })));
  });

  it('maxWaitMs bounds the wait: followers go before the leader\'s response began, and each writes', async () => {
    const { emulator, model, reports } = setup({ coalesce: { maxWaitMs: 20 } }, 400);
    await Promise.all(DOCS.slice(0, 3).map((prompt) => generateText({ model, system: LONG_SYSTEM, prompt })));
    const requests = ok(emulator);
    const leaderFirstByte = Math.min(...requests.map((r) => r.firstByteTime!));
    expect(requests.every((r) => r.time < leaderFirstByte)).toBe(true);
    expect(requests.map((r) => r.usage!.cacheReadInputTokens)).toEqual([0, 0, 0]);
    expect(reports.filter((r) => r.coalesced?.ended === 'timeout')).toHaveLength(2);
  });
});
