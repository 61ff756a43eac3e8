// The same from CommonJS (resolves the .d.cts types). ai 7 is ESM-only: this needs
// module nodenext there (require(esm), Node 22.12+).
import { wrapLanguageModel } from 'ai';
import { bedrock } from '@ai-sdk/amazon-bedrock';
import { bedrockCacheMiddleware } from 'ai-sdk-bedrock-cache';

export const model = wrapLanguageModel({ model: bedrock('us.amazon.nova-pro-v1:0'), middleware: [bedrockCacheMiddleware({ unsupportedModelBehavior: 'raise' })] });
// @ts-expect-error not an option
bedrockCacheMiddleware({ cacheTools: true });
