import type { BoundModel, Positions } from './bound-request';

/** What a simulated cache entry needs for `cacheView`: when it stops being readable. */
interface Expiring {
  expiresAt: number;
}

/**
 * One request's view of a simulated cache at its start, the rules both clairvoyant bounds
 * share (clairvoyant-bound.ts rules 1 and 2): `allowed(p)`, a checkpoint after the first `p`
 * blocks can take effect and its prefix reaches the model's minimum; `live(p)`, the entry
 * for that prefix if it hasn't expired at `time` (read from `entries` when called, so it
 * sees refreshes); `read`, the longest allowed live prefix (0: none).
 */
export function cacheView<E extends Expiring>(prompt: Positions, model: BoundModel, entries: ReadonlyMap<string, E>, time: number) {
  const { sums, hashes, cacheable, units } = prompt;
  const allowed = (p: number) => cacheable[p]! && sums[p]! > 0 && sums[p]! >= model.minTokens;
  const live = (p: number) => {
    const entry = entries.get(hashes[p]!);
    return entry && entry.expiresAt > time ? entry : undefined;
  };
  let read = 0;
  for (let p = units; p > 0; p--) {
    if (allowed(p) && live(p)) {
      read = p;
      break;
    }
  }
  return { allowed, live, read };
}
