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
    expect(getBedrockCacheUsage(result.providerMetadata!)).toEqual({
      cacheReadInputTokens: 1800,
      cacheWriteInputTokens: 200,
      uncachedInputTokens: 5,
      totalInputTokens: 2005,
      hitRatio: 1800 / 2005,
    });
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
