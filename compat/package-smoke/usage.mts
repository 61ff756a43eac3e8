// Type-checks user code against the published .d.ts (ESM side; module node16 / nodenext):
// the installed ai's wrapLanguageModel must accept the middleware as it is.
import { bedrock } from '@ai-sdk/amazon-bedrock';
import { extractReasoningMiddleware, wrapLanguageModel, wrapProvider, type LanguageModelMiddleware } from 'ai';
import { bedrockCacheMiddleware, getBedrockCacheUsage, type BedrockCacheMiddleware, type BedrockCacheUsage } from 'ai-sdk-bedrock-cache';

const middleware: BedrockCacheMiddleware = bedrockCacheMiddleware({ ttl: { system: '1h', messages: '5m' } });
export const model = wrapLanguageModel({ model: bedrock('us.anthropic.claude-sonnet-4-5-20250929-v1:0'), middleware });
export const asAiMiddleware: LanguageModelMiddleware = middleware;
export const chained = wrapLanguageModel({ model: bedrock('us.amazon.nova-pro-v1:0'), middleware: [middleware, extractReasoningMiddleware({ tagName: 'think' })] });
export const provider = wrapProvider({ provider: bedrock, languageModelMiddleware: bedrockCacheMiddleware() });
export const usage: BedrockCacheUsage = getBedrockCacheUsage({});
// the types are real, not `any`: a bad option is an error
// @ts-expect-error '2h' is not a TTL
bedrockCacheMiddleware({ ttl: '2h' });
