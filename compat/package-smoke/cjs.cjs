// The published package from a user's CommonJS project: `require`, the middleware and the emulator.
const { createAmazonBedrock } = require('@ai-sdk/amazon-bedrock');
const { generateText, wrapLanguageModel } = require('ai');
const { bedrockCacheMiddleware, getBedrockCacheUsage } = require('ai-sdk-bedrock-cache');
const { startBedrockEmulator } = require('ai-sdk-bedrock-cache/emulator');
const assert = require('node:assert/strict');

(async () => {
  const credentials = { accessKeyId: 'AKIDSMOKE', secretAccessKey: 'smoke-secret' };
  const emulator = await startBedrockEmulator({ port: 0, credentials });
  try {
    const bedrock = createAmazonBedrock({ region: 'us-east-1', baseURL: emulator.url, ...credentials });
    const model = wrapLanguageModel({ model: bedrock('us.amazon.nova-pro-v1:0'), middleware: bedrockCacheMiddleware() });
    const system = `You are terse. ${'Answer in one sentence. '.repeat(300)}`;
    await generateText({ model, system, prompt: 'One?' });
    const second = getBedrockCacheUsage(await generateText({ model, system, prompt: 'Two?' }));
    assert.ok(second.cacheReadInputTokens > 1000, JSON.stringify(second));
    console.log(`require ok: second call read ${second.cacheReadInputTokens} tokens from the cache`);
  } finally {
    await emulator.close();
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
