import type { PathPoint } from './prompt-path';
import { isLive, type TreeNode } from './tree-node';

/**
 * Why a call read less from the cache than it could have. No prompt text. `first-call` and
 * `below-minimum` are no longer reported as misses (a call with nothing before it missed
 * nothing; below the model's minimum no placement could have let it read): a prompt below the
 * minimum gets a warning instead. Both stay in the type for code that matches on them.
 */
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
  /** prefix-changed: the section of the caller's earlier prompt that changed; not-written: where the unwritten prefix ends. */
  section?: 'tools' | 'system' | 'messages';
  /** The message index (system messages not counted) that changed, or where the unwritten prefix ends. */
  index?: number;
  /** lookback-exceeded: blocks between the cached entry and the nearest checkpoint after it. */
  distance?: number;
  /** unexplained: tokens the ledger expected to be read. */
  expectedReadTokens?: number;
}

/** A settled call, as the explanation needs it (plain data). */
export interface ExplainInput {
  /** The request's start (ms). */
  at: number;
  path: readonly PathPoint[];
  /** The tree's nodes along the path when the call began (undefined: never sent). */
  nodes: readonly (TreeNode | undefined)[];
  /** Input tokens up to each path point (Bedrock's count where known, else scaled estimates). */
  tokens: readonly number[];
  /** Block positions of the checkpoints on the wire, ascending. */
  checkpointBlocks: readonly number[];
  read: number;
  written: number;
  /** The model's lookback (blocks; 0: exact hits only) and minimum cacheable tokens (shorter shared prefixes are no miss). */
  lookbackBlocks: number;
  minTokens: number;
  /** The caller's own earlier prompt (found by its last message) and where this one differs from it. */
  edit?: { section: 'tools' | 'system' | 'messages'; index?: number };
}

/** A read within this share of the expected tokens counts as reading it (estimates and hidden tokens wobble). */
const READ_TOLERANCE = 0.9;
const ESTIMATE_TOLERANCE = 0.5;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function where(point: PathPoint): Pick<CacheMiss, 'section' | 'index'> & { text: string } {
  if (point.section === 'messages') return { section: 'messages', index: point.position!, text: `message ${point.position}` };
  if (point.section === 'system') return { section: 'system', text: 'the system prompt' };
  return { section: 'tools', text: 'the tool definitions' };
}

/**
 * The call's miss, if it had one, and the path index of the entry it read. A miss is either
 * a read short of the longest live shared prefix the tree knows (`unexplained`, or
 * `lookback-exceeded` when no checkpoint reached it), or a longer shared prefix an earlier call
 * sent that isn't live (`ttl-expired`, `not-written`, or `prefix-changed` when this call edits
 * the caller's own earlier prompt there). Only prefixes that reach the model's minimum count. A
 * call that read all that any placement could have let it read has none (the miss corpus's
 * truth, test/support/miss-corpus/truth.ts).
 */
export function explainMiss(input: ExplainInput): { miss?: CacheMiss; readAt?: number } {
  const { at, path, nodes, tokens, read, lookbackBlocks, minTokens } = input;
  let live = -1;
  for (let i = path.length - 1; i > 0; i--) {
    if (path[i]!.cacheable && isLive(nodes[i], at)) {
      live = i;
      break;
    }
  }
  let readAt: number | undefined;
  if (live > 0) {
    const block = path[live]!.block;
    const nearest = input.checkpointBlocks.find((b) => b >= block);
    const distance = nearest === undefined ? undefined : nearest - block;
    if (distance === undefined || distance > lookbackBlocks) {
      return {
        miss: {
          reason: 'lookback-exceeded',
          ...(distance !== undefined && { distance }),
          message: `a cached prefix (${where(path[live]!).text}) ends ${distance === undefined ? 'after every checkpoint' : `${distance} blocks before the nearest checkpoint`}, beyond Bedrock's lookback of ${lookbackBlocks}: no checkpoint reached it`,
        },
      };
    }
    const expected = Math.round(nodes[live]!.k ?? tokens[live]!);
    // an estimate (characters scaled to a call's total, hidden tool tokens spread over them) gets more room
    const tolerance = nodes[live]!.k !== undefined && !nodes[live]!.ke ? READ_TOLERANCE : ESTIMATE_TOLERANCE;
    if (read === 0 || read < expected * tolerance) {
      return {
        miss: {
          reason: 'unexplained',
          expectedReadTokens: expected,
          message: `Bedrock read ${fmt(read)} tokens where the ledger expected ${fmt(expected)}: evicted, routed to another region, or written by a call that had not started answering`,
        },
      };
    }
    readAt = live;
    // it read more than the ledger knew of (another instance, implicit caching): nothing to explain
    if (read > expected / READ_TOLERANCE) return { readAt };
  } else if (read > 0) {
    return {}; // a read the ledger can't place (another instance, implicit caching §1 2026-12)
  }
  const found = (miss: CacheMiss) => ({ miss, ...(readAt !== undefined && { readAt }) });
  // the deepest prefix an earlier call sent that this call shares, beyond what is live; below the
  // model's minimum Bedrock caches nothing, so no placement could have let this call read there
  const tokensAt = (j: number) => Math.round(nodes[j]?.k ?? tokens[j]!);
  let deeper = path.length - 1;
  while (deeper > Math.max(live, 0) && (!nodes[deeper] || !path[deeper]!.cacheable || tokensAt(deeper) < minTokens)) deeper--;
  if (deeper <= Math.max(live, 0)) return readAt === undefined ? {} : { readAt };
  if (input.edit) {
    const { section, index } = input.edit;
    const what =
      section === 'tools'
        ? 'the tool definitions changed (added, removed, reordered or edited; a structured-output schema is a tool on Bedrock)'
        : section === 'system'
          ? 'the system prompt changed since this conversation\'s previous call: nothing after it can be read; keep per-request values (times, ids) in the last message'
          : `message ${index} differs from this conversation's previous call (an earlier message was edited or removed)`;
    return found({ reason: 'prefix-changed', section, ...(index !== undefined && { index }), message: what });
  }
  for (let j = deeper; j > Math.max(live, 0); j--) {
    const node = nodes[j];
    if (!node || !path[j]!.cacheable || tokensAt(j) < minTokens) continue;
    if (node.x !== undefined) {
      const gapMs = at - (node.w ?? at);
      const ttl = node.t ?? '5m';
      return found({
        reason: 'ttl-expired',
        gapMs,
        ttl,
        message: `the cached prefix (${where(path[j]!).text}) expired: ${fmt(gapMs / 1000)} s since it was last written or read, TTL ${ttl}${ttl === '5m' ? " (ttl: '1h' keeps it for pauses up to an hour)" : ''}`,
      });
    }
  }
  const place = where(path[deeper]!);
  const marked = nodes[deeper]!.b !== undefined;
  return found({
    reason: 'not-written',
    section: place.section,
    ...(place.index !== undefined && { index: place.index }),
    message: `an earlier call sent this prompt up to the end of ${place.text} (about ${fmt(tokensAt(deeper))} tokens) but ${marked ? 'Bedrock cached nothing at its checkpoint there' : 'no checkpoint was written there'}`,
  });
}
