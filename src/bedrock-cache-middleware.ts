import type {
  LanguageModelV3CallOptions,
  LanguageModelV3Middleware,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  SharedV3Warning,
} from '@ai-sdk/provider';
import type { BedrockCacheMiddleware } from './middleware/bedrock-cache-middleware-type';
import type { CallContext } from './middleware/call-context';
import { BedrockCacheUnsupportedModelError } from './bedrock-cache-unsupported-model-error';
import { prepareCall, type PreparedCall } from './call/prepare-call';
import { createCallCoordination } from './coordination/call-coordination';
import { adviseCall } from './ledger/advise-call';
import { createCacheLedger } from './ledger/cache-ledger';
import { memoryLedgerStore } from './ledger/ledger-store';
import { guardStoreFailures } from './ledger/guard-store-failures';
import { fingerprintPrompt } from './ledger/prompt-fingerprint';
import { createModelMemory } from './model/model-memory';
import { bedrockApiOf } from './model/model-profile';
import { resolveOptions, type BedrockCacheOptions, type BedrockCacheReport } from './options';
import { placeCheckpoints, type Placement } from './plan/place-checkpoints';
import { cacheCost, modelPrices } from './pricing';
import { cacheRejection, REMEDY_TEXT, type CacheRejection } from './recovery/cache-rejection';
import { retryOnEarlyStreamError } from './recovery/retry-on-early-stream-error';
import { captureActiveSpan } from './telemetry/capture-active-span';
import { recordCacheAttributes } from './telemetry/record-cache-attributes';
import { readCacheUsage, withCacheUsage } from './usage/read-cache-usage';

export type { BedrockCacheMiddleware } from './middleware/bedrock-cache-middleware-type';

