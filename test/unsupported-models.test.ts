import { generateText, wrapLanguageModel } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware, BedrockCacheUnsupportedModelError } from '../src';
import { LLAMA, LONG_SYSTEM } from './support/fixtures';
import { cachePointsOf, useMockBedrock } from './support/mock-bedrock';

const APP_PROFILE = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6';
const mock = useMockBedrock({ models: { [APP_PROFILE]: 'anthropic.claude-sonnet-4-5-20250929-v1:0' } });
const SYSTEM_PROFILE = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const FOUNDATION_ARN = 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0';

describe('models without prompt caching', () => {
  it('warn by default and send the request unchanged', async () => {
    const model = wrapLanguageModel({ model: mock.bedrock(LLAMA), middleware: bedrockCacheMiddleware() });
    const result = await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi' });
    expect(cachePointsOf(mock.last())).toEqual([]);
    expect(result.warnings).toEqual([
      {
        type: 'unsupported',
        feature: 'bedrock prompt caching',
        details: 'No cache checkpoints were added: model "meta.llama3-3-70b-instruct-v1:0" does not support prompt caching on Bedrock.',
      },
    ]);
  });

  it('stay silent with ignore', async () => {
    const model = wrapLanguageModel({ model: mock.bedrock(LLAMA), middleware: bedrockCacheMiddleware({ unsupportedModelBehavior: 'ignore' }) });
    const result = await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi' });
    expect(result.warnings ?? []).toEqual([]);
    expect(cachePointsOf(mock.last())).toEqual([]);
  });

  it('throw a named error before any request with raise', async () => {
    const model = wrapLanguageModel({ model: mock.bedrock(LLAMA), middleware: bedrockCacheMiddleware({ unsupportedModelBehavior: 'raise' }) });
    const error = await generateText({ model, prompt: 'Hi', maxRetries: 0 }).catch((e: unknown) => e);
    expect(BedrockCacheUnsupportedModelError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('meta.llama3-3-70b-instruct-v1:0');
    expect(mock.requests).toHaveLength(0);
  });

  it('include models of other providers', async () => {
    const other = new MockLanguageModelV3({
      provider: 'openai.chat',
      modelId: 'gpt-5',
      doGenerate: async () => ({
        content: [{ type: 'text', text: 'ok' }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } },
        warnings: [],
      }),
    });
    const model = wrapLanguageModel({ model: other, middleware: bedrockCacheMiddleware() });
    const result = await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi' });
    expect(other.doGenerateCalls[0]!.prompt[0]).toEqual({ role: 'system', content: LONG_SYSTEM });
    expect(result.warnings?.[0]).toMatchObject({ details: expect.stringContaining('provider "openai.chat" is not Amazon Bedrock') });
    expect(result.providerMetadata?.bedrock).toBeUndefined();
  });
});

describe('inference-profile ARNs', () => {
  it('read the model inside a system inference-profile ARN', async () => {
    const model = wrapLanguageModel({ model: mock.bedrock(SYSTEM_PROFILE), middleware: bedrockCacheMiddleware() });
    await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi' });
    expect(cachePointsOf(mock.last()).map((p) => p.at)).toEqual(['system[1]', 'messages[0][1]']);
  });

  it('read a foundation-model ARN', async () => {
    const model = wrapLanguageModel({ model: mock.bedrock(FOUNDATION_ARN), middleware: bedrockCacheMiddleware() });
    await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi' });
    expect(cachePointsOf(mock.last()).map((p) => p.at)).toEqual(['system[1]', 'messages[0][1]']);
  });

  it('need modelFamily for an application inference profile', async () => {
    const unknown = wrapLanguageModel({ model: mock.bedrock(APP_PROFILE), middleware: bedrockCacheMiddleware() });
    const result = await generateText({ model: unknown, system: LONG_SYSTEM, prompt: 'Hi' });
    expect(cachePointsOf(mock.last())).toEqual([]);
    expect(result.warnings?.[0]).toMatchObject({ details: expect.stringContaining('set the modelFamily option') });

    const known = wrapLanguageModel({ model: mock.bedrock(APP_PROFILE), middleware: bedrockCacheMiddleware({ modelFamily: 'anthropic' }) });
    await generateText({ model: known, system: LONG_SYSTEM, prompt: 'Hi' });
    expect(mock.requests.at(-1)!.modelId).toBe(APP_PROFILE);
    expect(cachePointsOf(mock.last()).map((p) => p.at)).toEqual(['system[1]', 'messages[0][1]']);
  });
});
