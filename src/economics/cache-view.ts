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
function cacheView<E extends Expiring>(prompt: Positions, model: BoundModel, entries: ReadonlyMap<string, E>, time: number) {
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

/** A simulated entry both bounds keep: who wrote it and where it ends in the writer's prompt. */
interface Owned extends Expiring {
  /** Request that wrote it (while it wasn't live). */
  owner: number;
  /** Its end, in the owner's boundaries. */
  position: number;
}

/** One request after the simulation: its read, and the ends of its writes that a later request reads. */
export interface HindsightRequest {
  read: number;
  kept: ReadonlySet<number>;
  /** `read` or the furthest kept end, whichever is further: everything past it is uncached. */
  writtenUpTo: number;
}

/**
 * The simulation both clairvoyant bounds run (clairvoyant-bound.ts rules 2 and 3): in order,
 * each request reads the longest live prefix, notes the entry it used as kept by its writer,
 * `touch`es every live entry along the prefix it read (the bound's refresh), then writes every
 * allowed boundary after its read with `create`.
 */
export function simulateHindsight<E extends Owned>(
  prompts: readonly Positions[],
  times: readonly number[],
  model: BoundModel,
  touch: (entry: E, time: number) => void,
  create: (owner: number, position: number, time: number) => E,
): HindsightRequest[] {
  const entries = new Map<string, E>();
  const reads: number[] = [];
  const kept = prompts.map(() => new Set<number>());
  prompts.forEach((prompt, i) => {
    const time = times[i]!;
    const { allowed, live, read } = cacheView(prompt, model, entries, time);
    if (read > 0) {
      const used = live(read)!;
      kept[used.owner]!.add(used.position);
      for (let p = 1; p <= read; p++) {
        const entry = live(p);
        if (entry) touch(entry, time);
      }
    }
    for (let p = read + 1; p <= prompt.units; p++) if (allowed(p)) entries.set(prompt.hashes[p]!, create(i, p, time));
    reads.push(read);
  });
  return reads.map((read, i) => ({ read, kept: kept[i]!, writtenUpTo: Math.max(read, ...kept[i]!) }));
}