const FEATURE = 'bedrock prompt caching';
type Model = { provider: string; modelId: string };

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
  const models = createModelMemory(resolved);
  const ledger = resolved.ledger
    ? createCacheLedger({ now: resolved.now, store: resolved.ledger.store ?? memoryLedgerStore({ ...resolved.ledger, now: resolved.now }) })
    : undefined;
  const coordination = createCallCoordination({ coalesce: resolved.coalesce, now: resolved.now, store: resolved.ledger ? resolved.ledger.store : undefined });
  /** A call whose prefix a concurrent call is writing waits for that call's response to begin. */
  const coordinate = async (context: CallContext, signal: AbortSignal | undefined) => {
    context.turn = await coordination.enter(context.coalesceKey, signal);
    // lifetimes count from the request's start (§1 Timing), after the wait
    if (context.ledgerCall && context.turn?.report()?.leader === false) context.ledgerCall.at = resolved.now();
  };
  const ttlWarned = new Set<string>();
  const other = (message: string): SharedV3Warning => ({ type: 'other', message: `${FEATURE}: ${message}` });
  const guarded = guardStoreFailures();

  const place = (call: PreparedCall, model: Model, withOurs = true, match = models.profileOf(model)): Placement => {
    const options = withOurs ? call.options : { ...call.options, cache: { tools: false, system: false, messages: false } };
    return placeCheckpoints(call.params, model, match, options, resolved.debug);
  };
  const sentOf = ({ params, wirePoints, lookbackBlocks }: Placement): CallContext['sent'] =>
    lookbackBlocks === undefined ? undefined : { params, points: wirePoints, lookbackBlocks };

  const canRecover = (context: CallContext, error: unknown): CacheRejection | undefined =>
    resolved.retryOnCacheError && context.ours ? cacheRejection(error, context.ours) : undefined;

  /** The params to send again after a rejection; the model remembers what it refused. */
  const recover = (context: CallContext, model: Model, rejection: CacheRejection) => {
    models.learn(model.modelId, rejection.remedy);
    const placement = place(context.call!, model, rejection.remedy !== 'without-our-checkpoints');
    context.recovered = rejection.reason;
    context.checkpoints = placement.checkpoints;
    context.sent = sentOf(placement);
    context.ours = undefined; // one retry only
    context.warnings = [
      ...context.warnings,
      other(`Bedrock rejected this request's cache checkpoints (${rejection.reason}); it was sent again ${REMEDY_TEXT[rejection.remedy]}.`),
    ];
    return placement.params;
  };

  const report = async (context: CallContext, modelId: string, callType: 'generate' | 'stream', usage: ReturnType<typeof readCacheUsage>) => {
    const { ledgerCall, sent } = context;
    const cacheMiss =
      ledger && ledgerCall && sent
        ? await guarded(() =>
            ledger.settle(ledgerCall, sent.params, sent.points, { read: usage.cacheReadInputTokens, written: usage.cacheWriteInputTokens }, sent.lookbackBlocks),
          )
        : undefined;
    const prices = modelPrices(modelId, resolved.prices);
    const findings = { ...(prices && cacheCost(usage, prices)), ...(cacheMiss && { cacheMiss }) };
    const coalesced = context.turn?.report();
    const cacheReport: BedrockCacheReport = {
      ...usage,
      ...findings,
      modelId,
      callType,
      checkpoints: context.checkpoints,
      ...(context.recovered && { recoveredFrom: context.recovered }),
      ...(coalesced && { coalesced }),
      ...(context.autoTtl && { autoTtl: context.autoTtl }),
    };
    // a first call's "miss" is no news: debug hears about the others
    if (cacheMiss && cacheMiss.reason !== 'first-call') resolved.debug?.({ modelId, supported: true, decisions: [], cacheMiss });
    recordCacheAttributes(context.span, cacheReport, resolved.telemetry);
    resolved.onCacheUsage?.(cacheReport);
    return findings;
  };

  const middleware: LanguageModelV3Middleware = {
    specificationVersion: 'v3',

    transformParams: async ({ params, model }) => {
      const context = await prepareContext(params, model);
      const keyed = context.params === params ? { ...params } : context.params;
      contexts.set(keyed, context.context);
      return keyed;
    },

    wrapGenerate: async ({ doGenerate, params, model }) => {
      const context = contexts.get(params);
      if (!context) return doGenerate();
      context.span = captureActiveSpan();
      await coordinate(context, params.abortSignal);
      let result;
      try {
        result = await doGenerate();
      } catch (error) {
        const rejection = canRecover(context, error);
        context.turn?.failed();
        if (!rejection) throw error;
        result = await model.doGenerate(recover(context, model, rejection));
      }
      context.turn?.began();
      const warnings = [...result.warnings, ...context.warnings];
      if (!context.isBedrock) return { ...result, warnings };
      const usage = readCacheUsage(result.usage, result.providerMetadata);
      const findings = await report(context, model.modelId, 'generate', usage);
      return { ...result, warnings, providerMetadata: withCacheUsage(result.providerMetadata, usage, findings) };
    },

    wrapStream: async ({ doStream, params, model }) => {
      const context = contexts.get(params);
      if (!context) return doStream();
      context.span = captureActiveSpan();
      await coordinate(context, params.abortSignal);
      const retry = async (rejection: CacheRejection) => model.doStream(recover(context, model, rejection));
      let result: LanguageModelV3StreamResult;
      try {
        result = await doStream();
      } catch (error) {
        const rejection = canRecover(context, error);
        context.turn?.failed();
        if (!rejection) throw error;
        result = await retry(rejection);
      }
      if (!context.recovered && resolved.retryOnCacheError && context.ours) {
        result = await retryOnEarlyStreamError(result, (error) => canRecover(context, error), retry);
      }
      const stream = result.stream.pipeThrough(
        new TransformStream<LanguageModelV3StreamPart, LanguageModelV3StreamPart>({
          async transform(part, controller) {
            // the response began: calls waiting for this prefix may go (an early error part: it failed)
            if (part.type === 'error') context.turn?.failed();
            else context.turn?.began();
            if (part.type === 'stream-start' && context.warnings.length > 0) {
              controller.enqueue({ ...part, warnings: [...part.warnings, ...context.warnings] });
            } else if (part.type === 'finish' && context.isBedrock) {
              const usage = readCacheUsage(part.usage, part.providerMetadata);
              const findings = await report(context, model.modelId, 'stream', usage);
              controller.enqueue({ ...part, providerMetadata: withCacheUsage(part.providerMetadata, usage, findings) });
            } else {
              controller.enqueue(part);
            }
          },
          flush: () => context.turn?.failed(),
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
  async function prepareContext(params: LanguageModelV3CallOptions, model: Model): Promise<{ params: LanguageModelV3CallOptions; context: CallContext }> {
    const api = bedrockApiOf(model.provider);
    const call = prepareCall(params, api, resolved);
    const base = { call, isBedrock: api !== undefined, ours: undefined, sent: undefined, checkpoints: { added: 0, existing: 0 } };
    if (!call.options.enabled) return { params: call.params, context: { ...base, warnings: call.warnings.map(other) } };
    const warnings: SharedV3Warning[] = call.warnings.map(other);
    const match = models.profileOf(model);
    const ledgerCall = ledger && match.supported ? await guarded(() => ledger.begin(model.modelId, call.params)) : undefined;
    const advice = ledger && ledgerCall && match.supported ? adviseCall(ledger, ledgerCall, call, match.profile.ttls, modelPrices(model.modelId, resolved.prices)) : undefined;
    if (advice) call.options = advice.options;
    if (advice?.warning) warnings.push(other(advice.warning));
    let placement: Placement;
    try {
      placement = place(call, model, true, match);
    } catch (error) {
      if (BedrockCacheUnsupportedModelError.isInstance(error)) throw error;
      warnings.push(other(`no checkpoints were added because planning failed (${error instanceof Error ? error.name : 'error'}); the request is sent as written.`));
      return { params: call.params, context: { ...base, warnings } };
    }
    warnings.push(...placement.warnings.map(other));
    if (placement.unsupported) warnings.push({ type: 'unsupported', feature: FEATURE, details: placement.unsupported });
    // A model without 1h is a property of the model, not of the call: said once per model.
    if (placement.ttlLowered && !ttlWarned.has(model.modelId)) {
      ttlWarned.add(model.modelId);
      warnings.push(other(`Model "${model.modelId}" has no 1h cache TTL; its checkpoints use 5m.`));
    }
    const head = ledgerCall?.head ?? (resolved.coalesce ? fingerprintPrompt(call.params, 'head') : undefined);
    const coalesceKey = head && coordination.keyOf(model.modelId, head, placement.wirePoints, ledger && ledgerCall ? ledger.liveThrough(ledgerCall) : 0);
    return {
      params: placement.params,
      context: {
        ...base,
        warnings,
        checkpoints: placement.checkpoints,
        ours: placement.ours,
        sent: sentOf(placement),
        ...(ledgerCall && { ledgerCall }),
        ...(coalesceKey && { coalesceKey }),
        ...(advice?.autoTtl && { autoTtl: advice.autoTtl }),
      },
    };
  }

  // Typed against V3 inside; the exported type lets ai 7 hand it V4 call options and results,
  // which have the same shape where the middleware reads and writes them.
  return middleware as BedrockCacheMiddleware;
}
