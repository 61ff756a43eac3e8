/**
 * The price table and the cost arithmetic, with figures checked by hand (USD per million
 * tokens; see src/pricing/price-table.ts for their sources).
 */
import { describe, expect, it } from 'vitest';
import { cacheCost, modelPrices, PRICE_TABLE } from '../src/pricing';

const figures = (modelId: string, overrides?: Parameters<typeof modelPrices>[1]) => {
  const prices = modelPrices(modelId, overrides);
  return prices && { input: prices.input, output: prices.output, cacheRead: prices.cacheRead, cacheWrite5m: prices.cacheWrite5m, cacheWrite1h: prices.cacheWrite1h };
};

describe('modelPrices', () => {
  it('prices a global profile at the listed figures and everything else with the 10% regional premium (Claude 4.5+)', () => {
    expect(figures('global.anthropic.claude-sonnet-4-5-20250929-v1:0')).toEqual({ input: 3, output: 15, cacheRead: 0.3, cacheWrite5m: 3.75, cacheWrite1h: 6 });
    expect(figures('us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toEqual({ input: 3.3, output: 16.5, cacheRead: 0.33, cacheWrite5m: 4.125, cacheWrite1h: 6.6 });
    // in-region (a bare id) is regional too
    expect(figures('anthropic.claude-haiku-4-5-20251001-v1:0')).toEqual({ input: 1.1, output: 5.5, cacheRead: 0.11, cacheWrite5m: 1.375, cacheWrite1h: 2.2 });
    expect(modelPrices('us.anthropic.claude-sonnet-4-5-20250929-v1:0')!.source).toMatch(/\+10% regional/);
    expect(modelPrices('global.anthropic.claude-sonnet-4-5-20250929-v1:0')!.source).not.toMatch(/regional/);
  });

  it('reads ids inside ARNs the way the model table does', () => {
    expect(figures('arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-haiku-4-5-20251001-v1:0')).toEqual({
      input: 1,
      output: 5,
      cacheRead: 0.1,
      cacheWrite5m: 1.25,
      cacheWrite1h: 2,
    });
    expect(figures('arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-opus-4-6-v1')).toEqual({
      input: 5.5,
      output: 27.5,
      cacheRead: 0.55,
      cacheWrite5m: 6.875,
      cacheWrite1h: 11,
    });
  });

  it('keeps each model its own ratios: Opus 5.5 reads at 0.05×, Fable 5.1 at 0.025×, Nova writes at the input price', () => {
    expect(figures('global.anthropic.claude-opus-5-5')).toEqual({ input: 4, output: 20, cacheRead: 0.2, cacheWrite5m: 5, cacheWrite1h: 8 });
    expect(modelPrices('global.anthropic.claude-fable-5-1-v1:0')!.cacheRead).toBe(0.25);
    expect(modelPrices('global.anthropic.claude-fable-5-v1:0')!.cacheRead).toBe(1);
    expect(figures('us.amazon.nova-pro-v1:0')).toEqual({ input: 0.8, output: 3.2, cacheRead: 0.2, cacheWrite5m: 0.8, cacheWrite1h: undefined });
    expect(figures('amazon.nova-lite-v1:0')).toEqual({ input: 0.06, output: 0.24, cacheRead: 0.015, cacheWrite5m: 0.06, cacheWrite1h: undefined });
    expect(modelPrices('us.amazon.nova-2-lite-v1:0')!.input).toBe(0.33);
    expect(modelPrices('global.amazon.nova-2-lite-v1:0')!.input).toBe(0.3);
  });

  it('adds no premium to models priced the same everywhere', () => {
    expect(modelPrices('us.anthropic.claude-3-7-sonnet-20250219-v1:0')!.input).toBe(3);
    expect(modelPrices('us.amazon.nova-micro-v1:0')!.input).toBe(0.035);
  });

  it('knows no price for other families or for ids that name no model', () => {
    expect(modelPrices('meta.llama3-3-70b-instruct-v1:0')).toBeUndefined();
    expect(modelPrices('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123')).toBeUndefined();
  });

  it('takes the caller’s figures as given, an exact id first, then the longest foundation-id prefix', () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123';
    const row = { input: 3, output: 15, cacheRead: 0.3, cacheWrite5m: 3.75 };
    expect(modelPrices(arn, { [arn]: row })).toEqual({ ...row, date: 'caller', source: "the caller's override" });
    // an incomplete row for a model the table doesn't know prices nothing
    expect(modelPrices(arn, { [arn]: { input: 3 } })).toBeUndefined();

    const id = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
    const prefixed = modelPrices(id, { 'anthropic.claude-sonnet-4-5': { input: 2 } })!;
    expect([prefixed.input, prefixed.cacheRead]).toEqual([2, 0.33]); // no premium on the caller's figure
    expect(prefixed.source).toMatch(/with the caller's overrides$/);
    expect(modelPrices(id, { anthropic: { input: 9 }, 'anthropic.claude-sonnet': { input: 7 } })!.input).toBe(7);
    expect(modelPrices(id, { [id]: { input: 1 }, 'anthropic.claude-sonnet-4-5': { input: 2 } })!.input).toBe(1);
  });

  it('dates and sources every row', () => {
    for (const [prefix, row] of Object.entries(PRICE_TABLE)) {
      expect(row.date, prefix).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(row.source.length, prefix).toBeGreaterThan(20);
      expect(row.cacheRead, prefix).toBeLessThan(row.input);
    }
  });
});

describe('cacheCost', () => {
  const sonnetGlobal = modelPrices('global.anthropic.claude-sonnet-4-5-20250929-v1:0')!;

  it('prices uncached, read and 5m-written tokens, and the same tokens uncached', () => {
    // 1,000 × 3 + 10,000 × 0.30 + 2,000 × 3.75 = 13,500 → $0.0135; 13,000 × 3 → $0.039
    const cost = cacheCost({ uncachedInputTokens: 1000, cacheReadInputTokens: 10_000, cacheWriteInputTokens: 2000 }, sonnetGlobal);
    expect(cost.costUsd).toBeCloseTo(0.0135, 12);
    expect(cost.costWithoutCacheUsd).toBeCloseTo(0.039, 12);
    expect(cost.savedUsd).toBeCloseTo(0.0255, 12);
  });

  it('prices 1h writes from cacheDetails', () => {
    // 3,000 + 3,000 + 500 × 3.75 + 1,500 × 6 = 16,875 → $0.016875
    const usage = {
      uncachedInputTokens: 1000,
      cacheReadInputTokens: 10_000,
      cacheWriteInputTokens: 2000,
      cacheDetails: [
        { ttl: '1h', inputTokens: 1500 },
        { ttl: '5m', inputTokens: 500 },
      ],
    };
    expect(cacheCost(usage, sonnetGlobal).costUsd).toBeCloseTo(0.016875, 12);
    // never more 1h tokens than were written: 2,000 × 6 = 12,000 → $0.012
    const claimed = { ...usage, uncachedInputTokens: 0, cacheReadInputTokens: 0, cacheDetails: [{ ttl: '1h', inputTokens: 5000 }] };
    expect(cacheCost(claimed, sonnetGlobal).costUsd).toBeCloseTo(0.012, 12);
  });

  it('reports a loss as a negative saving: writes nobody reads', () => {
    // 10,000 × 3.75 = $0.0375 against 10,000 × 3 = $0.03
    const cost = cacheCost({ uncachedInputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 10_000 }, sonnetGlobal);
    expect(cost.savedUsd).toBeCloseTo(-0.0075, 12);
  });

  it('uses the model’s own read price and prices 1h writes as 5m where the model has no 1h price', () => {
    // Opus 5.5: 1M read × 0.20 = $0.20 against 1M × 4 = $4
    const opus = cacheCost({ uncachedInputTokens: 0, cacheReadInputTokens: 1_000_000, cacheWriteInputTokens: 0 }, modelPrices('global.anthropic.claude-opus-5-5')!);
    expect([opus.costUsd, opus.savedUsd]).toEqual([0.2, 3.8]);
    // Nova Pro: 1,000 × 0.80 = $0.0008, the same as uncached
    const nova = cacheCost(
      { uncachedInputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 1000, cacheDetails: [{ ttl: '1h', inputTokens: 1000 }] },
      modelPrices('us.amazon.nova-pro-v1:0')!,
    );
    expect(nova.costUsd).toBeCloseTo(0.0008, 12);
    expect(nova.savedUsd).toBeCloseTo(0, 12);
  });
});
