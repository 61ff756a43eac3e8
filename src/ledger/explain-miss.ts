import { sharedBlocks, type PromptFingerprint } from './prompt-fingerprint';
import type { LedgerRecord } from './ledger-store';

/** Why a call read less from the cache than an earlier call could have left there. No prompt text. */
export type CacheMissReason =
  | 'first-call'
  | 'ttl-expired'
  | 'prefix-changed'
  | 'below-minimum'
  | 'lookback-exceeded'
  | 'not-written'
  | 'unexplained';

export interface CacheMiss {
  reason: CacheMissReason;
  /** One line for people: what happened, where, and what to do. */
  message: string;
  /** ttl-expired: time since the entry was last written or read, and its TTL. */
  gapMs?: number;
  ttl?: '5m' | '1h';
  /** prefix-changed: where this prompt first differs from the most similar earlier one. */
  section?: 'tools' | 'system' | 'messages';
  /** prefix-changed: the tool index, or the message index (system messages not counted), that changed. */
  index?: number;
  /** lookback-exceeded: blocks between the cached entry and the nearest checkpoint after it. */
  distance?: number;
  /** Tokens the ledger expected to be read, when it knows them. */
  expectedReadTokens?: number;
}

/** A call being explained. */
export interface ExplainedCall {
  at: number;
  fingerprint: PromptFingerprint;
  /** Where this call's checkpoints were on the wire (block positions) */
  checkpoints: ReadonlyArray<{ block: number }>;
  read: number;
  /** The model's lookback in blocks (0: exact hits only) and minimum. */
  lookbackBlocks: number;
}

const TTL_MS = { '5m': 5 * 60_000, '1h': 60 * 60_000 } as const;

/** A moment an entry was written or read: it lives until `at + ttl`. */
interface Touch {
  block: number;
  hash: number;
  at: number;
  ttl: '5m' | '1h';
  /** Bedrock cached something for the call that touched it (not below the minimum). */
  cached: boolean;
  /** Tokens up to this block, when known exactly (the call's last checkpoint). */
  tokens?: number;
}

function touchesOf(records: readonly LedgerRecord[]): Touch[] {
  const touches: Touch[] = [];
  for (const record of records) {
    if (record.read === undefined) continue; // its response never arrived
    const cached = record.read + (record.written ?? 0) > 0;
    const last = record.checkpoints.at(-1);
    for (const checkpoint of record.checkpoints) {
      const hash = record.hashes[checkpoint.block - 1];
      if (hash === undefined) continue;
      touches.push({
        block: checkpoint.block,
        hash,
        at: record.at,
        ttl: checkpoint.ttl,
        cached,
        ...(checkpoint === last && cached && { tokens: record.read + (record.written ?? 0) }),
      });
    }
    if (record.readAt !== undefined && record.hashes[record.readAt - 1] !== undefined) {
      // reading an entry refreshes its TTL (§1): 5m unless a 1h checkpoint wrote it, which a later touch tells
      touches.push({ block: record.readAt, hash: record.hashes[record.readAt - 1]!, at: record.at, ttl: '5m', cached: true });
    }
  }
  return touches;
}

function describeChange(fingerprint: PromptFingerprint, block: number): Pick<CacheMiss, 'section' | 'index' | 'message'> {
  if (block < fingerprint.toolsEnd) {
    return { section: 'tools', index: block, message: `the tool definitions changed at tool ${block} (set, order, description or schema; a structured-output schema is a tool on Bedrock)` };
  }
  if (block < fingerprint.systemEnd) {
    return { section: 'system', message: 'the system prompt changed: nothing after it can be read; keep per-request values (times, ids) in the last message' };
  }
  // counted among the conversation's messages, system messages left out (as in `messages` with `system`)
  let index = -1;
  for (const start of fingerprint.messageStarts) {
    if (start < 0) continue;
    if (start > block) break;
    index++;
  }
  return { section: 'messages', index, message: `message ${index} differs from the earlier call's (an earlier message was edited or removed)` };
}

/** Where the entry at `block` is read from: the nearest checkpoint at or after it within the lookback. */
function reach(call: ExplainedCall, block: number): number | undefined {
  let nearest: number | undefined;
  for (const { block: at } of call.checkpoints) if (at >= block && (nearest === undefined || at < nearest)) nearest = at;
  return nearest === undefined ? undefined : nearest - block;
}

/**
 * The end (in blocks) of the longest prefix of `fingerprint` that the ledger knows to be live
 * in Bedrock's cache at `at`: written or read by an earlier call that got cached tokens, within
 * its TTL (lifetimes count from that call's start, §1 Timing). 0 when none.
 */
