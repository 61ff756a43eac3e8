/**
 * The clairvoyant bound: the bill of a placement that knows the whole request sequence in
 * advance and writes only what some later request reads before it expires. The benchmarks
 * (bench/cache) price their workloads against it and the `report` command prices a logged
 * day against it (its what-if): one implementation, over an abstract prompt (bound-request.ts).
 *
 * Precisely, over one model's request sequence, in order:
 * 1. A checkpoint may stand at any boundary where one can take effect (`cacheable`: for the
 *    benchmark, Nova's and the provider's hard rules) **and** whose prefix reaches the
 *    model's minimum tokens: below it Bedrock silently caches nothing (shared doc §1), so no
 *    placement can read there and a bound that did would be out of reach.
 * 2. Each request reads the longest prefix that is live at its start. An entry lives for the
 *    TTL from the start of the request that wrote it or last read it (a read refreshes every
 *    live entry on the prefix it reads, as the emulator and Bedrock do; shared doc §1).
 * 3. Hindsight: simulate with every request writing every allowed boundary after its read,
 *    and note which entry each read used and who wrote it. Then each request writes only up
 *    to the furthest entry of its own that a later request reads (itself read, not just
 *    refreshed); the rest of its prompt is billed uncached. Dropping an entry nobody reads
 *    changes no read (a read needs only the entry it reads, and that one is kept), so the
 *    reads are those of the simulation and the cost never exceeds the lower bound's. With 5m
 *    writes it never exceeds no caching's either: every written token is read at least once
 *    by a request that would otherwise pay for it (Claude 1.25 + 0.1 < 2 uncached; Nova writes
 *    cost the input price).
 * 4. There is **no limit of four checkpoints**: a bound must not be beaten by a placement
 *    that obeys Bedrock's rules, and the limit is one such rule that can bind (a request
 *    may need to leave entries at the system prompt's end for other conversations and at
 *    its own end for its next turn, and read at a third place). `checkpoints` reports how
 *    many each request would need (its kept write ends, plus its read when no kept write
 *    lies within the model's lookback after it), so a table can show whether four were
 *    ever short.
 *
 * Writes use the given TTL (5m on a model without it). The rule is not optimal in one
 * corner: a 1h write read exactly once costs 2 + 0.1 against 2 uncached (Claude), so with
 * `ttl: '1h'` the bound can sit above the true optimum by up to 0.1× the input price of such
 * tokens (5% of what they cost uncached).
 */
import type { CacheTtl } from '../model/model-table';
import { positionsOf, TTL_MS, type BoundModel, type BoundRequest, type InputSplit } from './bound-request';
import { simulateHindsight } from './cache-view';

export interface ClairvoyantRequest {
  split: InputSplit;
  /** Checkpoints this request needs to read and leave what later requests read. */
  checkpoints: number;
}

interface Entry {
  expiresAt: number;
  owner: number;
  position: number;
}

/** The clairvoyant token split of every request of a sequence (one model). */
export function clairvoyantBound(requests: readonly BoundRequest[], model: BoundModel, ttl: CacheTtl): ClairvoyantRequest[] {
  const prompts = requests.map(positionsOf);
  const effectiveTtl: CacheTtl = model.ttls.includes(ttl) ? ttl : '5m';
  const ttlMs = TTL_MS[effectiveTtl];
  const simulated = simulateHindsight<Entry>(
    prompts,
    requests.map(({ time }) => time),
    model,
    (entry, time) => {
      entry.expiresAt = time + ttlMs;
    },
    (owner, position, time) => ({ expiresAt: time + ttlMs, owner, position }),
  );

  return requests.map(({ total }, i) => {
    const { sums } = prompts[i]!;
    const { read, kept, writtenUpTo } = simulated[i]!;
    const written = sums[writtenUpTo]! - sums[read]!;
    const readCovered = read === 0 || [...kept].some((end) => end >= read && end - read <= model.lookbackBlocks);
    return {
      split: {
        uncached: total - sums[writtenUpTo]!,
        read: sums[read]!,
        write: { '5m': effectiveTtl === '5m' ? written : 0, '1h': effectiveTtl === '1h' ? written : 0 },
      },
      checkpoints: kept.size + (readCovered ? 0 : 1),
    };
  });
}
