import type { ModelPrices } from './price-table';

/** The token counts `cacheCost` prices: a call's or a run's cache usage, as `getBedrockCacheUsage` returns it. */
export interface CacheCostUsage {
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
  uncachedInputTokens: number;
  /** Writes by TTL, as Bedrock reports them; without it every write is priced as 5m. */
  cacheDetails?: ReadonlyArray<{ ttl: string; inputTokens: number }> | undefined;
}

/** Estimated input cost in USD. */
export interface CacheCost {
  /** What the input cost with caching: uncached, read and written tokens at their prices. */
  costUsd: number;
  /** What the same input tokens would have cost uncached. */
  costWithoutCacheUsd: number;
  /** `costWithoutCacheUsd − costUsd`; negative when the writes cost more than the reads saved. */
  savedUsd: number;
}

/**
 * The input cost of `usage` at `prices` (from `modelPrices`), with caching and without.
 * Input only: output tokens cost the same either way. 1h writes are priced from
 * `cacheDetails` (never more than the reported writes); the rest of the writes as 5m. A
 * model without a 1h price prices 1h writes as 5m.
 */
export function cacheCost(usage: CacheCostUsage, prices: ModelPrices): CacheCost {
  const write = usage.cacheWriteInputTokens;
  const reported1h = (usage.cacheDetails ?? []).reduce((sum, detail) => sum + (detail.ttl === '1h' ? detail.inputTokens : 0), 0);
  const oneHour = Math.min(write, Math.max(0, reported1h));
  const units =
    usage.uncachedInputTokens * prices.input +
    usage.cacheReadInputTokens * prices.cacheRead +
    (write - oneHour) * prices.cacheWrite5m +
    oneHour * (prices.cacheWrite1h ?? prices.cacheWrite5m);
  const costUsd = units / 1_000_000;
  const costWithoutCacheUsd = ((usage.uncachedInputTokens + usage.cacheReadInputTokens + write) * prices.input) / 1_000_000;
  return { costUsd, costWithoutCacheUsd, savedUsd: costWithoutCacheUsd - costUsd };
}
