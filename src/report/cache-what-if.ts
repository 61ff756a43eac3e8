import type { BoundModel, BoundRequest } from '../economics/bound-request';
import { clairvoyantBound } from '../economics/clairvoyant-bound';
import { clairvoyantBoundWithHour } from '../economics/clairvoyant-bound-with-hour';
import { splitCost } from '../economics/split-cost';
import { modelProfile } from '../model/model-profile';
import { cacheCost } from '../pricing/cache-cost';
import { modelPrices } from '../pricing/model-prices';
import type { ModelPrices } from '../pricing/price-table';
import type { CacheLogEntry } from './cache-log-entry';

/** Input dollars of the analysed calls: what they cost and what the clairvoyant bounds would have. */
export interface WhatIfBill {
  /** Calls analysed. */
  calls: number;
  /** What they cost, from their logged token counts. */
  actualUsd: number;
  /** The best possible: the clairvoyant bound, 1h chosen in hindsight where it pays (the cheaper of the two bounds). */
  bestUsd: number;
  /** The clairvoyant bound with 5m writes only. */
  best5mUsd: number;
  /** The clairvoyant bound writing everything at 1h (5m on models without 1h). */
  fixed1hUsd: number;
}

/** The report's what-if: how close the logged traffic's bill came to the best possible one. */
export interface CacheWhatIf extends WhatIfBill {
  /** Calls left out, by why: no `prefix` logged (a log from before the ledger logged it, or a call it didn't see), or a model without a built-in price or caching. */
  notAnalysable: { noPrefix: number; unpriced: number };
  /** Analysed calls on models that take a 1h TTL (without any, a fixed 1h is the 5m bound). */
  oneHourCalls: number;
  /** Per model, most calls first. */
  models: Array<WhatIfBill & { modelId: string; oneHour: boolean }>;
}

/** The model's figures the bound needs, from the built-in table (undefined: a model that doesn't cache, or no row or family). */
function boundModelOf(modelId: string): BoundModel | undefined {
  const match = modelProfile({ provider: 'amazon-bedrock', modelId });
  if (!match.supported) return undefined;
  const { minTokens, ttls, lookbackBlocks } = match.profile;
  return { minTokens, ttls, lookbackBlocks };
}

function billOf(entries: readonly CacheLogEntry[], model: BoundModel, prices: ModelPrices): WhatIfBill {
  const requests: BoundRequest[] = entries.map((entry) => ({
    time: Date.parse(entry.time),
    total: entry.totalInputTokens,
    ids: entry.prefix!.nodes,
    tokens: entry.prefix!.tokens,
  }));
  const sum = (costs: number[]) => costs.reduce((a, b) => a + b, 0);
  const best5mUsd = sum(clairvoyantBound(requests, model, '5m').map((r) => splitCost(r.split, prices)));
  const fixed1hUsd = sum(clairvoyantBound(requests, model, '1h').map((r) => splitCost(r.split, prices)));
  const withHourUsd = sum(clairvoyantBoundWithHour(requests, model).map((split) => splitCost(split, prices)));
  return {
    calls: entries.length,
    actualUsd: sum(entries.map((entry) => cacheCost(entry, prices).costUsd)),
    bestUsd: Math.min(best5mUsd, withHourUsd),
    best5mUsd,
    fixed1hUsd,
  };
}

/**
 * The clairvoyant bill of the logged traffic (src/economics, the bound the benchmarks use),
 * per model, over the calls that logged their prefix path (C4 `prefix`): with 5m writes
 * only, with 1h where it pays, and with a fixed 1h, beside what the calls actually cost.
 * Every figure is priced with the built-in price table, the actual bill too (so a caller's
 * price overrides change neither side of the ratio). Lifetimes count from each line's
 * `time` (when the report arrived, a little after the request started: shared doc §1
 * Timing), and node ids must come from one ledger secret to line up across processes.
 * Undefined when no call can be analysed.
 */
export function cacheWhatIf(entries: readonly CacheLogEntry[]): CacheWhatIf | undefined {
  const notAnalysable = { noPrefix: 0, unpriced: 0 };
  const byModel = new Map<string, { model: BoundModel; prices: ModelPrices; entries: CacheLogEntry[] }>();
  const unknown = new Set<string>();
  for (const entry of entries) {
    if (!entry.prefix) {
      notAnalysable.noPrefix++;
      continue;
    }
    let group = byModel.get(entry.modelId);
    if (!group && !unknown.has(entry.modelId)) {
      const model = boundModelOf(entry.modelId);
      const prices = modelPrices(entry.modelId);
      if (model && prices) byModel.set(entry.modelId, (group = { model, prices, entries: [] }));
      else unknown.add(entry.modelId);
    }
    if (group) group.entries.push(entry);
    else notAnalysable.unpriced++;
  }
  if (byModel.size === 0) return undefined;
  const models = [...byModel]
    .map(([modelId, { model, prices, entries: calls }]) => ({ modelId, oneHour: model.ttls.includes('1h'), ...billOf(calls, model, prices) }))
    .sort((a, b) => b.calls - a.calls || b.actualUsd - a.actualUsd);
  const total = (key: keyof WhatIfBill) => models.reduce((sum, m) => sum + m[key], 0);
  const oneHourCalls = models.reduce((sum, m) => sum + (m.oneHour ? m.calls : 0), 0);
  return {
    calls: total('calls'),
    actualUsd: total('actualUsd'),
    bestUsd: total('bestUsd'),
    best5mUsd: total('best5mUsd'),
    fixed1hUsd: total('fixed1hUsd'),
    notAnalysable,
    oneHourCalls,
    models,
  };
}
