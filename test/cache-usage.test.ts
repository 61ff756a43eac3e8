import { generateText, streamText, wrapLanguageModel } from 'ai';
import { describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware, getBedrockCacheUsage, type CacheUsageReport } from '../src';
import { LONG_SYSTEM, SONNET } from './support/fixtures';
import { useMockBedrock } from './support/mock-bedrock';

const mock = useMockBedrock();

describe('cache usage on every call', () => {
  it('is always numbers in providerMetadata.bedrock.usage, 0 when Bedrock reports none', async () => {
    const model = wrapLanguageModel({ model: mock.bedrock(SONNET), middleware: bedrockCacheMiddleware() });
    mock.usage({ inputTokens: 42 });
    const result = await generateText({ model, prompt: 'Hi' });
    expect(result.providerMetadata?.bedrock?.usage).toEqual({ inputTokens: 42, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 });
  });

  it("keeps the provider's cacheDetails and adds the read count it omits", async () => {
    const model = wrapLanguageModel({ model: mock.bedrock(SONNET), middleware: bedrockCacheMiddleware() });
    mock.usage({ inputTokens: 5, cacheReadInputTokens: 1800, cacheWriteInputTokens: 200, cacheDetails: [{ ttl: '5m', inputTokens: 200 }] });
    const result = await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi' });
    expect(result.providerMetadata?.bedrock?.usage).toEqual({
      inputTokens: 5,
      cacheReadInputTokens: 1800,
      cacheWriteInputTokens: 200,
      cacheDetails: [{ ttl: '5m', inputTokens: 200 }],
    });
    // Sonnet 4.5 through a us. profile: $3.30/M input, read $0.33, 5m write $4.125 (global +10%)
    const costUsd = (5 * 3.3 + 1800 * 0.33 + 200 * 4.125) / 1e6;
    const costWithoutCacheUsd = (2005 * 3.3) / 1e6;
    expect(getBedrockCacheUsage(result.providerMetadata!)).toEqual({
      cacheReadInputTokens: 1800,
      cacheWriteInputTokens: 200,
      uncachedInputTokens: 5,
      totalInputTokens: 2005,
      hitRatio: 1800 / 2005,
      costUsd: expect.closeTo(costUsd, 12),
      costWithoutCacheUsd: expect.closeTo(costWithoutCacheUsd, 12),
      savedUsd: expect.closeTo(costWithoutCacheUsd - costUsd, 12),
    });
    expect(result.providerMetadata?.bedrockCache).toMatchObject({ costUsd: expect.closeTo(costUsd, 12) });
  });

  it('has no dollars for a model without prices, unless the caller gives them', async () => {
    const id = 'us.anthropic.claude-opus-9-v1';
    mock.usage({ inputTokens: 10, cacheReadInputTokens: 1000 });
    const unpriced = await generateText({ model: wrapLanguageModel({ model: mock.bedrock(id), middleware: bedrockCacheMiddleware() }), system: LONG_SYSTEM, prompt: 'Hi' });
    expect(getBedrockCacheUsage(unpriced).costUsd).toBeUndefined();
    const prices = { 'anthropic.claude-opus-9': { input: 10, output: 50, cacheRead: 1, cacheWrite5m: 12.5 } };
    const priced = await generateText({ model: wrapLanguageModel({ model: mock.bedrock(id), middleware: bedrockCacheMiddleware({ prices }) }), system: LONG_SYSTEM, prompt: 'Hi' });
    expect(getBedrockCacheUsage(priced)).toMatchObject({ costUsd: expect.closeTo((10 * 10 + 1000 * 1) / 1e6, 12), costWithoutCacheUsd: expect.closeTo((1010 * 10) / 1e6, 12) });
  });

  it('lands on the finish part of a stream, so await result.providerMetadata has it', async () => {
    const model = wrapLanguageModel({ model: mock.bedrock(SONNET), middleware: bedrockCacheMiddleware() });
    mock.usage({ inputTokens: 7, cacheReadInputTokens: 900 });
    const result = streamText({ model, prompt: 'Hi' });
    await result.consumeStream();
    expect((await result.providerMetadata)?.bedrock?.usage).toEqual({ inputTokens: 7, cacheReadInputTokens: 900, cacheWriteInputTokens: 0 });
    expect(getBedrockCacheUsage(await result.steps).cacheReadInputTokens).toBe(900);
    expect(() => getBedrockCacheUsage(result as never)).toThrow(/await result.steps/);
  });

  it('is reported to onCacheUsage after each call', async () => {
    const reports: CacheUsageReport[] = [];
    const model = wrapLanguageModel({ model: mock.bedrock(SONNET), middleware: bedrockCacheMiddleware({ onCacheUsage: (r) => reports.push(r) }) });
    mock.usage({ inputTokens: 3, cacheWriteInputTokens: 2100 });
    await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi' });
    await streamText({ model, system: LONG_SYSTEM, prompt: 'Hi' }).consumeStream();
    expect(reports).toEqual([
      expect.objectContaining({ callType: 'generate', modelId: SONNET, cacheWriteInputTokens: 2100, uncachedInputTokens: 3, checkpoints: { added: 2, existing: 0 } }),
      expect.objectContaining({ callType: 'stream', modelId: SONNET, cacheWriteInputTokens: 2100, totalInputTokens: 2103 }),
    ]);
  });

  it('reads an AI SDK LanguageModelUsage too', () => {
    expect(
      getBedrockCacheUsage({ inputTokens: 110, inputTokenDetails: { noCacheTokens: 10, cacheReadTokens: 100, cacheWriteTokens: 0 } }),
    ).toMatchObject({ cacheReadInputTokens: 100, uncachedInputTokens: 10, totalInputTokens: 110, hitRatio: 100 / 110 });
  });
});
