import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { BedrockCacheUnsupportedModelError } from '../bedrock-cache-unsupported-model-error';
import type { ModelMatch } from '../model/model-profile';
import { readPrompt } from '../prompt/read-prompt';
import type { WirePoint } from '../ledger/cache-ledger';
import type { OurCheckpoints } from '../recovery/cache-rejection';
import type { CacheTtl } from '../model/model-table';
import type { CacheSection, UnsupportedModelBehavior } from '../types';
import { applyPlan } from './apply-plan';
import type { CacheDebugEvent } from './cache-debug-event';
import { planCheckpoints, type PlanOptions } from './plan-checkpoints';

/** What placing a call's checkpoints did, as plain data for the glue. */
export interface Placement {
  params: LanguageModelV3CallOptions;
  /** Warnings for the call (texts without the feature prefix). */
  warnings: string[];
  /** `'unsupported'` when the model can't cache (a warning of that type, per the AI SDK). */
  unsupported?: string;
  /** Checkpoints the middleware added that reach the wire, and the caller's own. */
  checkpoints: { added: number; existing: number };
  /** What the added checkpoints are like, for recovery; undefined when none was added. */
  ours: OurCheckpoints | undefined;
  /** A configured TTL was lowered to one the model has. */
  ttlLowered: boolean;
  /** Every checkpoint that reaches the wire, the caller's and ours (for the ledger). */
  wirePoints: WirePoint[];
  /** The model's lookback in blocks and minimum cacheable tokens, for the ledger; undefined when the model can't cache. */
  lookbackBlocks?: number;
  minTokens?: number;
}

/**
 * Plans and applies one call's checkpoints: model support, the pure planner over the
 * prompt's layout, copy-on-write application. `unsupportedModelBehavior: 'raise'` throws
 * {@link BedrockCacheUnsupportedModelError}.
 */
export function placeCheckpoints(
  params: LanguageModelV3CallOptions,
  model: { provider: string; modelId: string },
  match: ModelMatch,
  options: PlanOptions & { unsupportedModelBehavior: UnsupportedModelBehavior },
  debug: ((event: CacheDebugEvent) => void) | undefined,
): Placement {
  const none = { checkpoints: { added: 0, existing: 0 }, ours: undefined, ttlLowered: false, wirePoints: [] };
  if (!match.supported) {
    if (options.unsupportedModelBehavior === 'raise') {
      throw new BedrockCacheUnsupportedModelError({ provider: model.provider, modelId: model.modelId, reason: match.reason });
    }
    debug?.({ modelId: model.modelId, supported: false, reason: match.reason, decisions: [] });
    return {
      params,
      warnings: [],
      ...(options.unsupportedModelBehavior === 'warn' && { unsupported: `No cache checkpoints were added: ${match.reason}.` }),
      ...none,
    };
  }
  const { profile } = match;
  const plan = planCheckpoints(readPrompt(params, profile), profile, options);
  debug?.({ modelId: model.modelId, supported: true, decisions: plan.decisions, ...(profile.inferred && { inferred: profile.inferred }) });
  // The Converse provider sends no tool checkpoint (§6: ignores tool.providerOptions in 4.0.x
  // and 5.0.x): it is planned and counted against the four, but it never reaches the wire.
  const reachesWire = (section: string) => section !== 'tools' || profile.api === 'anthropic-messages';
  const onWire = plan.checkpoints.filter((c) => reachesWire(c.section));
  const wirePoint = (section: CacheSection, index: number, part: number | undefined, ttl: CacheTtl): WirePoint =>
    section === 'tools'
      ? { section, tool: index, ttl }
      : section === 'system'
        ? { section, ttl }
        : { section, message: index, ...(part !== undefined && { part }), ttl };
  const wirePoints: WirePoint[] = [
    ...plan.kept
      .filter((c) => reachesWire(c.at.section))
      .map(({ at, ttls }) => wirePoint(at.section, at.section === 'tools' ? at.tool : at.message, at.section === 'tools' ? undefined : at.part, ttls[0] ?? '5m')),
    ...onWire.map(({ section, index, partIndex, ttl }) => wirePoint(section, index, partIndex, ttl)),
  ];
  return {
    wirePoints,
    params: applyPlan(params, plan, profile.api),
    warnings: plan.warnings,
    checkpoints: { added: onWire.length, existing: plan.existingCount },
    ours:
      onWire.length === 0
        ? undefined
        : {
            has1h: onWire.some((c) => c.ttl === '1h'),
            afterDocument: onWire.some((c) => c.afterDocument === true),
            onMessages: onWire.some((c) => c.section === 'messages'),
            family: profile.family,
          },
    ttlLowered: plan.ttlLowered,
    lookbackBlocks: profile.lookbackBlocks,
    minTokens: profile.minTokens,
  };
}
