import { createHash } from 'node:crypto';
import { layoutTotalTokens, type PromptLayout } from './prompt-layout.js';
import type { CacheTtl, EmulatorModelSpec } from './types.js';

/** TTL lengths in ms. */
export const TTL_MS: Readonly<Record<CacheTtl, number>> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };

/** What the cache did for one request. */
export interface CacheOutcome {
  /** All input tokens of the prompt. */
  totalInputTokens: number;
  /** Tokens read from the cache. */
  cacheReadInputTokens: number;
  /** Tokens written to the cache. */
  cacheWriteInputTokens: number;
  /** Tokens neither read nor written (after the last effective checkpoint). */
  uncachedInputTokens: number;
  /** Written tokens by TTL. */
  writesByTtl: Record<CacheTtl, number>;
  /** Unit position of the prefix read (0 = no read). */
  readPosition: number;
  /** Unit positions where entries were written. */
  writtenPositions: number[];
  /** Time to first byte of the response (ms, emulator clock): when this request's writes become readable. */
  firstByteDelayMs: number;
}

/** A cached prefix of a prompt: its tokens and its length in prompt blocks (tools, system blocks, message blocks). */
export interface LivePrefix {
  tokens: number;
  blocks: number;
}

interface CacheEntry {
  expiresAt: number;
  ttlMs: number;
  /** When the entry becomes readable: its writer's first byte (shared doc §1 Timing). */
  readableAt: number;
}

/** When a request is looked up, and when its response begins. */
export interface CacheTiming {
  /** Arrival of the request (emulator clock): lookups and lifetimes count from here. */
  time: number;
  /** Time to first byte of this request's response, given what the cache did for it. */
  firstByteDelay?: (outcome: CacheOutcome) => number;
}

/** Hash of every cumulative prefix: `hashes[p]` identifies units [0, p) within `scope`. */
export function prefixHashes(scope: string, layout: PromptLayout): string[] {
  const hashes: string[] = [createHash('sha256').update(`scope|${scope}`).digest('hex')];
  for (const unit of layout.units) {
    const previous = hashes[hashes.length - 1] ?? '';
    hashes.push(createHash('sha256').update(previous).update('\u0000').update(unit.key).digest('hex'));
  }
  return hashes;
}

/** Cumulative token counts: `sums[p]` = tokens of units [0, p). */
export function prefixTokenSums(layout: PromptLayout): number[] {
  const sums = [0];
  for (const unit of layout.units) sums.push((sums[sums.length - 1] ?? 0) + unit.tokens);
  return sums;
}

/**
 * The emulated Bedrock prompt cache: an exact-prefix cache over tools → system → messages
 * (shared doc §1), one key space per `scope` (the emulator uses API + model id).
 *
 * Per request:
 *  1. A checkpoint is *effective* if its cumulative prefix reaches the model's minimum (else it
 *     is silently ignored, shared doc §1) and, where the model has one, doesn't exceed its
 *     cache maximum (Nova ~20K: the emulator's choice is that such a checkpoint caches nothing).
 *  2. Read: the longest live entry at an effective checkpoint's position or, for models with
 *     lookback (Claude: 20), at one of the `lookbackBlocks` unit boundaries before it.
 *     A hit refreshes the TTL of that entry and of every live entry on the prefix read
 *     ("the TTL restarts at every hit", shared doc §1).
 *  3. Write: each effective checkpoint after the read point creates an entry with its TTL; the
 *     tokens from the read point up to that checkpoint are written and attributed to the TTL
 *     of the checkpoint that ends the segment.
 *  4. Tokens after the last effective checkpoint are uncached input.
 *
 * Timing (shared doc §1, from Anthropic's prompt-caching docs): lookups and lifetimes count
 * from the *arrival* of the request that reads or writes an entry, and an entry becomes
 * readable only at its writer's first byte (arrival + time to first byte): a request that
 * arrives before that writes the prefix again. Two writers of one prefix keep the earliest
 * readable time and the latest expiry.
 *
 * Approximations: entries never get evicted before their TTL; a hit on a 5m entry by a 1h
 * checkpoint upgrades the entry to 1h.
 */
export class PromptCache {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(private readonly now: () => number) {}

  /** Drops every entry. */
  clear(): void {
    this.entries.clear();
  }

  /** Number of live entries (for tests / debugging). */
  get size(): number {
    const time = this.now();
    let live = 0;
    for (const entry of this.entries.values()) if (entry.expiresAt > time) live++;
    return live;
  }

