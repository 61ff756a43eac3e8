import type {
  LanguageModelV3CallOptions,
  LanguageModelV3Middleware,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  SharedV3Warning,
} from '@ai-sdk/provider';
import { BedrockCacheUnsupportedModelError } from './bedrock-cache-unsupported-model-error';
import { prepareCall, type PreparedCall } from './call/prepare-call';
import { bedrockApiOf, modelProfile, type ModelMatch } from './model/model-profile';
import { resolveOptions, type BedrockCacheOptions } from './options';
import { placeCheckpoints, type Placement } from './plan/place-checkpoints';
import { cacheRejection, type CacheRejection } from './recovery/cache-rejection';
import { retryOnEarlyStreamError } from './recovery/retry-on-early-stream-error';
import { captureActiveSpan } from './telemetry/capture-active-span';
import { recordCacheAttributes } from './telemetry/record-cache-attributes';
import { readCacheUsage, withCacheUsage, type CacheUsageReport } from './usage/read-cache-usage';

const FEATURE = 'bedrock prompt caching';

/** What transformParams decided for one call, read back when its result arrives. */
interface CallContext {
  /** The call as prepared (before any checkpoint), to plan it again on a retry. */
  call: PreparedCall | undefined;
  warnings: SharedV3Warning[];
  /** Only calls that reach Bedrock get their cache usage normalized. */
  isBedrock: boolean;
  checkpoints: { added: number; existing: number };
  ours: Placement['ours'];
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
  // What Bedrock's rejections taught about a model id (see recovery/): not tried again.
  const learned = new Map<string, { no1h?: boolean; noMessageCheckpoints?: boolean }>();
  const ttlWarned = new Set<string>();
  const profileOf = (model: { provider: string; modelId: string }): ModelMatch => {
    const key = `${model.provider}\n${model.modelId}`;
    let match = profiles.get(key);
    if (!match) {
      if (profiles.size >= 64) profiles.clear();
      match = modelProfile(model, resolved);
      profiles.set(key, match);
    }
    const lesson = learned.get(model.modelId);
    if (!lesson || !match.supported) return match;
    return {
      supported: true,
      profile: {
        ...match.profile,
        ...(lesson.no1h && { ttls: ['5m'] as const }),
        ...(lesson.noMessageCheckpoints && { cachesMessages: false }),
      },
    };
  };

  const place = (call: PreparedCall, model: { provider: string; modelId: string }, withOurs = true): Placement => {
    const options = withOurs ? call.options : { ...call.options, cache: { tools: false, system: false, messages: false } };
    return placeCheckpoints(call.params, model, profileOf(model), options, resolved.debug);
  };

  const canRecover = (context: CallContext, error: unknown): CacheRejection | undefined =>
    resolved.retryOnCacheError && context.ours ? cacheRejection(error, context.ours) : undefined;

  /** The params to send again after a rejection, and what the retry changed. */
  const recover = (context: CallContext, model: { provider: string; modelId: string }, rejection: CacheRejection) => {
    const lesson = { ...learned.get(model.modelId) };
    if (rejection.remedy === 'ttl-5m') lesson.no1h = true;
    if (rejection.remedy === 'without-message-checkpoints') lesson.noMessageCheckpoints = true;
    if (rejection.remedy !== 'without-our-checkpoints') learned.set(model.modelId, lesson);
    const placement = place(context.call!, model, rejection.remedy !== 'without-our-checkpoints');
    context.recovered = rejection.reason;
    context.checkpoints = placement.checkpoints;
    context.ours = undefined; // one retry only
    const how = {
      'without-our-checkpoints': "without the middleware's checkpoints",
      'ttl-5m': 'with 5m instead of 1h (not tried again on this model)',
      'without-message-checkpoints': 'without message checkpoints (not placed on this model again)',
    }[rejection.remedy];
    context.warnings = [
      ...context.warnings,
      { type: 'other', message: `${FEATURE}: Bedrock rejected this request's cache checkpoints (${rejection.reason}); it was sent again ${how}.` },
    ];
    return placement.params;
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
      const context = prepareContext(params, model);
      const keyed = context.params === params ? { ...params } : context.params;
      contexts.set(keyed, context.context);
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
        const rejection = canRecover(context, error);
        if (!rejection) throw error;
        result = await model.doGenerate(recover(context, model, rejection));
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
      const retry = async (rejection: CacheRejection) => model.doStream(recover(context, model, rejection));
      let result: LanguageModelV3StreamResult;
      try {
        result = await doStream();
      } catch (error) {
        const rejection = canRecover(context, error);
        if (!rejection) throw error;
        result = await retry(rejection);
      }
      if (!context.recovered && resolved.retryOnCacheError && context.ours) {
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

  /**
   * One call's checkpoints. A caching layer must never be the reason a call fails: should
   * planning itself throw (a prompt shape this version doesn't know), the call goes out as
   * the caller wrote it, with a warning. The deliberate throws pass: unsupportedModelBehavior
   * 'raise', and invalid per-call options (like the AI SDK's own provider-option checks).
   */
  function prepareContext(
    params: LanguageModelV3CallOptions,
    model: { provider: string; modelId: string },
  ): { params: LanguageModelV3CallOptions; context: CallContext } {
    const api = bedrockApiOf(model.provider);
    const call = prepareCall(params, api, resolved);
    const base = { call, isBedrock: api !== undefined, ours: undefined, checkpoints: { added: 0, existing: 0 } };
    const other = (message: string): SharedV3Warning => ({ type: 'other', message: `${FEATURE}: ${message}` });
    if (!call.options.enabled) return { params: call.params, context: { ...base, warnings: call.warnings.map(other) } };
    let placement: Placement;
    try {
      placement = place(call, model);
    } catch (error) {
      if (BedrockCacheUnsupportedModelError.isInstance(error)) throw error;
      const why = `no checkpoints were added because planning failed (${error instanceof Error ? error.name : 'error'}); the request is sent as written.`;
      return { params: call.params, context: { ...base, warnings: [...call.warnings, why].map(other) } };
    }
    const warnings: SharedV3Warning[] = [...call.warnings, ...placement.warnings].map(other);
    if (placement.unsupported) warnings.push({ type: 'unsupported', feature: FEATURE, details: placement.unsupported });
    // A model without 1h is a property of the model, not of the call: said once per model.
    if (placement.ttlLowered && !ttlWarned.has(model.modelId)) {
      ttlWarned.add(model.modelId);
      warnings.push(other(`Model "${model.modelId}" has no 1h cache TTL; its checkpoints use 5m.`));
    }
    return {
      params: placement.params,
      context: { ...base, warnings, checkpoints: placement.checkpoints, ours: placement.ours },
    };
  }

  // Typed against V3 inside; the exported type lets ai 7 hand it V4 call options and results,
  // which have the same shape where the middleware reads and writes them.
  return middleware as BedrockCacheMiddleware;
}
