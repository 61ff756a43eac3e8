/**
 * An agent with tools: every step of the loop reads what the previous step wrote,
 * even when a step makes many tool calls in parallel.
 */
import { bedrock } from '@ai-sdk/amazon-bedrock';
import { ToolLoopAgent, jsonSchema, stepCountIs, tool, wrapLanguageModel } from 'ai';
import { bedrockCacheMiddleware, getBedrockCacheUsage } from 'ai-sdk-bedrock-cache';

const model = wrapLanguageModel({
  model: bedrock('us.anthropic.claude-sonnet-4-5-20250929-v1:0'),
  middleware: bedrockCacheMiddleware({
    onCacheUsage: (usage) =>
      console.log(`  [call] read ${usage.cacheReadInputTokens}, written ${usage.cacheWriteInputTokens}, uncached ${usage.uncachedInputTokens}`),
  }),
});

const city = jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] });

const agent = new ToolLoopAgent({
  model,
  instructions: `You plan trips. Check the weather of every city before you answer.\n\n${'Prefer trains over planes; prefer small hotels. '.repeat(150)}`,
  tools: {
    weather: tool({
      description: 'The forecast for a city',
      inputSchema: city,
      execute: async ({ city }) => ({ city, forecast: 'sunny, 21°C' }),
    }),
    hotels: tool({
      description: 'Small hotels in a city',
      inputSchema: city,
      execute: async ({ city }) => ({ city, hotels: ['Fjordhotellet', 'Brygga'] }),
    }),
  },
  stopWhen: stepCountIs(8),
});

const result = await agent.generate({ prompt: 'Plan a week: Bergen, Ålesund, Trondheim and Tromsø.' });
console.log(result.text);
const total = getBedrockCacheUsage(result);
console.log(`\n${result.steps.length} steps: ${(total.hitRatio * 100).toFixed(0)}% of input read from cache`);
