/**
 * Token estimates stop once a prefix reaches the model's minimum (they decide nothing
 * else), so reading a prompt costs time per part, not per character. Nothing placed on
 * the wire may change because of it.
 */
import { generateText, wrapLanguageModel, type ModelMessage } from 'ai';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware, type CacheDebugEvent } from '../src';
import { estimatePartTokens, estimateTextTokens } from '../src/prompt/estimate-tokens';
import { HAIKU, prose } from './support/fixtures';
import { cachePointsOf, useMockBedrock } from './support/mock-bedrock';

const mock = useMockBedrock();

describe('estimateTextTokens with a limit', () => {
  it('is the full estimate below the limit, and between the limit and the full estimate above it', () => {
    const unit = fc.oneof(fc.constantFrom('a', ' ', '.', 'é', '日', '😀'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
    // long texts too: a piece repeated up to 3,000 times crosses several limit checks
    const text = fc.tuple(fc.string({ unit, maxLength: 40 }), fc.integer({ min: 1, max: 3000 })).map(([piece, times]) => piece.repeat(times));
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 8000 }), (value, limit) => {
        const full = estimateTextTokens(value);
        const capped = estimateTextTokens(value, limit);
        if (full < limit) expect(capped).toBe(full);
        else expect(capped >= limit && capped <= full).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('placement with estimates that stop at the minimum', () => {
  it('places the same checkpoints when the minimum is reached deep inside one huge message', async () => {
    const events: CacheDebugEvent[] = [];
    const model = wrapLanguageModel({ model: mock.bedrock(HAIKU), middleware: bedrockCacheMiddleware({ debug: (e) => events.push(e) }) });
    const huge = prose(400_000); // ~2.8 MB of text, far beyond Haiku's 4,096-token minimum
    await generateText({ model, system: 'Be brief.', messages: [{ role: 'user', content: huge }] });
    // the short system prompt alone is below the minimum (its exact estimate), the message is not
    expect(cachePointsOf(mock.last())).toEqual([{ at: 'messages[0][1]', ttl: undefined }]);
    expect(events[0]!.decisions.filter((d) => d.role !== 'tools')).toEqual([
      { role: 'last-message', index: 1, outcome: 'placed', why: 'ttl 5m' },
      { role: 'previous-request', outcome: 'skipped', why: 'no place for it in this prompt' },
      { role: 'system', index: 0, outcome: 'skipped', why: `prefix of at most ~${estimateTextTokens('Be brief.')} tokens is below the model's minimum of 4096` },
    ]);
  });

  it('places the same checkpoints when the minimum is crossed in the middle of a long history', async () => {
    const events: CacheDebugEvent[] = [];
    const model = wrapLanguageModel({ model: mock.bedrock(HAIKU), middleware: bedrockCacheMiddleware({ debug: (e) => events.push(e) }) });
    // 300 short turns: the running estimate crosses 4,096 somewhere around turn 60
    const messages: ModelMessage[] = [];
    for (let i = 0; i < 300; i++) {
      messages.push({ role: 'user', content: prose(20, i + 1) }, { role: 'assistant', content: prose(20, i + 500) });
    }
    messages.push({ role: 'user', content: 'And now?' });
    await generateText({ model, system: 'Be brief.', messages });
    expect(cachePointsOf(mock.last())).toEqual([
      { at: 'messages[599][1]', ttl: undefined }, // after the previous answer
      { at: 'messages[600][1]', ttl: undefined },
    ]);

    // An early message's prefix is still judged by its full estimate: below the minimum.
    const early: ModelMessage[] = [...messages.slice(0, 4), { role: 'user', content: 'And now?' }];
    await generateText({ model, system: 'Be brief.', messages: early });
    const expected = [{ type: 'text', text: 'Be brief.' }, ...early.map((m) => ({ type: 'text', text: m.content as string }))].reduce(
      (sum, part, i) => sum + (i === 0 ? estimateTextTokens(part.text) : estimatePartTokens(part)),
      0,
    );
    expect(cachePointsOf(mock.last())).toEqual([]);
    expect(events.filter((e) => !e.cacheMiss).at(-1)!.decisions.find((d) => d.role === 'last-message')).toEqual({
      role: 'last-message',
      index: 5,
      outcome: 'skipped',
      why: `prefix of at most ~${expected} tokens is below the model's minimum of 4096`,
    });
  });
});
