/**
 * The cache ledger, end to end on the emulator (its clock injected into both): every miss
 * reason as a user meets it in onCacheUsage, writes that stop where nothing can be read,
 * and the memory bound. Reports hold no prompt text.
 */
import { generateText, streamText, wrapLanguageModel, type ModelMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware, type BedrockCacheReport } from '../src';
import { memoryLedgerStore } from '../src/ledger/ledger-store';
import { history, LONG_SYSTEM, NOVA, prose, SONNET, weatherTools } from './support/fixtures';
import { cachePointsOf } from './support/mock-bedrock';
import { useEmulatedBedrock } from './support/emulator-bedrock';

const bedrock = useEmulatedBedrock();
const MINUTE = 60_000;

function setup(options: Parameters<typeof bedrockCacheMiddleware>[0] = {}, modelId = SONNET) {
  const reports: BedrockCacheReport[] = [];
  const model = wrapLanguageModel({
    model: bedrock.bedrock(modelId),
    middleware: bedrockCacheMiddleware({ now: bedrock.now, onCacheUsage: (r) => reports.push(r), ...options }),
  });
  return { model, reports, misses: () => reports.map((r) => r.cacheMiss?.reason) };
}

describe('miss explanations', () => {
  it('nothing to explain on a first call, nor while the cache is read', async () => {
    const { model, reports, misses } = setup();
    const messages: ModelMessage[] = [{ role: 'user', content: 'Hi' }];
    const first = await generateText({ model, system: LONG_SYSTEM, messages });
    messages.push(...first.response.messages, { role: 'user', content: 'And?' });
    await generateText({ model, system: LONG_SYSTEM, messages });
    expect(misses()).toEqual([undefined, undefined]);
    expect(reports[1]!.cacheReadInputTokens).toBeGreaterThan(3000);
  });

  it('ttl-expired, with the gap and the TTL', async () => {
    const { model, reports } = setup();
    await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi' });
    bedrock.advance(6 * MINUTE);
    await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi' });
    expect(reports[1]!.cacheReadInputTokens).toBe(0);
    expect(reports[1]!.cacheMiss).toMatchObject({ reason: 'ttl-expired', gapMs: 6 * MINUTE, ttl: '5m' });
    expect(reports[1]!.cacheMiss!.message).toContain("ttl: '1h'");
  });

  it('an edited system prompt: no miss when nothing cacheable is shared (Converse caches no tools), but the report says where it changed', async () => {
    const { model, reports } = setup();
    const first = await generateText({ model, system: `Version 1. ${LONG_SYSTEM}`, tools: weatherTools(), prompt: 'Hi' });
    await generateText({ model, system: `Version 2. ${LONG_SYSTEM}`, tools: weatherTools(), messages: [{ role: 'user', content: 'Hi' }, ...first.response.messages, { role: 'user', content: 'More' }] });
    expect(reports[1]!.cacheMiss).toBeUndefined();
    expect(reports[1]!.blockChange).toMatchObject({ section: 'system', repeatedStart: 0, kind: 'digits' });
    expect(reports[1]!.blockChange!.changedChars).toBeLessThan(64);
  });

  it('prefix-changed: an earlier message edited', async () => {
    const { model, reports } = setup();
    const messages: ModelMessage[] = [...history(3), { role: 'user', content: 'Now?' }];
    await generateText({ model, system: LONG_SYSTEM, messages });
    const edited = messages.map((m, i) => (i === 2 ? { ...m, content: 'An edited question' } as ModelMessage : m));
    await generateText({ model, system: LONG_SYSTEM, messages: edited });
    expect(reports[1]!.cacheMiss).toMatchObject({ reason: 'prefix-changed', section: 'messages', index: 2 });
    // the system prompt before the edit is still read
    expect(reports[1]!.cacheReadInputTokens).toBeGreaterThan(3000);
  });

  it('below the minimum: the caller marked it and Bedrock cached nothing; no miss (nothing could be cached), a warning with the count', async () => {
    // the caller's own checkpoint on a prompt the emulator counts below 1,024 tokens
    const { model, misses } = setup();
    const short = `Rules. ${prose(300)}`;
    const messages: ModelMessage[] = [{ role: 'system', content: short, providerOptions: { bedrock: { cachePoint: { type: 'default' } } } }, { role: 'user', content: 'Hi' }];
    await generateText({ model, allowSystemInMessages: true, messages });
    const second = await generateText({ model, allowSystemInMessages: true, messages });
    expect(misses()).toEqual([undefined, undefined]);
    expect(second.warnings).toEqual([expect.objectContaining({ message: expect.stringMatching(/below this model's minimum of 1,024/) })]);
  });

  it('lookback-exceeded: an entry the checkpoints no longer reach', async () => {
    // cache.messages off except for the caller's own checkpoint far after the cached system prompt
    const { model, reports } = setup({ cache: { system: true, messages: false } });
    await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi' });
    const many = Array.from({ length: 30 }, (_, i) => ({ type: 'text' as const, text: `Part ${i}` }));
    const messages: ModelMessage[] = [{ role: 'user', content: [...many, { type: 'text', text: 'end', providerOptions: { bedrock: { cachePoint: { type: 'default' } } } }] }];
    await generateText({ model, messages, ...{ system: LONG_SYSTEM }, providerOptions: { bedrockCache: { cache: { system: false } } } });
    expect(reports[1]!.cacheMiss).toMatchObject({ reason: 'lookback-exceeded' });
    expect(reports[1]!.cacheMiss!.distance).toBeGreaterThan(20);
  });

  it('not-written: the earlier call placed no checkpoint on what is shared', async () => {
    const { model, misses } = setup();
    await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi', providerOptions: { bedrockCache: { cache: { system: false, messages: false } } } });
    await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi' });
    expect(misses()).toEqual([undefined, 'not-written']);
  });

  it('unexplained: Bedrock read less than the ledger expected (an evicted entry)', async () => {
    const { model, reports } = setup();
    await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi' });
    bedrock.emulator.reset(); // the cache is gone, as after an eviction or another region
    await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi' });
    expect(reports[1]!.cacheMiss).toMatchObject({ reason: 'unexplained', expectedReadTokens: reports[0]!.cacheWriteInputTokens });
  });

  it('streams get the explanation too, and no report holds prompt text', async () => {
    const { model, reports } = setup();
    const secret = 'SECRET-MARKER-42';
    await (streamText({ model, system: `${secret} ${LONG_SYSTEM}`, prompt: secret })).consumeStream();
    bedrock.advance(6 * MINUTE);
    await (streamText({ model, system: `${secret} ${LONG_SYSTEM}`, prompt: secret })).consumeStream();
    expect(reports.map((r) => r.cacheMiss?.reason)).toEqual([undefined, 'ttl-expired']);
    expect(JSON.stringify(reports)).not.toContain(secret);
  });
});

describe('writes that pay for themselves', () => {
  it('a system prompt that changes on every call of a conversation: the edit is explained, the change inside it warned once, and writes stop once the tree has seen three new ones', async () => {
    const { model, reports } = setup({}, SONNET);
    const messages: ModelMessage[] = [];
    const warnings: unknown[][] = [];
    for (let turn = 0; turn < 5; turn++) {
      messages.push({ role: 'user', content: `Turn ${turn}` });
      bedrock.advance(40_000);
      const result = await generateText({ model, system: `Now: ${new Date(bedrock.now()).toISOString()}. ${LONG_SYSTEM}`, tools: weatherTools(), messages });
      warnings.push(result.warnings ?? []);
      messages.push(...result.response.messages);
    }
    const bodies = bedrock.emulator.requests.map((r) => r.body as Record<string, any>);
    expect(cachePointsOf(bodies[0]!).length).toBeGreaterThan(0);
    // tools → new system (never revisited) three times: q = 1/5 < 0.217, no write from the fourth call on
    for (const body of bodies.slice(3)) expect(cachePointsOf(body)).toEqual([]);
    expect(reports.slice(3).every((r) => r.cacheWriteInputTokens === 0)).toBe(true);
    expect(reports.map((r) => r.cacheMiss)).toEqual(Array(5).fill(undefined));
    expect(reports[1]!.blockChange).toMatchObject({ section: 'system', repeatedStart: 0, kind: 'date-like' });
    expect(reports[1]!.blockChange!.repeatedEnd).toBeGreaterThan(LONG_SYSTEM.length - 64);
    const texts = warnings.flat().map((w) => (w as { message?: string }).message ?? '');
    expect(texts.filter((t) => t.includes('change on every call'))).toHaveLength(1);
    expect(texts.join('\n')).toMatch(/the first \d+ change on every call \(date-like\)/);
    expect(texts.join('\n')).not.toContain('The system prompt changed');
  });

  it('writes come back at once when the system prompt is stable again', async () => {
    const { model, reports } = setup();
    for (const version of ['A', 'B', 'C', 'D', 'D']) await generateText({ model, system: `${version} ${LONG_SYSTEM}`, prompt: 'Same start' });
    const bodies = bedrock.emulator.requests.map((r) => r.body as Record<string, any>);
    expect(cachePointsOf(bodies[3]!)).toEqual([]); // the fourth new system prompt in a row is not written
    expect(cachePointsOf(bodies[4]!).length).toBe(2); // the same prompt again: written
    expect(reports[4]!.cacheMiss).toMatchObject({ reason: 'not-written' });
  });

  it('different conversations sharing a system prompt keep every checkpoint', async () => {
    const { model, reports } = setup();
    for (const prompt of ['One', 'Two', 'Three']) await generateText({ model, system: LONG_SYSTEM, prompt });
    const bodies = bedrock.emulator.requests.map((r) => r.body as Record<string, any>);
    for (const body of bodies) expect(cachePointsOf(body).length).toBe(2);
    expect(reports.slice(1).every((r) => r.cacheReadInputTokens > 3000)).toBe(true);
  });

  it('ledger: false keeps no memory', async () => {
    const { model, reports } = setup({ ledger: false });
    await generateText({ model, system: `A ${LONG_SYSTEM}`, prompt: 'Same start' });
    await generateText({ model, system: `B ${LONG_SYSTEM}`, prompt: 'Same start' });
    expect(reports.map((r) => r.cacheMiss)).toEqual([undefined, undefined]);
    expect(cachePointsOf(bedrock.emulator.requests[1]!.body as Record<string, any>).length).toBe(2);
  });
});

describe('where the last turn is not kept', () => {
  it('RAG passages dropped from the history after each turn: the checkpoint closes the history before them', async () => {
    const { model, reports } = setup();
    const history: ModelMessage[] = [];
    for (let turn = 0; turn < 5; turn++) {
      const passages = { type: 'text' as const, text: `<passages turn="${turn}">${prose(900, 100 + turn)}</passages>` };
      const question = { type: 'text' as const, text: `Question ${turn}?` };
      bedrock.advance(30_000);
      const result = await generateText({ model, system: LONG_SYSTEM, messages: [...history, { role: 'user', content: [passages, question] }] });
      history.push({ role: 'user', content: `Question ${turn}?` }, ...result.response.messages);
    }
    const bodies = bedrock.emulator.requests.map((r) => r.body as Record<string, any>);
    // the conversation is known by its first message from the second request on, the pattern
    // shows on the third: from the fourth on, nothing is written after the passages' start
    for (const body of bodies.slice(3)) {
      const last = body.messages.length - 1;
      expect(cachePointsOf(body).some((p) => p.at.startsWith(`messages[${last}]`))).toBe(false);
      expect(cachePointsOf(body).map((p) => p.at)).toContain(`messages[${last - 1}][1]`);
    }
    // and every request still reads the history
    expect(reports.slice(1).every((r) => r.cacheReadInputTokens > 3000)).toBe(true);
    expect(reports[4]!.cacheWriteInputTokens).toBeLessThan(200);
    expect(reports[1]!.cacheWriteInputTokens).toBeGreaterThan(800); // before: the passages were written
  });

  it('an edited last question still reads the previous answer', async () => {
    const { model, reports } = setup();
    const messages: ModelMessage[] = [...history(3), { role: 'user', content: 'Question A?' }];
    const first = await generateText({ model, system: LONG_SYSTEM, messages });
    await generateText({ model, system: LONG_SYSTEM, messages: [...messages, ...first.response.messages, { role: 'user', content: 'Next?' }] });
    // the user edits "Next?" and sends again: everything up to the answer before it is read
    await generateText({ model, system: LONG_SYSTEM, messages: [...messages, ...first.response.messages, { role: 'user', content: 'Edited next?' }] });
    expect(reports[2]!.cacheReadInputTokens).toBeGreaterThanOrEqual(reports[1]!.cacheReadInputTokens + reports[1]!.cacheWriteInputTokens - 20);
  });
});

describe('the ledger store', () => {
  it('stays within its byte bound, dropping the least recently used groups', async () => {
    const store = memoryLedgerStore({ maxBytes: 64 * 1024, now: bedrock.now });
    const { model } = setup({ ledger: { store } });
    for (let i = 0; i < 60; i++) await generateText({ model, system: LONG_SYSTEM, prompt: `Conversation ${i}: ${prose(200, i)}` });
    expect(store.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(store.size).toBeGreaterThan(1);
  });

  it('a store that fails costs the explanations, never the call', async () => {
    const broken = { getNodes: () => Promise.reject(new Error('store down')), setNodes: () => Promise.reject(new Error('store down')) };
    const { model, reports } = setup({ ledger: { store: broken } });
    const result = await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi' });
    expect(result.text).toBeTruthy();
    expect(reports[0]!.cacheMiss).toBeUndefined();
    expect(cachePointsOf(bedrock.emulator.requests[0]!.body as Record<string, any>).length).toBe(2);
  });

  it('Nova gets explanations too (no lookback: exact hits only)', async () => {
    const { model, misses } = setup({}, NOVA);
    await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi' });
    await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi' });
    expect(misses()).toEqual([undefined, undefined]);
  });
});