  /**
   * The longest prefix of the prompt with an entry live at `time` (unexpired, and readable:
   * its writer's response has begun), whatever the prompt's checkpoints: what a request
   * arriving at `time` could read at best. `undefined` when none. Reads only (no refresh).
   */
  liveAt(scope: string, layout: PromptLayout, time: number = this.now()): LivePrefix | undefined {
    const hashes = prefixHashes(scope, layout);
    for (let position = layout.units.length; position > 0; position--) {
      const entry = this.entries.get(hashes[position] ?? '');
      if (entry && entry.expiresAt > time && entry.readableAt <= time) {
        return { tokens: prefixTokenSums(layout)[position] ?? 0, blocks: position };
      }
    }
    return undefined;
  }

  /** Looks the prompt up, writes new entries (readable from the response's first byte), and reports the token split. */
  process(scope: string, layout: PromptLayout, spec: EmulatorModelSpec, timing: CacheTiming = { time: this.now() }): CacheOutcome {
    const { time } = timing;
    const { outcome, writes } = this.lookUp(scope, layout, spec, time);
    outcome.firstByteDelayMs = Math.max(0, timing.firstByteDelay?.(outcome) ?? 0);
    const readableAt = time + outcome.firstByteDelayMs;
    for (const { hash, ttlMs } of writes) {
      const existing = this.entries.get(hash);
      const current = existing && existing.expiresAt > time ? existing : undefined;
      this.entries.set(hash, {
        expiresAt: Math.max(current?.expiresAt ?? 0, time + ttlMs),
        ttlMs: Math.max(current?.ttlMs ?? 0, ttlMs),
        readableAt: Math.min(current?.readableAt ?? Infinity, readableAt),
      });
    }
    return outcome;
  }

  /** Steps 1–4 at `time`: reads (refreshing what they hit) and the entries to write. */
  private lookUp(
    scope: string,
    layout: PromptLayout,
    spec: EmulatorModelSpec,
    time: number,
  ): { outcome: CacheOutcome; writes: Array<{ hash: string; ttlMs: number }> } {
    const writes: Array<{ hash: string; ttlMs: number }> = [];
    const sums = prefixTokenSums(layout);
    const total = layoutTotalTokens(layout);
    const outcome: CacheOutcome = {
      totalInputTokens: total,
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 0,
      uncachedInputTokens: total,
      writesByTtl: { '5m': 0, '1h': 0 },
      readPosition: 0,
      writtenPositions: [],
      firstByteDelayMs: 0,
    };
    if (!spec.caching) return { outcome, writes };

    const tokensAt = (position: number) => sums[position] ?? 0;
    const effective = layout.checkpoints.filter((checkpoint) => {
      const tokens = tokensAt(checkpoint.position);
      return tokens > 0 && tokens >= spec.minTokens && (spec.maxCachedTokens === undefined || tokens <= spec.maxCachedTokens);
    });
    if (effective.length === 0) return { outcome, writes };

    const hashes = prefixHashes(scope, layout);
    const live = (position: number): CacheEntry | undefined => {
      const hash = hashes[position];
      const entry = hash === undefined ? undefined : this.entries.get(hash);
      if (entry && entry.expiresAt <= time) {
        this.entries.delete(hash ?? '');
        return undefined;
      }
      return entry && entry.readableAt <= time ? entry : undefined;
    };

    // 2. read
    let readPosition = 0;
    for (const checkpoint of effective) {
      const lowest = Math.max(1, checkpoint.position - spec.lookbackBlocks);
      for (let position = checkpoint.position; position >= lowest && position > readPosition; position--) {
        if (live(position)) {
          readPosition = position;
          break;
        }
      }
    }
    if (readPosition > 0) {
      const readTtl = effective.find((c) => c.position >= readPosition)?.ttl ?? '5m';
      for (let position = 1; position <= readPosition; position++) {
        const entry = live(position);
        if (!entry) continue;
        if (position === readPosition) entry.ttlMs = Math.max(entry.ttlMs, TTL_MS[readTtl]);
        entry.expiresAt = time + entry.ttlMs;
      }
    }

    // 3. write (stored by `process`, once the first-byte time is known)
    let writtenUpTo = readPosition;
    for (const checkpoint of effective) {
      if (checkpoint.position <= writtenUpTo) continue;
      const hash = hashes[checkpoint.position];
      if (hash === undefined) continue;
      writes.push({ hash, ttlMs: TTL_MS[checkpoint.ttl] });
      outcome.writesByTtl[checkpoint.ttl] += tokensAt(checkpoint.position) - tokensAt(writtenUpTo);
      outcome.writtenPositions.push(checkpoint.position);
      writtenUpTo = checkpoint.position;
    }

    outcome.readPosition = readPosition;
    outcome.cacheReadInputTokens = tokensAt(readPosition);
    outcome.cacheWriteInputTokens = tokensAt(writtenUpTo) - tokensAt(readPosition);
    outcome.uncachedInputTokens = total - tokensAt(writtenUpTo);
    return { outcome, writes };
  }
}
