/**
 * One question behind a long system prompt, asked twice: the second call reads the
 * system prompt from the cache.
 */
import { bedrock } from '@ai-sdk/amazon-bedrock';
import { generateText, wrapLanguageModel } from 'ai';
import { bedrockCacheMiddleware, getBedrockCacheUsage } from 'ai-sdk-bedrock-cache';

const model = wrapLanguageModel({
  model: bedrock('us.anthropic.claude-sonnet-4-5-20250929-v1:0'),
  middleware: bedrockCacheMiddleware(),
});

const system = `You answer questions about our return policy.\n\n${'Policy: items may be returned within 30 days with a receipt. '.repeat(120)}`;

for (const question of ['Can I return shoes after three weeks?', 'And without a receipt?']) {
  const result = await generateText({ model, system, prompt: question });
  const usage = getBedrockCacheUsage(result);
  console.log(`> ${question}\n${result.text}`);
  console.log(
    `  input: ${usage.uncachedInputTokens} uncached, ${usage.cacheReadInputTokens} read, ${usage.cacheWriteInputTokens} written\n`,
  );
}
