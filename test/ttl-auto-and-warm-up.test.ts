/**
 * `ttl: 'auto'` and `warmBedrockCache` end to end on the emulator, its clock injected into
 * the middleware too, so pauses of many minutes take no time.
 */
import { generateText, wrapLanguageModel, type ModelMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware, warmBedrockCache, type BedrockCacheOptions, type BedrockCacheReport } from '../src';
import { LONG_SYSTEM, NOVA, SONNET, weatherTools } from './support/fixtures';
import { useEmulatedBedrock } from './support/emulator-bedrock';

const bedrock = useEmulatedBedrock();
const MINUTE = 60_000;

function setup(options: BedrockCacheOptions = {}, modelId = SONNET) {
  const reports: BedrockCacheReport[] = [];
  const model = wrapLanguageModel({
    model: bedrock.bedrock(modelId),
    middleware: bedrockCacheMiddleware({ now: bedrock.now, onCacheUsage: (r) => reports.push(r), ...options }),
  });
  return { model, reports };
}

const ttlsOnWire = (index: number) => [...JSON.stringify(bedrock.emulator.requests[index]!.body).matchAll(/"cachePoint":\{[^}]*\}/g)].map((m) => (m[0].includes('"1h"') ? '1h' : '5m'));

/** A chat whose turns come `gaps` ms apart. */
async function chat(model: Parameters<typeof generateText>[0]['model'], gaps: number[]) {
  const messages: ModelMessage[] = [];
  for (let turn = 0; turn <= gaps.length; turn++) {
    if (turn > 0) bedrock.advance(gaps[turn - 1]!);
    messages.push({ role: 'user', content: `Question ${turn + 1}: what about the order status?` });
    const result = await generateText({ model, system: LONG_SYSTEM, messages });
    messages.push(...result.response.messages);
  }
}

describe("ttl: 'auto'", () => {
  it('chooses 1h once the ledger has seen this prompt come back after 5–60 minutes, and the next long pause then reads', async () => {
    const { model, reports } = setup({ ttl: 'auto' });
    await chat(model, [10 * MINUTE, 12 * MINUTE, 20 * MINUTE]);
    expect(reports.map((r) => r.autoTtl?.ttl.messages)).toEqual(['5m', '1h', '1h', '1h']);
    expect(reports[1]!.autoTtl).toMatchObject({ reuses: 1, longGapShare: 1 });
    expect(reports[2]!.autoTtl!.why).toContain('2 of 2 reuses came after 5–60 min');
    expect(ttlsOnWire(0).every((ttl) => ttl === '5m')).toBe(true);
    expect(ttlsOnWire(1).every((ttl) => ttl === '1h')).toBe(true);
    // turn 2 came after turn 1's 5m entry expired; turns 3 and 4 read what the turn before wrote at 1h
    expect(reports.map((r) => r.cacheReadInputTokens > 3000)).toEqual([false, false, true, true]);
  });

  it('is the default', async () => {
    const { model, reports } = setup();
    await chat(model, [10 * MINUTE, 12 * MINUTE]);
    expect(reports.map((r) => r.autoTtl?.ttl.messages)).toEqual(['5m', '1h', '1h']);
  });

  it('leaves a TTL the call chose alone', async () => {
    const { model, reports } = setup({ ttl: 'auto' });
    const messages: ModelMessage[] = [{ role: 'user', content: 'Hello' }];
    for (let turn = 0; turn < 3; turn++) {
      bedrock.advance(10 * MINUTE);
      const result = await generateText({ model, system: LONG_SYSTEM, messages, providerOptions: { bedrockCache: { ttl: '5m' } } });
      messages.push(...result.response.messages, { role: 'user', content: `Turn ${turn + 2}` });
    }
    expect(reports.every((r) => r.autoTtl === undefined)).toBe(true);
    expect(bedrock.emulator.requests.every((_, i) => ttlsOnWire(i).every((ttl) => ttl === '5m'))).toBe(true);
  });

  it("leaves the TTL of Anthropic's call-level cacheControl alone (InvokeModel)", async () => {
    const reports: BedrockCacheReport[] = [];
    const model = wrapLanguageModel({
      model: bedrock.anthropic(SONNET),
      middleware: bedrockCacheMiddleware({ now: bedrock.now, onCacheUsage: (r) => reports.push(r) }),
    });
    const messages: ModelMessage[] = [{ role: 'user', content: 'Hello' }];
    for (let turn = 0; turn < 3; turn++) {
      bedrock.advance(10 * MINUTE);
      const result = await generateText({ model, system: LONG_SYSTEM, messages, providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } } });
      messages.push(...result.response.messages, { role: 'user', content: `Turn ${turn + 2}` });
    }
    expect(reports.every((r) => r.autoTtl === undefined)).toBe(true);
    expect(JSON.stringify(bedrock.emulator.requests.map((r) => r.body))).not.toContain('"1h"');
  });

  it('the same chat with 5m reads nothing after a pause', async () => {
    const { reports, model } = setup({ ttl: '5m' });
    await chat(model, [10 * MINUTE, 12 * MINUTE, 20 * MINUTE]);
    expect(reports.map((r) => r.cacheReadInputTokens)).toEqual([0, 0, 0, 0]);
    expect(reports.every((r) => r.autoTtl === undefined)).toBe(true);
  });

  it('stays 5m while the conversation comes back within 5 minutes', async () => {
    const { model, reports } = setup({ ttl: 'auto' });
    await chat(model, [MINUTE, 2 * MINUTE, MINUTE]);
    expect(reports.map((r) => r.autoTtl?.ttl.messages)).toEqual(['5m', '5m', '5m', '5m']);
    expect(reports[3]!.autoTtl!.why).toContain('0 of 3 reuses');
    expect(bedrock.emulator.requests.every((_, i) => ttlsOnWire(i).every((ttl) => ttl === '5m'))).toBe(true);
  });

  it('never 1h on a model without it (Nova)', async () => {
    const { model, reports } = setup({ ttl: 'auto' }, NOVA);
    await chat(model, [10 * MINUTE, 12 * MINUTE, 20 * MINUTE]);
    expect(reports.every((r) => r.autoTtl === undefined)).toBe(true);
    expect(bedrock.emulator.requests.every((_, i) => ttlsOnWire(i).every((ttl) => ttl === '5m'))).toBe(true);
  });

  it("is validated: ttl 'auto' per call, and not inside a per-section object", () => {
    expect(() => bedrockCacheMiddleware({ ttl: { system: 'auto' as '5m' } })).toThrow(/option ttl\.system/);
    expect(() => bedrockCacheMiddleware({ coalesce: { maxWaitMs: -1 } })).toThrow(/option coalesce\.maxWaitMs/);
    expect(() => bedrockCacheMiddleware({ coalesce: { wait: 1 } as never })).toThrow(/coalesce\.wait is not a known option/);
  });
});

