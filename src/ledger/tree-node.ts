/**
 * The ledger's model of Bedrock's cache: per model, a prefix tree whose nodes are the places
 * in a prompt where a checkpoint can sit (end of tools, end of system, end of each message),
 * keyed by a keyed hash of the whole prefix up to there (so two prompts reach the same node
 * exactly when they share that prefix). Each node is stored on its own (contract C1), as
 * plain JSON with short field names (they are stored once per node, so bytes count).
 */
import { TTL_MS } from '../model/model-table';

/** A continuation-gap histogram: gaps up to 5 minutes, 5–60 minutes, over an hour. */
export type Gaps = [within5m: number, within1h: number, beyond1h: number];

/** One place in the tree. Every field is optional but `u`; none holds prompt text. */
export interface TreeNode {
  /** Updated at (ms, the middleware's clock): of two copies the newer wins. */
  u: number;
  /** Expiry (ms) of the cache entry Bedrock holds here, as far as the ledger knows. */
  x?: number;
  /** When that entry was last written or read (the request's start: lifetimes count from there, shared doc §1 Timing). */
  w?: number;
  /** The entry's TTL when 1h (else 5m). */
  t?: '1h';
  /** A checkpoint sat here and Bedrock cached nothing (below the model's minimum): when. */
  b?: number;
  /** Input tokens up to here: Bedrock's count where a checkpoint wrote or read, else the estimate scaled to Bedrock's total. */
  k?: number;
  /** `k` is an estimate (scaled characters), not a count Bedrock reported for this very prefix. */
  ke?: 1;
  /** The last time a call ended here (this was its last message). */
  e?: number;
  /** A call's last message started right after this node (the history before a last turn). */
  h?: 1;
  /** Children created below this node, and how many of them a later call came back to. */
  kn?: number;
  kr?: number;
  /** A later call came back to this node after the one that created it (its parent counted it in `kr`). */
  r?: 1;
  /**
   * Continuation gaps (a call coming back to a node where an earlier call ended): on a tip,
   * its conversation's own; on a prompt node (end of system, else tools, else the model's
   * root), every conversation's behind it, halved once they pass 64.
   */
  g?: Gaps;
  /** Prompt node: the share of their cached prefix calls write (the rest they read), a moving average. */
  ws?: number;
}

/** An anchor: the node ids of a prompt whose last message was this one, to find what an edit changed. */
export interface AnchorNode {
  u: number;
  /** Ids at the end of tools and of system ('' when absent), then at the end of each message from position `o` on (system messages not counted). */
  p: string[];
  o?: number;
}

const FIVE_MINUTES = TTL_MS['5m'];
export const ONE_HOUR = TTL_MS['1h'];
export { TTL_MS };

/** How long a path node stays in the store after its last update: past the longest TTL, to explain an expiry. */
export const NODE_TTL_MS = 2 * ONE_HOUR;
/** Prompt nodes and inside-block records hold what a whole app does: kept a day. */
export const PROMPT_NODE_TTL_MS = 24 * ONE_HOUR;
/** A node is rewritten (its store TTL renewed) when its copy is older than this, even if nothing else changed. */
export const REFRESH_AFTER_MS = ONE_HOUR;

/** The gap histogram bucket of a gap. */
export function gapBucket(gapMs: number): 0 | 1 | 2 {
  return gapMs <= FIVE_MINUTES ? 0 : gapMs <= ONE_HOUR ? 1 : 2;
}

/** A gap histogram plus one gap, halved once it holds more than 64 (older traffic fades). */
export function addGap(gaps: Gaps | undefined, gapMs: number): Gaps {
  const next: Gaps = gaps ? [...gaps] : [0, 0, 0];
  next[gapBucket(gapMs)]++;
  if (next[0] + next[1] + next[2] > 64) return [next[0] / 2, next[1] / 2, next[2] / 2];
  return next;
}

/** The node as a TreeNode when it looks like one (stores hand back whatever JSON they hold). */
export function asTreeNode(value: unknown): TreeNode | undefined {
  return typeof value === 'object' && value !== null && typeof (value as TreeNode).u === 'number' ? (value as TreeNode) : undefined;
}

/** Live at `at`: an entry whose expiry is later. */
export function isLive(node: TreeNode | undefined, at: number): boolean {
  return node?.x !== undefined && node.x > at;
}
