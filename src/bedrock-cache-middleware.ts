import type {
  LanguageModelV3CallOptions,
  LanguageModelV3Middleware,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  SharedV3Warning,
} from '@ai-sdk/provider';
import { BedrockCacheUnsupportedModelError } from './bedrock-cache-unsupported-model-error';
import { bedrockApiOf, modelProfile, type ModelMatch } from './model/model-profile';
import { resolveOptions, type BedrockCacheOptions, type ResolvedOptions } from './options';
import { applyPlan } from './plan/apply-plan';
import { planCheckpoints } from './plan/plan-checkpoints';
import { readPrompt } from './prompt/read-prompt';
import { cacheRejection } from './recovery/cache-rejection';
import { retryOnEarlyStreamError } from './recovery/retry-on-early-stream-error';
import { captureActiveSpan } from './telemetry/capture-active-span';
import { recordCacheAttributes } from './telemetry/record-cache-attributes';
import { readCacheUsage, withCacheUsage, type CacheUsageReport } from './usage/read-cache-usage';

const FEATURE = 'bedrock prompt caching';

/** What transformParams decided for one call, read back when its result arrives. */
interface CallContext {
  /** The params as they came in, to retry without our checkpoints. */
  original: LanguageModelV3CallOptions;
  warnings: SharedV3Warning[];
  /** Only calls that reach Bedrock get their cache usage normalized. */
  isBedrock: boolean;
  checkpoints: { added: number; existing: number };
  /** Set when Bedrock rejected our checkpoints and the call was sent again without them. */
  recovered?: string;
  /** The telemetry span active when the call started (see telemetry/). */
  span?: unknown;
}

/** What the middleware reads of the wrapped model (LanguageModelV3 and V4 alike). */
interface WrappedModel<Params, GenerateResult, StreamResult> {
  readonly provider: string;
  readonly modelId: string;
  doGenerate(params: Params): PromiseLike<GenerateResult>;
  doStream(params: Params): PromiseLike<StreamResult>;
}

/**
 * The middleware {@link bedrockCacheMiddleware} returns: a `'v3'` middleware whose functions
 * are generic over the call options and results they pass through (checkpoints and cache
 * usage added, shape kept). So ai 6's `wrapLanguageModel` (`LanguageModelV3Middleware`) and
 * ai 7's (`LanguageModelMiddleware` with V4 call options) both accept it as it is.
 */
