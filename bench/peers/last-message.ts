import type { LanguageModelV3Middleware } from '@ai-sdk/provider';
import { familyOf, holdsToolBlocks, isAnthropicMessages, withCheckpoint, type Ttl } from './shared';

/**
 * The simplest placement: one checkpoint at the end of the newest message, as LangChain's
 * `ChatBedrock` (InvokeModel) does (shared doc §9). It relies entirely on Bedrock's
 * lookback to read what the previous request wrote. On Nova it places nothing on a message
 * holding tool uses or results (the benchmark's Nova rule), and uses 5m only.
 */
export function lastMessagePlacement({ ttl = '5m' }: { ttl?: Ttl } = {}): LanguageModelV3Middleware {
  return {
    specificationVersion: 'v3',
    transformParams: async ({ params, model }) => {
      const family = familyOf(model.modelId);
      if (family === 'other') return params;
      const index = params.prompt.length - 1;
      const last = params.prompt[index];
      if (!last || last.role === 'system' || (family === 'nova' && holdsToolBlocks(last))) return params;
      const prompt = [...params.prompt];
      const effectiveTtl: Ttl = family === 'nova' ? '5m' : ttl;
      prompt[index] = { ...last, providerOptions: withCheckpoint(last.providerOptions, isAnthropicMessages(model.provider), effectiveTtl) };
      return { ...params, prompt };
    },
  };
}
