/**
 * The full stack over real HTTP: AI SDK → middleware → provider (SigV4) → loopback →
 * the emulator's server. A second turn must read what the first wrote.
 */
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { createBedrockAnthropic } from '@ai-sdk/amazon-bedrock/anthropic';
import { generateText, streamText, wrapLanguageModel, type ModelMessage } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware, getBedrockCacheUsage } from '../src';
import { startBedrockEmulator, type RunningBedrockEmulator } from '../src/emulator';
import { LONG_SYSTEM, SONNET } from './support/fixtures';

const credentials = { accessKeyId: 'AKIDENDTOEND', secretAccessKey: 'end-to-end-secret' };
let emulator: RunningBedrockEmulator;

beforeAll(async () => {
  emulator = await startBedrockEmulator({ port: 0, credentials });
});
afterAll(() => emulator.close());

describe('end to end over loopback HTTP', () => {
  it.each([
    ['Converse', () => createAmazonBedrock({ baseURL: emulator.url, region: 'us-east-1', ...credentials })(SONNET)],
    ['InvokeModel', () => createBedrockAnthropic({ baseURL: emulator.url, region: 'us-east-1', ...credentials })(SONNET)],
  ])('reads the first turn from the cache on the second (%s)', async (_, provider) => {
    emulator.reset();
    const model = wrapLanguageModel({ model: provider(), middleware: bedrockCacheMiddleware() });
    const messages: ModelMessage[] = [{ role: 'user', content: 'What is the return window?' }];
    const first = await generateText({ model, system: LONG_SYSTEM, messages });
    messages.push(...first.response.messages, { role: 'user', content: 'And for shoes?' });
    const second = streamText({ model, system: LONG_SYSTEM, messages });
    await second.consumeStream();

    const [written, read] = emulator.requests.map((r) => r.usage!);
    expect(written!.cacheWriteInputTokens).toBeGreaterThan(3000);
    expect(read!.cacheReadInputTokens).toBe(written!.cacheWriteInputTokens + written!.cacheReadInputTokens);
    // what the caller sees is what Bedrock (the emulator) reported
    expect(getBedrockCacheUsage(first)).toMatchObject({ cacheWriteInputTokens: written!.cacheWriteInputTokens, cacheReadInputTokens: 0 });
    expect(getBedrockCacheUsage(await second.steps)).toMatchObject({
      cacheReadInputTokens: read!.cacheReadInputTokens,
      cacheWriteInputTokens: read!.cacheWriteInputTokens,
      uncachedInputTokens: read!.inputTokens,
    });
  });
});
