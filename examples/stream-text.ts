/**
 * A streamed three-turn chat. Cache usage arrives with the stream's end, in
 * `providerMetadata.bedrock.usage`.
 */
import { bedrock } from '@ai-sdk/amazon-bedrock';
import { streamText, wrapLanguageModel, type ModelMessage } from 'ai';
import { bedrockCacheMiddleware } from 'ai-sdk-bedrock-cache';

const model = wrapLanguageModel({
  model: bedrock('us.anthropic.claude-sonnet-4-5-20250929-v1:0'),
  middleware: bedrockCacheMiddleware(),
});

const system = `You are a travel guide for Norway.\n\n${'Norway has fjords, mountains, islands and long summer days. '.repeat(120)}`;
const messages: ModelMessage[] = [];

for (const question of ['Where should I go in June?', 'How do I get there from Oslo?', 'What should I pack?']) {
  messages.push({ role: 'user', content: question });
  const result = streamText({ model, system, messages });
  process.stdout.write(`> ${question}\n`);
  for await (const text of result.textStream) process.stdout.write(text);
  messages.push(...(await result.response).messages);
  const usage = (await result.providerMetadata)?.bedrock?.usage as Record<string, number>;
  console.log(`\n  cache read ${usage.cacheReadInputTokens}, written ${usage.cacheWriteInputTokens}, uncached ${usage.inputTokens}\n`);
}
