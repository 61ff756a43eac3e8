/**
 * The lower bound: the bill of a cache that writes everything, over the same request sequence.
 *
 * Each request reads the longest prefix (at a content-block boundary) that an earlier
 * request had within its TTL, and writes the whole rest of its prompt at the configured
 * TTL; only what no checkpoint can cover is uncached. There is no limit of four checkpoints
 * and no minimum token count: every block boundary where a checkpoint can take effect at all
 * (wire-prompt.ts `cacheable`) is a checkpoint. Entries live for the TTL after the request
 * that last wrote or read them (a hit restarts the TTL, as on Bedrock).
 *
 * It writes what no later request reads, so where little is reused it costs more than no
 * caching; clairvoyant.ts is the bound that doesn't.
 */
import { TTL_MS } from '../../src/economics/bound-request';
import type { InputSplit } from './pricing';
import { readWirePrompt, type WireRequest } from './wire-prompt';
import type { Api, Ttl } from './workloads';

/** The lower-bound token split of every request of a sequence (one model, one API). */
export function lowerBound(requests: readonly WireRequest[], modelId: string, api: Api, ttl: Ttl): InputSplit[] {
  const expiry = new Map<string, number>();
  return requests.map(({ body, time, total }) => {
    const { sums, hashes, cacheable, units: n } = readWirePrompt(body, modelId, api);
    let read = 0;
    for (let p = n; p > 0; p--) {
      if (cacheable[p] && (expiry.get(hashes[p]!) ?? 0) > time) {
        read = p;
        break;
      }
    }
    let lastCacheable = 0;
    for (let p = n; p > 0; p--) {
      if (cacheable[p]) {
        lastCacheable = p;
        break;
      }
    }
    for (let p = 1; p <= n; p++) if (cacheable[p]) expiry.set(hashes[p]!, time + TTL_MS[ttl]);

    const cachedUpTo = Math.max(read, lastCacheable);
    const written = sums[cachedUpTo]! - sums[read]!;
    return {
      uncached: total - sums[cachedUpTo]!,
      read: sums[read]!,
      write: { '5m': ttl === '5m' ? written : 0, '1h': ttl === '1h' ? written : 0 },
    };
  });
}
