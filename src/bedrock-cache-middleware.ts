import type { LanguageModelV3CallOptions, LanguageModelV3Middleware, LanguageModelV3StreamResult } from '@ai-sdk/provider';
import type { BedrockCacheMiddleware } from './middleware/bedrock-cache-middleware-type';
import type { CallContext } from './middleware/call-context';
import { createMiddlewareParts } from './middleware/middleware-parts';
import { prepareContext } from './middleware/prepare-context';
import { canRecover, recover } from './middleware/recover-call';
import { reportCall } from './middleware/report-call';
import { withCacheParts } from './middleware/with-cache-parts';
import { resolveOptions } from './options/resolve-options';
import type { BedrockCacheOptions } from './options/types';
import type { CacheRejection } from './recovery/cache-rejection';
import { retryOnEarlyStreamError } from './recovery/retry-on-early-stream-error';
import { captureActiveSpan } from './telemetry/capture-active-span';
import { readCacheUsage, withCacheUsage } from './usage/read-cache-usage';

export type { BedrockCacheMiddleware } from './middleware/bedrock-cache-middleware-type';

const CONTEXT = Symbol('bedrockCache.callContext');

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
  const parts = createMiddlewareParts(resolved);
  // Each call's context rides on the params object transformParams returns (our own copy),
  // which the AI SDK hands to wrapGenerate/wrapStream unchanged: a hidden property, so that
  // it dies with the call. (A WeakMap kept every context until the next full collection; in a
  // loop of transformParams calls, moving them to the old generation took most of its time.)
  const contextOf = (params: LanguageModelV3CallOptions): CallContext | undefined => (params as { [CONTEXT]?: CallContext })[CONTEXT];

  /** Before sending: the call's span, then, when a concurrent call is writing its prefix, the wait for that call's response to begin. */
  const begin = async (params: LanguageModelV3CallOptions): Promise<CallContext | undefined> => {
    const context = contextOf(params);
    if (!context) return undefined;
    context.span = captureActiveSpan();
    context.turn = await parts.coordination.enter(context.coalesceKey, params.abortSignal, context.storeBudget);
    // lifetimes count from the request's start (§1 Timing), after the wait
    if (context.ledgerCall && context.turn?.report()?.leader === false) context.ledgerCall.at = resolved.now();
    return context;
  };

  const middleware: LanguageModelV3Middleware = {
    specificationVersion: 'v3',

    transformParams: async ({ params, model }) => {
      const context = await prepareContext(parts, params, model);
      const keyed = context.params === params ? { ...params } : context.params;
      // not enumerable: invisible to spreads, JSON and the provider
      Object.defineProperty(keyed, CONTEXT, { value: context.context });
      return keyed;
    },

    wrapGenerate: async ({ doGenerate, params, model }) => {
      const context = await begin(params);
      if (!context) return doGenerate();
      let result;
      try {
        result = await doGenerate();
      } catch (error) {
        const rejection = canRecover(parts, context, error);
        context.turn?.failed();
        if (!rejection) throw error;
        result = await model.doGenerate(recover(parts, context, model, rejection));
      }
      context.turn?.began();
      const warnings = [...result.warnings, ...context.warnings];
      if (!context.isBedrock) return { ...result, warnings };
      const usage = readCacheUsage(result.usage, result.providerMetadata);
      const findings = await reportCall(parts, context, model.modelId, 'generate', usage);
      return { ...result, warnings, providerMetadata: withCacheUsage(result.providerMetadata, usage, findings) };
    },

    wrapStream: async ({ doStream, params, model }) => {
      const context = await begin(params);
      if (!context) return doStream();
      const retry = async (rejection: CacheRejection) => model.doStream(recover(parts, context, model, rejection));
      let result: LanguageModelV3StreamResult;
      try {
        result = await doStream();
      } catch (error) {
        const rejection = canRecover(parts, context, error);
        context.turn?.failed();
        if (!rejection) throw error;
        result = await retry(rejection);
      }
      if (!context.recovered && resolved.retryOnCacheError && context.ours) {
        result = await retryOnEarlyStreamError(result, (error) => canRecover(parts, context, error), retry);
      }
      const stream = withCacheParts(result.stream, context, async (part) => {
        const usage = readCacheUsage(part.usage, part.providerMetadata);
        const findings = await reportCall(parts, context, model.modelId, 'stream', usage);
        return { ...part, providerMetadata: withCacheUsage(part.providerMetadata, usage, findings) };
      });
      return { ...result, stream };
    },
  };

  // Typed against V3 inside; the exported type lets ai 7 hand it V4 call options and results,
  // which have the same shape where the middleware reads and writes them.
  return middleware as BedrockCacheMiddleware;
}
