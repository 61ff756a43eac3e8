/**
 * Prices every request's input from the price table of src/pricing (per model, with its
 * date and source). Output tokens are the same under every strategy (same scripted
 * replies), so they are left out.
 */
import type { EmulatorUsage } from '../../src/emulator/index';
import type { InputSplit } from '../../src/economics/bound-request';
import { modelPrices, type ModelPrices } from '../../src/pricing/index';

export type { InputSplit };

/** The split the emulator reported (writes by TTL from `cacheDetails`; anything unattributed counts as 5m). */
export function splitOf(usage: EmulatorUsage): InputSplit {
  const oneHour = usage.cacheDetails.find((detail) => detail.ttl === '1h')?.inputTokens ?? 0;
  return {
    uncached: usage.inputTokens,
    read: usage.cacheReadInputTokens,
    write: { '1h': oneHour, '5m': usage.cacheWriteInputTokens - oneHour },
  };
}

/** The table's prices for a workload's model (the benchmark only runs models it prices). */
export function pricesOf(modelId: string): ModelPrices {
  const prices = modelPrices(modelId);
  if (!prices) throw new Error(`bench: no price for ${modelId} in src/pricing`);
  return prices;
}

export const totalOf = (split: InputSplit) => split.uncached + split.read + split.write['5m'] + split.write['1h'];
