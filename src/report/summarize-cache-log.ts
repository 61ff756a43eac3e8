import type { CacheLogEntry } from './cache-log-entry';
import { cacheWhatIf, type CacheWhatIf } from './cache-what-if';

/** Token totals of a set of calls. */
export interface CacheTotals {
  calls: number;
  /** Calls that read something from the cache. */
  callsWithHit: number;
  /** Calls that wrote something to the cache. */
  callsWithWrite: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
  uncachedInputTokens: number;
  totalInputTokens: number;
  /** Share of all input read from the cache, 0–1. */
  hitRatio: number;
}

/** What `report` prints and draws. */
export interface CacheLogSummary extends CacheTotals {
  /** First and last entry times (ISO 8601), undefined for an empty log. */
  from: string | undefined;
  to: string | undefined;
  /** Per model, most calls first. */
  models: Array<CacheTotals & { modelId: string }>;
  /** Calls Bedrock rejected our checkpoints on and the middleware sent again, by reason. */
  recoveries: Array<{ reason: string; calls: number }>;
  /** Calls that read less than they could have, by the ledger's reason (first-call left out). */
  misses: Array<{ reason: string; calls: number }>;
  /** Estimated input cost with caching and without, in USD, over the calls that have a price; undefined when none does. */
  dollars: { costUsd: number; costWithoutCacheUsd: number; savedUsd: number; pricedCalls: number } | undefined;
  /** The bill against the clairvoyant bound, over the calls that logged their prefix path; undefined when none can be analysed. */
  whatIf: CacheWhatIf | undefined;
}

function totals(entries: readonly CacheLogEntry[]): CacheTotals {
  const sum = { calls: entries.length, callsWithHit: 0, callsWithWrite: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0, uncachedInputTokens: 0 };
  for (const entry of entries) {
    sum.cacheReadInputTokens += entry.cacheReadInputTokens;
    sum.cacheWriteInputTokens += entry.cacheWriteInputTokens;
    sum.uncachedInputTokens += entry.uncachedInputTokens;
    if (entry.cacheReadInputTokens > 0) sum.callsWithHit++;
    if (entry.cacheWriteInputTokens > 0) sum.callsWithWrite++;
  }
  const totalInputTokens = sum.cacheReadInputTokens + sum.cacheWriteInputTokens + sum.uncachedInputTokens;
  return { ...sum, totalInputTokens, hitRatio: totalInputTokens > 0 ? sum.cacheReadInputTokens / totalInputTokens : 0 };
}

/** Totals of a cache-usage log (as `readCacheLog` checked it), overall and per model, and its what-if. */
export function summarizeCacheLog(entries: readonly CacheLogEntry[]): CacheLogSummary {
  const byModel = new Map<string, CacheLogEntry[]>();
  const byReason = new Map<string, number>();
  const byMiss = new Map<string, number>();
  let dollars: Omit<NonNullable<CacheLogSummary['dollars']>, 'savedUsd'> | undefined;
  for (const entry of entries) {
    const miss = entry.cacheMiss?.reason;
    if (typeof miss === 'string' && miss !== 'first-call') byMiss.set(miss, (byMiss.get(miss) ?? 0) + 1);
    if (typeof entry.costUsd === 'number' && typeof entry.costWithoutCacheUsd === 'number') {
      dollars ??= { costUsd: 0, costWithoutCacheUsd: 0, pricedCalls: 0 };
      dollars.costUsd += entry.costUsd;
      dollars.costWithoutCacheUsd += entry.costWithoutCacheUsd;
      dollars.pricedCalls++;
    }
    const id = typeof entry.modelId === 'string' ? entry.modelId : '(unknown)';
    const calls = byModel.get(id);
    if (calls) calls.push(entry);
    else byModel.set(id, [entry]);
    if (typeof entry.recoveredFrom === 'string') byReason.set(entry.recoveredFrom, (byReason.get(entry.recoveredFrom) ?? 0) + 1);
  }
  return {
    ...totals(entries),
    from: entries[0]?.time,
    to: entries.at(-1)?.time,
    models: [...byModel].map(([modelId, calls]) => ({ modelId, ...totals(calls) })).sort((a, b) => b.calls - a.calls || b.totalInputTokens - a.totalInputTokens),
    recoveries: [...byReason].map(([reason, calls]) => ({ reason, calls })).sort((a, b) => b.calls - a.calls),
    misses: [...byMiss].map(([reason, calls]) => ({ reason, calls })).sort((a, b) => b.calls - a.calls),
    dollars: dollars && { ...dollars, savedUsd: dollars.costWithoutCacheUsd - dollars.costUsd },
    whatIf: cacheWhatIf(entries),
  };
}
