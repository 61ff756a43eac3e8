/**
 * The clairvoyant bound when 1h is allowed (issue 14), as clairvoyant-bound.ts but with the
 * TTL chosen per entry in hindsight:
 * 1. Simulate with 1h lifetimes (on models with 1h; else it is the 5m bound): each request
 *    reads the longest live prefix at its start and (tentatively) writes every allowed
 *    boundary after it; reads refresh the entries along the prefix they read.
 * 2. An entry any touch of which (a read or a refresh) came more than 5 minutes after the
 *    one before needs 1h; the others would have lived at 5m.
 * 3. Each request writes only up to the furthest entry of its own that a later request reads;
 *    the tokens up to its furthest such entry that needs 1h are billed at 1h (Bedrock bills
 *    every token before a 1h checkpoint at 1h), the rest of the write at 5m.
 * Callers take the cheaper of this and the 5m-only bound. Not proven optimal (marking every
 * late-touched entry 1h is conservative, and rule 3 writes what is read once even where not
 * caching would be cheaper): an upper estimate of the best bill with 1h.
 */
import { positionsOf, TTL_MS, type BoundModel, type BoundRequest, type InputSplit } from './bound-request';
import { simulateHindsight } from './cache-view';

interface Entry {
  expiresAt: number;
  lastTouch: number;
  owner: number;
  position: number;
  needsHour: boolean;
}

/** Token splits of every request under the 1h-allowed clairvoyant rule (one model). */
export function clairvoyantBoundWithHour(requests: readonly BoundRequest[], model: BoundModel): InputSplit[] {
  const prompts = requests.map(positionsOf);
  const ttlMs = TTL_MS[model.ttls.includes('1h') ? '1h' : '5m'];
  const owned: Entry[][] = prompts.map(() => []);
  const simulated = simulateHindsight<Entry>(
    prompts,
    requests.map(({ time }) => time),
    model,
    (entry, time) => {
      if (time - entry.lastTouch > TTL_MS['5m']) entry.needsHour = true;
      entry.lastTouch = time;
      entry.expiresAt = time + ttlMs;
    },
    (owner, position, time) => {
      const entry = { expiresAt: time + ttlMs, lastTouch: time, owner, position, needsHour: false };
      owned[owner]!.push(entry);
      return entry;
    },
  );

  return requests.map(({ total }, i) => {
    const { sums } = prompts[i]!;
    const { read, kept, writtenUpTo } = simulated[i]!;
    const hourUpTo = Math.max(read, ...owned[i]!.filter((e) => e.needsHour && kept.has(e.position)).map((e) => e.position));
    const oneHour = sums[hourUpTo]! - sums[read]!;
    return {
      uncached: total - sums[writtenUpTo]!,
      read: sums[read]!,
      write: { '1h': oneHour, '5m': sums[writtenUpTo]! - sums[read]! - oneHour },
    };
  });
}
