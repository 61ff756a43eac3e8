import type { LanguageModelV3CallOptions, SharedV3Warning } from '@ai-sdk/provider';
import { BedrockCacheUnsupportedModelError } from '../bedrock-cache-unsupported-model-error';
import { prepareCall, type PreparedCall } from '../call/prepare-call';
import { adviseCall } from '../ledger/advise-call';
import { fingerprintPrompt } from '../ledger/prompt-fingerprint';
import { bedrockApiOf } from '../model/model-profile';
import { placeCheckpoints, type Placement } from '../plan/place-checkpoints';
import type { CallContext } from './call-context';
import { cacheWarning, FEATURE, type MiddlewareParts, type ModelIdentity } from './middleware-parts';

/** Plans a prepared call; `withOurs: false` keeps only the caller's checkpoints. */
export function place(parts: MiddlewareParts, call: PreparedCall, model: ModelIdentity, withOurs = true, match = parts.models.profileOf(model)): Placement {
  const options = withOurs ? call.options : { ...call.options, cache: { tools: false, system: false, messages: false } };
  return placeCheckpoints(call.params, model, match, options, parts.resolved.debug);
}

/** What the ledger settles against: the params sent and their checkpoints on the wire. */
export const sentOf = ({ params, wirePoints, lookbackBlocks, minTokens }: Placement): CallContext['sent'] =>
  lookbackBlocks === undefined ? undefined : { params, points: wirePoints, lookbackBlocks, minTokens: minTokens ?? 0 };

/**
 * One call's checkpoints. A caching layer must never be the reason a call fails: should
 * planning itself throw (a prompt shape this version doesn't know), the call goes out as
 * the caller wrote it, with a warning. The deliberate throws pass: unsupportedModelBehavior
 * 'raise', and invalid per-call options (like the AI SDK's own provider-option checks).
 */
export async function prepareContext(
  parts: MiddlewareParts,
  params: LanguageModelV3CallOptions,
  model: ModelIdentity,
): Promise<{ params: LanguageModelV3CallOptions; context: CallContext }> {
  const { resolved, ledger, guard, coordination } = parts;
  const api = bedrockApiOf(model.provider);
  const call = prepareCall(params, api, resolved);
  // Contexts are object literals with every field, never a spread plus fields: on Node 20
  // (V8 11.3) adding a property a spread copy lacks takes microseconds.
  const isBedrock = api !== undefined;
  const asWritten = (warnings: SharedV3Warning[]): CallContext => ({ call, warnings, isBedrock, checkpoints: { added: 0, existing: 0 }, ours: undefined, sent: undefined });
  if (!call.options.enabled) return { params: call.params, context: asWritten(call.warnings.map(cacheWarning)) };
  const warnings: SharedV3Warning[] = call.warnings.map(cacheWarning);
  const match = parts.models.profileOf(model);
  const toolsCacheable = match.supported && match.profile.api === 'anthropic-messages' && match.profile.cachesTools;
  // all of this call's store work (the ledger's reads and writes, the lease) shares one budget
  const storeBudget = guard.budget();
  const ledgerCall = ledger && match.supported ? await guard.run(() => ledger.begin(model.modelId, call.params, { toolsCacheable }), storeBudget) : undefined;
  const advice = ledger && ledgerCall && match.supported ? adviseCall(ledger, ledgerCall, call, match.profile, parts.pricesOf(model.modelId)) : undefined;
  if (advice) call.options = advice.options;
  if (advice?.warning) warnings.push(cacheWarning(advice.warning));
  let placement: Placement;
  try {
    placement = place(parts, call, model, true, match);
  } catch (error) {
    if (BedrockCacheUnsupportedModelError.isInstance(error)) throw error;
    warnings.push(cacheWarning(`no checkpoints were added because planning failed (${error instanceof Error ? error.name : 'error'}); the request is sent as written.`));
    return { params: call.params, context: asWritten(warnings) };
  }
  warnings.push(...placementWarnings(parts, placement, model.modelId));
  const head = ledgerCall?.fingerprint ?? (resolved.coalesce ? fingerprintPrompt(call.params, 'head') : undefined);
  const coalesceKey = head && coordination.keyOf(model.modelId, head, placement.wirePoints, ledger && ledgerCall ? ledger.liveThrough(ledgerCall) : 0);
  return {
    params: placement.params,
    context: {
      call,
      warnings,
      isBedrock,
      storeBudget,
      checkpoints: placement.checkpoints,
      ours: placement.ours,
      sent: sentOf(placement),
      ledgerCall,
      coalesceKey: coalesceKey || undefined,
      autoTtl: advice?.autoTtl,
      blockChange: advice?.blockChange,
    },
  };
}

/** The call's warnings from placing its checkpoints. */
function placementWarnings(parts: MiddlewareParts, placement: Placement, modelId: string): SharedV3Warning[] {
  const warnings = placement.warnings.map(cacheWarning);
  if (placement.unsupported) warnings.push({ type: 'unsupported', feature: FEATURE, details: placement.unsupported });
  // A model without 1h is a property of the model, not of the call: said once per model.
  if (placement.ttlLowered && !parts.ttlWarned.has(modelId)) {
    parts.ttlWarned.add(modelId);
    warnings.push(cacheWarning(`Model "${modelId}" has no 1h cache TTL; its checkpoints use 5m.`));
  }
  return warnings;
}
