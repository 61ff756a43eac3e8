import { cacheCost } from '../pricing/cache-cost';
import type { ModelPrices } from '../pricing/price-table';
import type { InputSplit } from './bound-request';

/** USD of one request's input split at `prices` (1h writes at the 1h price, as `cacheCost`). */
export function splitCost(split: InputSplit, prices: ModelPrices): number {
  return cacheCost(
    {
      uncachedInputTokens: split.uncached,
      cacheReadInputTokens: split.read,
      cacheWriteInputTokens: split.write['5m'] + split.write['1h'],
      cacheDetails: [{ ttl: '1h', inputTokens: split.write['1h'] }],
    },
    prices,
  ).costUsd;
}