export interface BedrockCacheMiddleware {
  readonly specificationVersion: 'v3';
  transformParams: <Params extends object>(options: {
    type: 'generate' | 'stream';
    params: Params;
    model: { readonly provider: string; readonly modelId: string };
  }) => PromiseLike<Params>;
  wrapGenerate: <Params extends object, GenerateResult extends object>(options: {
    doGenerate: () => PromiseLike<GenerateResult>;
    params: Params;
    model: WrappedModel<Params, GenerateResult, unknown>;
  }) => PromiseLike<GenerateResult>;
  wrapStream: <Params extends object, StreamResult extends object>(options: {
    doStream: () => PromiseLike<StreamResult>;
    params: Params;
    model: WrappedModel<Params, unknown, StreamResult>;
  }) => PromiseLike<StreamResult>;
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
export function bedrockCacheMiddleware(options?: BedrockCacheOptions): BedrockCacheMiddleware {
  const resolved = resolveOptions(options);
  // Keyed by the params object transformParams returns, which the AI SDK hands to
  // wrapGenerate/wrapStream unchanged.
  const contexts = new WeakMap<LanguageModelV3CallOptions, CallContext>();
  // A middleware usually wraps one model: its profile is read once, not on every call.
  const profiles = new Map<string, ModelMatch>();
  const profileOf = (model: { provider: string; modelId: string }): ModelMatch => {
    const key = `${model.provider}\n${model.modelId}`;
    let match = profiles.get(key);
    if (!match) {
      if (profiles.size >= 64) profiles.clear();
      match = modelProfile(model, resolved.modelFamily);
      profiles.set(key, match);
    }
    return match;
  };

  const canRecover = (context: CallContext, error: unknown): string | undefined =>
    resolved.retryOnCacheError && context.checkpoints.added > 0 ? cacheRejection(error) : undefined;

  const markRecovered = (context: CallContext, reason: string) => {
    context.recovered = reason;
    context.checkpoints = { ...context.checkpoints, added: 0 };
    context.warnings = [
      ...context.warnings,
      {
        type: 'other',
        message: `${FEATURE}: Bedrock rejected this request's cache checkpoints (${reason}); it was sent again without the middleware's checkpoints.`,
      },
    ];
  };

  const report = (context: CallContext, modelId: string, callType: 'generate' | 'stream', usage: ReturnType<typeof readCacheUsage>) => {
    const cacheReport: CacheUsageReport = {
      ...usage,
      modelId,
      callType,
      checkpoints: context.checkpoints,
      ...(context.recovered && { recoveredFrom: context.recovered }),
    };
    recordCacheAttributes(context.span, cacheReport);
    resolved.onCacheUsage?.(cacheReport);
  };

  const middleware: LanguageModelV3Middleware = {
    specificationVersion: 'v3',

    transformParams: async ({ params, model }) => {
      const { params: next, context } = placeCheckpointsSafely(params, model, profileOf(model), resolved);
      const keyed = next === params ? { ...params } : next;
      contexts.set(keyed, context);
      return keyed;
    },

    wrapGenerate: async ({ doGenerate, params, model }) => {
      const context = contexts.get(params);
      if (!context) return doGenerate();
      context.span = captureActiveSpan();
      let result;
      try {
        result = await doGenerate();
      } catch (error) {
        const reason = canRecover(context, error);
        if (!reason) throw error;
        markRecovered(context, reason);
        result = await model.doGenerate(context.original);
      }
      const warnings = [...result.warnings, ...context.warnings];
      if (!context.isBedrock) return { ...result, warnings };
      const usage = readCacheUsage(result.usage, result.providerMetadata);
      report(context, model.modelId, 'generate', usage);
      return { ...result, warnings, providerMetadata: withCacheUsage(result.providerMetadata, usage) };
    },

    wrapStream: async ({ doStream, params, model }) => {
      const context = contexts.get(params);
      if (!context) return doStream();
      context.span = captureActiveSpan();
      const retry = async (reason: string) => {
        markRecovered(context, reason);
        return model.doStream(context.original);
      };
      let result: LanguageModelV3StreamResult;
      try {
        result = await doStream();
      } catch (error) {
        const reason = canRecover(context, error);
        if (!reason) throw error;
        result = await retry(reason);
      }
      if (!context.recovered && resolved.retryOnCacheError && context.checkpoints.added > 0) {
        result = await retryOnEarlyStreamError(result, (error) => canRecover(context, error), retry);
      }
      const stream = result.stream.pipeThrough(
        new TransformStream<LanguageModelV3StreamPart, LanguageModelV3StreamPart>({
          transform(part, controller) {
            if (part.type === 'stream-start' && context.warnings.length > 0) {
              controller.enqueue({ ...part, warnings: [...part.warnings, ...context.warnings] });
            } else if (part.type === 'finish' && context.isBedrock) {
              const usage = readCacheUsage(part.usage, part.providerMetadata);
              report(context, model.modelId, 'stream', usage);
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
  // Typed against V3 inside; the exported type lets ai 7 hand it V4 call options and results,
  // which have the same shape where the middleware reads and writes them.
  return middleware as BedrockCacheMiddleware;
}

/**
 * A caching layer must never be the reason a call fails: should planning itself throw
 * (a prompt shape this version doesn't know), the call goes out as the caller wrote it,
 * with a warning. The one deliberate throw, unsupportedModelBehavior 'raise', passes.
 */
function placeCheckpointsSafely(...args: Parameters<typeof placeCheckpoints>): ReturnType<typeof placeCheckpoints> {
  try {
    return placeCheckpoints(...args);
  } catch (error) {
    if (BedrockCacheUnsupportedModelError.isInstance(error)) throw error;
    const [params, model] = args;
    const message = `${FEATURE}: no checkpoints were added because planning failed (${error instanceof Error ? error.name : 'error'}); the request is sent as written.`;
    return {
      params,
      context: {
        original: params,
        warnings: [{ type: 'other', message }],
        isBedrock: bedrockApiOf(model.provider) !== undefined,
        checkpoints: { added: 0, existing: 0 },
      },
    };
  }
}

function placeCheckpoints(
  params: LanguageModelV3CallOptions,
  model: { provider: string; modelId: string },
  match: ModelMatch,
  options: ResolvedOptions,
): { params: LanguageModelV3CallOptions; context: CallContext } {
  if (!match.supported) {
    if (options.unsupportedModelBehavior === 'raise') {
      throw new BedrockCacheUnsupportedModelError({ provider: model.provider, modelId: model.modelId, reason: match.reason });
    }
    const warnings: SharedV3Warning[] =
      options.unsupportedModelBehavior === 'warn'
        ? [{ type: 'unsupported', feature: FEATURE, details: `No cache checkpoints were added: ${match.reason}.` }]
        : [];
    options.debug?.({ modelId: model.modelId, supported: false, reason: match.reason, decisions: [] });
    return { params, context: { original: params, warnings, isBedrock: match.api !== undefined, checkpoints: { added: 0, existing: 0 } } };
  }
  const { profile } = match;
  const plan = planCheckpoints(readPrompt(params, profile), profile, options);
  options.debug?.({ modelId: model.modelId, supported: true, decisions: plan.decisions });
  return {
    params: applyPlan(params, plan, profile.api),
    context: {
      original: params,
      warnings: plan.warnings.map((details) => ({ type: 'other', message: `${FEATURE}: ${details}` })),
      isBedrock: true,
      checkpoints: { added: plan.checkpoints.length, existing: plan.existingCount },
    },
  };
}