export function liveBlocks(fingerprint: PromptFingerprint, records: readonly LedgerRecord[], at: number): number {
  let best = 0;
  for (const t of touchesOf(records.filter((record) => record.read !== undefined))) {
    if (t.cached && t.block > best && t.block <= fingerprint.hashes.length && fingerprint.hashes[t.block - 1] === t.hash && t.at + TTL_MS[t.ttl] > at) best = t.block;
  }
  return best;
}

/**
 * Why a call read less than the ledger says it could have (`miss`, undefined when it read
 * what it could, or more: implicit caching and other instances can add reads, §1 2026-12),
 * and which cached entry it read (`readAt`, a block position).
 */
export function explainMiss(call: ExplainedCall, records: readonly LedgerRecord[]): { miss?: CacheMiss; readAt?: number } {
  const miss = findMiss(call, records);
  return { ...(miss.miss && { miss: miss.miss }), ...(call.read > 0 && miss.readAt !== undefined && { readAt: miss.readAt }) };
}

function findMiss(call: ExplainedCall, records: readonly LedgerRecord[]): { miss?: CacheMiss; readAt?: number } {
  const found = (miss: CacheMiss | undefined, readAt?: number) => ({ ...(miss && { miss }), ...(readAt !== undefined && { readAt }) });
  const { fingerprint: fp } = call;
  const settled = records.filter((record) => record.read !== undefined);
  if (settled.length === 0) {
    return found(call.read > 0 ? undefined : { reason: 'first-call', message: 'no earlier call with this prompt start: this one writes what the next can read' });
  }
  const matching = touchesOf(settled).filter((t) => t.block <= fp.hashes.length && fp.hashes[t.block - 1] === t.hash);
  const live = matching.filter((t) => t.cached && t.at + TTL_MS[t.ttl] > call.at);
  const longest = (touches: Touch[]) => touches.reduce<Touch | undefined>((best, t) => (!best || t.block > best.block || (t.block === best.block && t.at > best.at) ? t : best), undefined);
  const bestLive = longest(live);
  const bestCached = longest(matching.filter((t) => t.cached));

  // The most similar earlier call, for what changed.
  let similar: LedgerRecord | undefined;
  let shared = 0;
  for (const record of settled) {
    const n = sharedBlocks(fp.hashes, record.hashes);
    if (n >= shared) {
      shared = n;
      similar = record;
    }
  }
  const lostBeyond = similar !== undefined && (similar.checkpoints.at(-1)?.block ?? 0) > shared && shared < fp.hashes.length;

  if (bestCached && (!bestLive || bestCached.block > bestLive.block)) {
    // the freshest touch of that entry tells how long it had been idle
    const freshest = matching.filter((t) => t.block === bestCached.block && t.cached).reduce((a, b) => (b.at > a.at ? b : a));
    if (freshest.at + TTL_MS[freshest.ttl] <= call.at) {
      const gapMs = call.at - freshest.at;
      return found({
        reason: 'ttl-expired',
        gapMs,
        ttl: freshest.ttl,
        message: `the cached prefix expired: ${Math.round(gapMs / 1000)} s since it was last written or read, TTL ${freshest.ttl}${freshest.ttl === '5m' ? " (ttl: '1h' keeps it for pauses up to an hour)" : ''}`,
      }, bestLive?.block);
    }
  }
  if (bestLive) {
    const distance = reach(call, bestLive.block);
    const limit = call.lookbackBlocks;
    if (distance === undefined || distance > limit) {
      return found({
        reason: 'lookback-exceeded',
        ...(distance !== undefined && { distance }),
        message: `a cached prefix ends ${distance === undefined ? 'after every checkpoint' : `${distance} blocks before the nearest checkpoint`}, beyond Bedrock's lookback of ${limit}: no checkpoint marked it`,
      });
    }
    const expected = bestLive.tokens;
    if (call.read === 0 || (expected !== undefined && call.read < expected * 0.9)) {
      return found({
        reason: 'unexplained',
        ...(expected !== undefined && { expectedReadTokens: expected }),
        message: `Bedrock read ${call.read} tokens where the ledger expected ${expected ?? 'some'}: evicted, routed to another region, or written by a call that had not started answering`,
      }, bestLive.block);
    }
    return found(lostBeyond ? { reason: 'prefix-changed', ...describeChange(fp, shared) } : undefined, bestLive.block);
  }
  if (call.read > 0) return found(undefined);
  const uncached = matching.filter((t) => !t.cached);
  if (uncached.length > 0) {
    return found({ reason: 'below-minimum', message: "an earlier call marked this prefix, but Bedrock cached nothing there: it is below the model's minimum cacheable tokens" });
  }
  if (lostBeyond) return found({ reason: 'prefix-changed', ...describeChange(fp, shared) });
  return found({ reason: 'not-written', message: `an earlier call sent the first ${shared} blocks of this prompt but placed no checkpoint within them` });
}
