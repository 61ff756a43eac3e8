import type {
  LanguageModelV3CallOptions,
  LanguageModelV3Middleware,
  LanguageModelV3StreamPart,
  SharedV3Warning,
} from '@ai-sdk/provider';
import { BedrockCacheUnsupportedModelError } from './bedrock-cache-unsupported-model-error';
import { modelProfile } from './model/model-profile';
import { resolveOptions, type BedrockCacheOptions, type ResolvedOptions } from './options';
import { applyPlan } from './plan/apply-plan';
import { planCheckpoints } from './plan/plan-checkpoints';
import { readPrompt } from './prompt/read-prompt';
import { readCacheUsage, withCacheUsage } from './usage/read-cache-usage';

const FEATURE = 'bedrock prompt caching';

/** What transformParams decided for one call, read back when its result arrives. */
interface CallContext {
  warnings: SharedV3Warning[];
  /** Only calls that reach Bedrock get their cache usage normalized. */
  isBedrock: boolean;
  checkpoints: { added: number; existing: number };
}

/**
 * Places Amazon Bedrock prompt-cache checkpoints on every call (Claude and Nova through
 * `bedrock()`, Claude through `@ai-sdk/amazon-bedrock/anthropic`), never more than
 * Bedrock accepts, and reports each call's cache reads and writes in
 * `providerMetadata.bedrock.usage`.
 *
 * @example
 * const model = wrapLanguageModel({
 *   model: bedrock('us.anthropic.claude-sonnet-4-5-20250929-v1:0'),
 *   middleware: bedrockCacheMiddleware(),
 * });
 */
export function bedrockCacheMiddleware(options?: BedrockCacheOptions): LanguageModelV3Middleware {
  const resolved = resolveOptions(options);
  // Keyed by the params object transformParams returns, which the AI SDK hands to
  // wrapGenerate/wrapStream unchanged.
  const contexts = new WeakMap<LanguageModelV3CallOptions, CallContext>();

  return {
    specificationVersion: 'v3',

    transformParams: async ({ params, model }) => {
      const { params: next, context } = placeCheckpoints(params, model, resolved);
      const keyed = next === params ? { ...params } : next;
      contexts.set(keyed, context);
      return keyed;
    },

    wrapGenerate: async ({ doGenerate, params, model }) => {
      const result = await doGenerate();
      const context = contexts.get(params);
      if (!context) return result;
      if (!context.isBedrock) return { ...result, warnings: [...result.warnings, ...context.warnings] };
      const usage = readCacheUsage(result.usage, result.providerMetadata);
      resolved.onCacheUsage?.({ ...usage, modelId: model.modelId, callType: 'generate', checkpoints: context.checkpoints });
      return {
        ...result,
        warnings: [...result.warnings, ...context.warnings],
        providerMetadata: withCacheUsage(result.providerMetadata, usage),
      };
    },

    wrapStream: async ({ doStream, params, model }) => {
      const result = await doStream();
      const context = contexts.get(params);
      if (!context) return result;
      const stream = result.stream.pipeThrough(
        new TransformStream<LanguageModelV3StreamPart, LanguageModelV3StreamPart>({
          transform(part, controller) {
            if (part.type === 'stream-start' && context.warnings.length > 0) {
              controller.enqueue({ ...part, warnings: [...part.warnings, ...context.warnings] });
            } else if (part.type === 'finish' && context.isBedrock) {
              const usage = readCacheUsage(part.usage, part.providerMetadata);
              resolved.onCacheUsage?.({ ...usage, modelId: model.modelId, callType: 'stream', checkpoints: context.checkpoints });
              controller.enqueue({ ...part, providerMetadata: withCacheUsage(part.providerMetadata, usage) });
            } else {
              controller.enqueue(part);
            }
          },
        }),
      );
      return { ...result, stream };
    },
  };
}

function placeCheckpoints(
  params: LanguageModelV3CallOptions,
  model: { provider: string; modelId: string },
  options: ResolvedOptions,
): { params: LanguageModelV3CallOptions; context: CallContext } {
  const match = modelProfile(model, options.modelFamily);
  if (!match.supported) {
    if (options.unsupportedModelBehavior === 'raise') {
      throw new BedrockCacheUnsupportedModelError({ provider: model.provider, modelId: model.modelId, reason: match.reason });
    }
    const warnings: SharedV3Warning[] =
      options.unsupportedModelBehavior === 'warn'
        ? [{ type: 'unsupported', feature: FEATURE, details: `No cache checkpoints were added: ${match.reason}.` }]
        : [];
    return { params, context: { warnings, isBedrock: match.api !== undefined, checkpoints: { added: 0, existing: 0 } } };
  }
  const { profile } = match;
  const plan = planCheckpoints(readPrompt(params, profile), profile, options);
  return {
    params: applyPlan(params, plan, profile.api),
    context: {
      warnings: plan.warnings.map((details) => ({ type: 'other', message: `${FEATURE}: ${details}` })),
      isBedrock: true,
      checkpoints: { added: plan.checkpoints.length, existing: plan.existingCount },
    },
  };
}