describe('warmBedrockCache', () => {
  it('writes the prefix with one output token, reports its cost, and the next call reads it', async () => {
    const { model, reports } = setup();
    const tools = weatherTools();
    const warm = await warmBedrockCache({ model, system: LONG_SYSTEM, tools });
    expect(warm).toMatchObject({ skipped: false, outputTokens: expect.any(Number) });
    if (warm.skipped) throw new Error('unreachable');
    expect(warm.usage.cacheWriteInputTokens).toBeGreaterThan(3000);
    expect(warm.costUsd).toBeGreaterThan(0);
    expect((bedrock.emulator.requests[0]!.body as { inferenceConfig?: { maxTokens?: number } }).inferenceConfig?.maxTokens).toBe(1);

    bedrock.advance(MINUTE);
    await generateText({ model, system: LONG_SYSTEM, tools, prompt: 'What is the weather in Paris?' });
    expect(reports.at(-1)!.cacheReadInputTokens).toBeGreaterThan(3000);
  });

  it('is skipped, with no request, while the ledger knows the prefix to be cached; sent again once it expired', async () => {
    const { model } = setup();
    await generateText({ model, system: LONG_SYSTEM, prompt: 'Hello' });
    const sent = bedrock.emulator.requests.length;
    expect(await warmBedrockCache({ model, system: LONG_SYSTEM })).toMatchObject({ skipped: true, reason: expect.stringContaining('cached') });
    expect(bedrock.emulator.requests).toHaveLength(sent);

    bedrock.advance(6 * MINUTE);
    const again = await warmBedrockCache({ model, system: LONG_SYSTEM });
    expect(again.skipped).toBe(false);
    expect(bedrock.emulator.requests).toHaveLength(sent + 1);
  });

  it('warms a conversation so far (messages ending in a user message)', async () => {
    const { model, reports } = setup();
    const messages: ModelMessage[] = [{ role: 'user', content: `Here is the contract: ${LONG_SYSTEM}` }];
    const warm = await warmBedrockCache({ model, messages });
    expect(warm.skipped).toBe(false);
    await generateText({ model, messages: [...messages, { role: 'assistant', content: 'Read it.' }, { role: 'user', content: 'Summarise it.' }] });
    expect(reports.at(-1)!.cacheReadInputTokens).toBeGreaterThan(3000);
    expect((await warmBedrockCache({ model, messages })).skipped).toBe(true);
  });
});
