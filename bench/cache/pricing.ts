/**
 * Input prices relative to the model's base input price (shared doc §4). Output tokens are
 * the same under every strategy (same scripted replies), so they are left out.
 */
import type { EmulatorUsage } from '../../src/emulator/index';
import type { Family, Ttl } from './workloads';

export const MULTIPLIERS: Record<Family, { read: number; write: Record<Ttl, number> }> = {
  claude: { read: 0.1, write: { '5m': 1.25, '1h': 2 } },
  // Nova has no 1h TTL; a 1h write never happens there.
  nova: { read: 0.25, write: { '5m': 1, '1h': 1 } },
};

/** Token split of one request's input. */
export interface InputSplit {
  uncached: number;
  read: number;
  write: Record<Ttl, number>;
}

/** The split the emulator reported (writes by TTL from `cacheDetails`; anything unattributed counts as 5m). */
export function splitOf(usage: EmulatorUsage): InputSplit {
  const oneHour = usage.cacheDetails.find((detail) => detail.ttl === '1h')?.inputTokens ?? 0;
  return {
    uncached: usage.inputTokens,
    read: usage.cacheReadInputTokens,
    write: { '1h': oneHour, '5m': usage.cacheWriteInputTokens - oneHour },
  };
}

/** USD for one request's input. */
export function priceOf(split: InputSplit, family: Family, basePrice: number): number {
  const m = MULTIPLIERS[family];
  const units = split.uncached + split.read * m.read + split.write['5m'] * m.write['5m'] + split.write['1h'] * m.write['1h'];
  return (units * basePrice) / 1_000_000;
}

export const totalOf = (split: InputSplit) => split.uncached + split.read + split.write['5m'] + split.write['1h'];
