// The published package from a user's ESM project: `import`, the middleware and the emulator.
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { generateText, wrapLanguageModel } from 'ai';
import { bedrockCacheMiddleware, getBedrockCacheUsage, BedrockCacheUnsupportedModelError } from 'ai-sdk-bedrock-cache';
import { startBedrockEmulator } from 'ai-sdk-bedrock-cache/emulator';
import assert from 'node:assert/strict';

const credentials = { accessKeyId: 'AKIDSMOKE', secretAccessKey: 'smoke-secret' };
const emulator = await startBedrockEmulator({ port: 0, credentials });
try {
  const bedrock = createAmazonBedrock({ region: 'us-east-1', baseURL: emulator.url, ...credentials });
  const model = wrapLanguageModel({ model: bedrock('us.anthropic.claude-sonnet-4-5-20250929-v1:0'), middleware: bedrockCacheMiddleware() });
  const system = `You are terse. ${'Answer in one sentence. '.repeat(300)}`;
  const first = getBedrockCacheUsage(await generateText({ model, system, prompt: 'One?' }));
  const second = getBedrockCacheUsage(await generateText({ model, system, prompt: 'Two?' }));
  assert.ok(first.cacheWriteInputTokens > 1000, JSON.stringify(first));
  assert.ok(second.cacheReadInputTokens > 1000, JSON.stringify(second));
  assert.equal(typeof BedrockCacheUnsupportedModelError.isInstance, 'function');
  console.log(`import ok: second call read ${second.cacheReadInputTokens} tokens from the cache`);
} finally {
  await emulator.close();
}
