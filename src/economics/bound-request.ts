import type { CacheTtl } from '../model/model-table';

/**
 * One request of one model's sequence, as the clairvoyant bound sees it: an abstract prompt,
 * whatever produced it (the benchmark's wire bodies read by the emulator, or the ledger's
 * logged prefix path).
 */
export interface BoundRequest {
  /** When it arrived, in ms: lifetimes count from here (shared doc §1 Timing). */
  time: number;
  /** All its input tokens: read + written + uncached. */
  total: number;
  /**
   * Its prompt's boundaries in prompt order: `ids[i]` names the prefix that ends at boundary
   * `i` (equal ids, equal prefixes), `tokens[i]` is that prefix's cumulative input tokens.
   */
  ids: readonly string[];
  tokens: readonly number[];
  /** Whether a checkpoint at boundary `i` can take effect at all (default: at every boundary). */
  cacheable?: readonly boolean[];
}

/** What the bound needs to know about the model the sequence ran on. */
export interface BoundModel {
  /** Minimum cumulative tokens before a checkpoint caches anything (below it Bedrock silently caches nothing, shared doc §1). */
  minTokens: number;
  /** TTLs the model accepts; without `1h`, 1h writes become 5m ones. */
  ttls: readonly CacheTtl[];
  /** Content blocks Bedrock looks back from a checkpoint (only decides how many checkpoints a request needs). */
  lookbackBlocks: number;
}

/** Token split of one request's input. */
export interface InputSplit {
  uncached: number;
  read: number;
  write: Record<CacheTtl, number>;
}

export { TTL_MS } from '../model/model-table';

/** A request's boundaries as 1-based positions (position 0: the empty prefix), as the bounds index them. */
export interface Positions {
  units: number;
  sums: readonly number[];
  hashes: readonly string[];
  cacheable: readonly boolean[];
}

export function positionsOf(request: BoundRequest): Positions {
  return {
    units: request.ids.length,
    sums: [0, ...request.tokens],
    hashes: ['', ...request.ids],
    cacheable: [false, ...(request.cacheable ?? request.ids.map(() => true))],
  };
}
