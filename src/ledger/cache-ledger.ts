import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import type { ModelPrices } from '../pricing';
import { blockChangeWarning, blockKeys, blockTexts, compareBlock, BLOCK_CHANGE_PATTERN, type BlockChange } from './block-change';
import { explainMiss, type CacheMiss } from './explain-miss';
import type { Keyer } from './keyed-hash';
import { isMemoryLedgerStore, memoryLedgerStore, storeKeyer, type LedgerNode, type LedgerStore } from './ledger-store';
import { fingerprintPrompt, type PromptFingerprint } from './prompt-fingerprint';
import { anchorKey, promptPath, type PathPoint } from './prompt-path';
import {
  addGap,
  asTreeNode,
  gapBucket,
  isLive,
  NODE_TTL_MS,
  PROMPT_NODE_TTL_MS,
  REFRESH_AFTER_MS,
  TTL_MS,
  type AnchorNode,
  type Gaps,
  type TreeNode,
} from './tree-node';

/** Where a checkpoint sat in the prompt, as the planner names places. */
export type WirePoint =
  | { section: 'tools'; tool: number; ttl: '5m' | '1h' }
  | { section: 'system'; ttl: '5m' | '1h' }
  | { section: 'messages'; message: number; part?: number; ttl: '5m' | '1h' };

/**
 * How a prompt's conversations came back, for `ttl: 'auto'` (see auto-ttl.ts): continuation
 * gaps (a call coming back to where an earlier one ended) of this conversation, this call's own
 * gap included, plus those of the other conversations behind the same prompt (the prior, worth
 * at most 8 gaps); and what share of its cached prefix a call typically writes.
 */
export interface ReuseHistory {
  within5m: number;
  /** More than 5 and at most 60 minutes: only a 1h entry is still there. */
  within1h: number;
  beyond1h: number;
  /** Moving average of written ÷ (read + written) over calls that read something; 1 when none did. */
  writeShare: number;
}

/** What the ledger advises the planner, from the tree. */
export interface LedgerHints {
  /**
   * Write nothing from here on: the prompt leaves the tree at a node whose earlier children
   * traffic seldom came back to (one-shot calls, fan-out documents), too seldom to repay a
   * write (see `shouldWrite`). A section, or the prompt index of the first message not to mark.
   */
  noWriteFrom?: 'tools' | 'system' | { message: number };
  /** Why not, in one line (for the debug decisions). */
  noWriteWhy?: string;
  /** The conversation's last call dropped its predecessor's last message from the history. */
  lastTurnDropped?: boolean;
  /** A one-line warning, given once per pattern per middleware instance. */
  warning?: string;
  reuse: ReuseHistory;
}

/** A call the ledger is following, from its planning to its usage. */
export interface LedgerCall {
  modelId: string;
  /** The request's start (ms): set again after a coalescing wait. */
  at: number;
  params: LanguageModelV3CallOptions;
  fingerprint: PromptFingerprint;
  path: PathPoint[];
  /** The tree along the path when the call began (undefined: never sent). */
  nodes: (TreeNode | undefined)[];
  /** Anchors: the node ids of earlier prompts ending in this call's last message, or in its previous request's. */
  anchors: { own?: AnchorNode; ownKey?: string; previous?: AnchorNode; previousIndex?: number };
  /** The system prompt's and long tool descriptions' records (see block-change.ts): what changed inside them, what to store. */
  blocks: Array<{ section: 'system' | 'tools'; keys: string[]; change?: BlockChange; record: unknown; write: boolean; from?: string }>;
  /** The caller's own earlier prompt this call edits (see editOf). */
  edit?: { section: 'tools' | 'system' | 'messages'; index?: number };
  /** The deepest earlier call's end on the path (a continuation) and the gap since. */
  continued?: { index: number; gapMs: number };
  hints?: LedgerHints;
  /** The parent → child pairs this call counts as in flight (see `pending`): parent, child, parent, child … */
  pending?: string[];
}

/** What the report gets from a settled call (contract C4). */
export interface SettledCall {
  miss?: CacheMiss;
  prefix: { nodes: string[]; tokens: number[] };
}

/** Nodes this instance wrote lately, for a shared store: newer than a snapshot read before a concurrent call settled. */
const OVERLAY_NODES = 4096;
/** Characters per token when Bedrock's count is unknown (scaling the weights). */
const CHARS_PER_TOKEN = 3.5;
/** A call begun this long ago and not settled no longer counts as a child in flight. */
const PENDING_MS = 10 * 60_000;
/** The prior from sibling conversations counts as at most this many gaps. */
const PRIOR_WEIGHT = 8;

const newest = (a: TreeNode | undefined, b: TreeNode | undefined) => (!a ? b : !b ? a : b.u > a.u ? b : a);

/**
 * Write a checkpoint below a node whose children traffic came back to `kr` times in `kn`? A
 * write costs `w5 − in` more per token than sending the tokens uncached, and saves `w5 − r` per
 * token when a later call comes back (it reads them instead of writing them again). With the
 * chance of coming back estimated as q = (kr + 1) / (kn + 2) (Laplace's rule), times the chance
 * that it comes back within the TTL (see backWithin), the write pays when
 * q × (w − r) > w − in, w the TTL's write price. Claude 5m (1.25, 0.1, 1): q > 0.217, so after
 * three children none came back to (q = 1/5), the fourth isn't written; 1h (2, 0.1, 1):
 * q > 0.526. Nova (no write surcharge): always. Before any evidence (no child, no gap seen), a
 * write is made, as any placement would.
 */
function writePays(q: number, prices: ModelPrices | undefined, ttl: '5m' | '1h' = '5m'): { write: boolean; threshold: number } {
  const input = prices?.input ?? 1;
  const write = ttl === '1h' ? (prices?.cacheWrite1h ?? 2 * input) : (prices?.cacheWrite5m ?? 1.25 * input);
  const read = prices?.cacheRead ?? 0.1 * input;
  const threshold = Math.max(0, write - input) / Math.max(write - read, Number.EPSILON);
  return { write: q > threshold, threshold };
}

/**
 * The chance that a later call comes back within `ttl` (5m: gaps up to 5 minutes; 1h: up to an
 * hour), from the continuation gaps seen (Laplace's rule); 1 before any gap is seen.
 */
function backWithin(reuse: ReuseHistory, ttl: '5m' | '1h'): number {
  const total = reuse.within5m + reuse.within1h + reuse.beyond1h;
  if (total === 0) return 1;
  return ((ttl === '5m' ? reuse.within5m : reuse.within5m + reuse.within1h) + 1) / (total + 2);
}

/**
 * The middleware's model of Bedrock's cache: a prefix tree per model (see tree-node.ts),
 * stored through a `LedgerStore` (one `getNodes` when a call begins, one `setNodes` when it
 * settles). It explains misses and tells the planner where writes would never be read.
 */
export function createCacheLedger(options: { store?: LedgerStore; now?: () => number; keyer?: Keyer } = {}) {
  const now = options.now ?? Date.now;
  const store = options.store ?? memoryLedgerStore({ now });
  const keyer = options.keyer ?? storeKeyer(store);
  const memory = isMemoryLedgerStore(store);
  const overlay = new Map<string, TreeNode>();
  const warned = new Set<string>();
  /**
   * New children of a branch node that calls of this instance are creating now (begun, not
   * settled): a fan-out's calls all begin before the first settles, and they count as children
   * no one came back to yet.
   */
  const pending = new Map<string, Map<string, { calls: number; at: number }>>();

  const remember = (key: string, node: TreeNode) => {
    if (memory) return;
    overlay.delete(key);
    overlay.set(key, node);
    if (overlay.size > OVERLAY_NODES) overlay.delete(overlay.keys().next().value!);
  };
  /** The freshest copies this instance can see without a round trip (the memory store: itself). */
  const localNodes = (keys: readonly string[]): (TreeNode | undefined)[] =>
    memory ? (store.getNodes(keys) as (LedgerNode | undefined)[]).map(asTreeNode) : keys.map((key) => overlay.get(key));

  const warnOnce = (key: string, text: string): string | undefined => {
    if (warned.has(key)) return undefined;
    if (warned.size > 1000) warned.clear();
    warned.add(key);
    return text;
  };

  return {
    /** Starts following a call: one `getNodes` for its path, its anchors and its system prompt's records. */
    async begin(modelId: string, params: LanguageModelV3CallOptions, model: { toolsCacheable: boolean }): Promise<LedgerCall> {
      const at = now();
      const fingerprint = fingerprintPrompt(params);
      const path = promptPath(modelId, fingerprint, keyer, model.toolsCacheable, PATH_WINDOW);
      // the last message, and the last message of the previous request (before the last answer)
      const positions: number[] = [];
      let lastAnswer = -1;
      for (let index = 0; index < params.prompt.length; index++) {
        const { role } = params.prompt[index]!;
        if (role === 'system') continue;
        if (role === 'assistant') lastAnswer = positions.length;
        positions.push(index);
      }
      const last = positions.length - 1;
      const ownKey = last >= 1 ? anchorKey(modelId, fingerprint, positions[last]!, last, keyer) : undefined;
      const previousPosition = lastAnswer > 0 && lastAnswer < last ? lastAnswer - 1 : undefined;
      const previousKey = previousPosition === undefined ? undefined : anchorKey(modelId, fingerprint, positions[previousPosition]!, previousPosition, keyer);
      // object literals, not a spread plus `keys` (Node 20 pays microseconds for adding a property to a spread copy)
      const texts = blockTexts(params as Parameters<typeof blockTexts>[0]).map(({ text, section, tool, name }) => ({ text, section, tool, keys: blockKeys(modelId, text, keyer, name) }));
      const keys: string[] = [];
      for (const p of path) keys.push(p.key);
      if (ownKey !== undefined) keys.push(ownKey);
      if (previousKey !== undefined) keys.push(previousKey);
      for (const t of texts) for (const key of t.keys) keys.push(key);
      const values = await store.getNodes(keys);
      // a shared store: this instance's own latest copies may be newer (the memory store is itself the latest)
      const local = memory ? [] : localNodes(path.map((p) => p.key));
      const nodes = path.map((_, i) => newest(asTreeNode(values[i]), local[i]));
      let cursor = path.length;
      const anchorOf = (key: string | undefined) => {
        if (key === undefined) return undefined;
        const value = values[cursor++] as AnchorNode | undefined;
        return value && Array.isArray(value.p) ? value : undefined;
      };
      const own = anchorOf(ownKey);
      const previous = anchorOf(previousKey);
      const blocks: LedgerCall['blocks'] = texts.map((t) => {
        const records = values.slice(cursor, (cursor += t.keys.length));
        const compared = compareBlock(t.text, records, keyer, at, t.section === 'tools' ? { section: 'tools', tool: t.tool! } : { section: 'system' });
        return {
          section: t.section,
          keys: t.keys,
          record: compared.record,
          write: compared.write,
          ...(compared.change && { change: compared.change }),
          ...(compared.from !== undefined && { from: t.keys[compared.from] }),
        };
      });
      // a continuation: the deepest node on the path where an earlier call ended
      let continued: LedgerCall['continued'];
      for (let i = path.length - 1; i > 0; i--) {
        const end = nodes[i]?.e;
        if (end !== undefined) {
          continued = { index: i, gapMs: Math.max(0, at - end) };
          break;
        }
      }
      const previousIndex = previousPosition === undefined ? undefined : path.findIndex((p) => p.position === previousPosition);
      const call: LedgerCall = {
        modelId,
        at,
        params,
        fingerprint,
        path,
        nodes,
        anchors: { ...(own && { own, ownKey }), ...(previous && { previous, previousIndex }) },
        blocks,
        ...(continued && { continued }),
      };
      const edit = editOf(call);
      if (edit) call.edit = edit;
      return call;
    },

    /** How this prompt's conversations came back (for `ttl: 'auto'`, before the hints). */
    reuse: (call: LedgerCall): ReuseHistory => reuseOf(call),

    /**
     * What the tree says about this call, before its checkpoints are planned: `messagesTtl` is
     * the TTL its message checkpoints will get (a write is read only if a call comes back within it).
     */
    hints(call: LedgerCall, prices: ModelPrices | undefined, messagesTtl: '5m' | '1h' = '5m', minTokens = 0): LedgerHints {
      const { path, nodes } = call;
      const hints: LedgerHints = { reuse: reuseOf(call) };
      const within = backWithin(hints.reuse, messagesTtl);
      const firstMessage = path.find((p) => p.section === 'messages');
      let deepest = 0;
      for (let i = path.length - 1; i >= 0; i--) {
        if (nodes[i]) {
          deepest = i;
          break;
        }
      }
      const branch = nodes[deepest];
      const fresh = path[deepest + 1];
      if (fresh && branch?.e === undefined) {
        // Each new node below the tree: its parent's children (stored, and those this instance's
        // calls are creating now: a fan-out's calls all begin before the first settles; calls of
        // one fan-out with the same new child are one child; a call that never settled stops
        // counting after PENDING_MS). The shallowest level where a write would not repay itself
        // decides: nothing from there on is written.
        if (pending.size > 1000) pending.clear();
        call.pending = [];
        for (let i = deepest + 1; i < path.length; i++) {
          const parent = path[i - 1]!.key;
          const child = path[i]!;
          let children = pending.get(parent);
          if (!children) pending.set(parent, (children = new Map<string, { calls: number; at: number }>()));
          let inFlight = 0;
          for (const [key, { at }] of children) {
            if (at < call.at - PENDING_MS) children.delete(key);
            else if (key !== child.key) inFlight++;
          }
          const entry = children.get(child.key);
          if (entry) {
            entry.calls++;
            entry.at = call.at;
          } else children.set(child.key, { calls: 1, at: call.at });
          call.pending.push(parent, child.key);
          if (hints.noWriteFrom !== undefined) continue;
          const stored = i === deepest + 1 ? branch : undefined;
          const childCount = (stored?.kn ?? 0) + inFlight;
          const q = (((stored?.kr ?? 0) + 1) / (childCount + 2)) * within;
          const { write, threshold } = writePays(q, prices, messagesTtl);
          // no evidence yet (no child seen, no gap seen): write, as any placement would
          if (!write && (childCount > 0 || within < 1)) {
            hints.noWriteFrom = child.section === 'messages' ? { message: child.message! } : child.section === 'tools' ? 'tools' : 'system';
            hints.noWriteWhy = `${stored?.kr ?? 0} of ${childCount} prompts that left the tree here came back${within < 1 ? `, ${(within * 100).toFixed(0)}% of returns within ${messagesTtl}` : ''} (q ≈ ${q.toFixed(2)} ≤ ${threshold.toFixed(3)}): a write here would not repay itself`;
          }
        }
        // the history before a last turn, left by a conversation that goes on without that turn
        const beyond = path.length - 1 - deepest;
        if (branch?.h && path[deepest]!.section === 'messages' && beyond >= 2) hints.lastTurnDropped = true;
      } else if (firstMessage) {
        // a conversation coming back: its messages' write is read only if the next call comes back within the TTL
        const { write, threshold } = writePays(within, prices, messagesTtl);
        if (!write) {
          hints.noWriteFrom = { message: firstMessage.message! };
          hints.noWriteWhy = `${(within * 100).toFixed(0)}% of this prompt's conversations came back within ${messagesTtl} (q ≤ ${threshold.toFixed(3)}): a message write would expire unread`;
        }
      }
      // the conversation's own system prompt changed since its previous call, as it did before that (a timestamp): a write of it or after it would not be read
      const system = call.blocks.find((b) => b.section === 'system');
      if (call.edit?.section === 'system' && system?.change && system.change.newInARow >= 2) {
        hints.noWriteFrom = 'system';
        hints.noWriteWhy = "the system prompt changed since this conversation's previous call, and it was new on the call before too: a write of it would not be read";
      }
      // an earlier call's checkpoint on this prompt cached nothing, below the model's minimum: say so once
      for (let i = path.length - 1; i > 0; i--) {
        const node = nodes[i];
        if (!node || isLive(node, call.at)) break;
        if (node.b === undefined || (node.k ?? 0) >= minTokens) continue;
        const warning = warnOnce(
          `minimum ${path[i]!.key}`,
          `Bedrock cached nothing for this prompt: about ${Math.round(node.k ?? 0).toLocaleString('en-US')} tokens up to its last checkpoint, below this model's minimum of ${minTokens.toLocaleString('en-US')}. Nothing is written or read (and nothing charged for a write) until the prompt grows past it.`,
        );
        if (warning) hints.warning = warning;
        break;
      }
      for (const { change, from } of call.blocks) {
        if (!change || change.newInARow < BLOCK_CHANGE_PATTERN || hints.warning) continue;
        // once per record: the key that found the earlier text is the one that stays put
        const warning = warnOnce(`block ${from}`, blockChangeWarning(change));
        if (warning) hints.warning = warning;
      }
      call.hints = hints;
      return hints;
    },

    /** How many leading blocks of the prompt the tree knows to be live now. */
    liveThrough(call: LedgerCall): number {
      const at = now();
      for (let i = call.path.length - 1; i > 0; i--) if (call.path[i]!.cacheable && isLive(call.nodes[i], at)) return call.path[i]!.block;
      return 0;
    },

    /**
     * Records the call's outcome in the tree (one `setNodes`) and says why it read less than it
     * could have. `points` are the checkpoints that reached the wire; `total` is Bedrock's input
     * count (uncached + read + written) when known.
     */
    async settle(
      call: LedgerCall,
      points: readonly WirePoint[],
      usage: { read: number; written: number; total?: number },
      model: { lookbackBlocks: number; minTokens: number },
    ): Promise<SettledCall> {
      const { path, at } = call;
      const pairs = call.pending ?? [];
      for (let k = 0; k + 1 < pairs.length; k += 2) {
        const parent = pairs[k]!;
        const child = pairs[k + 1]!;
        const children = pending.get(parent);
        const entry = children?.get(child);
        if (entry && entry.calls > 1) entry.calls--;
        else children?.delete(child);
        if (children?.size === 0) pending.delete(parent);
      }
      delete call.pending;
      const checkpointBlocks = points
        .map((point) => blockOf(point, call.fingerprint, call.params))
        .filter((block): block is number => block !== undefined && block > 0)
        .sort((a, b) => a - b);
      const onPath = new Map<number, '5m' | '1h'>();
      for (const point of points) {
        const block = blockOf(point, call.fingerprint, call.params);
        const index = block === undefined ? -1 : path.findIndex((p) => p.block === block);
        if (index > 0 && path[index]!.cacheable && (onPath.get(index) !== '1h')) onPath.set(index, point.ttl);
      }
      const cachedTokens = usage.read + usage.written;
      const deepestCheckpoint = Math.max(-1, ...onPath.keys());
      const tokens = tokensAlong(path, usage.total, cachedTokens > 0 && deepestCheckpoint > 0 ? { index: deepestCheckpoint, tokens: cachedTokens } : undefined);
      const { edit } = call;
      const { miss, readAt } = explainMiss({
        at,
        path,
        nodes: call.nodes,
        tokens,
        checkpointBlocks,
        read: usage.read,
        written: usage.written,
        lookbackBlocks: model.lookbackBlocks,
        minTokens: model.minTokens,
        ...(edit && { edit }),
      });

      // The tree as fresh as this instance sees it (concurrent calls may have settled since begin).
      const local = localNodes(path.map((p) => p.key));
      const base = path.map((_, i) => newest(call.nodes[i], local[i]));
      const next: (TreeNode | undefined)[] = [...base];
      const dirty = new Set<number>();
      const edit1 = (i: number): TreeNode => {
        if (!dirty.has(i)) {
          next[i] = { ...(next[i] ?? { u: at }) };
          dirty.add(i);
        }
        return next[i]!;
      };
      path.forEach((_, i) => {
        if (!base[i]) {
          edit1(i).k = Math.round(tokens[i]!);
          next[i]!.ke = 1;
          if (i > 0) edit1(i - 1).kn = (next[i - 1]!.kn ?? 0) + 1;
        } else if (i > 0 && !base[i]!.r) {
          // the first call to come back here: its parent learns that one of its children was revisited
          edit1(i).r = 1;
          edit1(i - 1).kr = (next[i - 1]!.kr ?? 0) + 1;
        } else if (base[i]!.u < at - REFRESH_AFTER_MS) {
          edit1(i); // renews the node's time to live in the store
        }
      });
      const tip = path.length - 1;
      edit1(tip).e = at;
      if (tip > 0 && path[tip]!.section === 'messages' && !next[tip - 1]!.h) edit1(tip - 1).h = 1;
      const prompt = promptIndex(path);
      if (call.continued) {
        const own = call.nodes[call.continued.index]?.g;
        edit1(tip).g = addGap(own, call.continued.gapMs);
        edit1(prompt).g = addGap(next[prompt]!.g, call.continued.gapMs);
      }
      if (usage.read > 0) {
        const share = usage.written / cachedTokens;
        const before = next[prompt]!.ws;
        edit1(prompt).ws = before === undefined ? share : Math.round((0.8 * before + 0.2 * share) * 1000) / 1000;
      }
      // entries: what the checkpoints wrote or refreshed, or marked without caching
      for (const [i, ttl] of onPath) {
        const node = edit1(i);
        // Bedrock's own count where it is this prefix's (the deepest checkpoint that cached: read + written)
        if (node.ke || node.k === undefined || (i === deepestCheckpoint && cachedTokens > 0)) {
          node.k = Math.round(tokens[i]!);
          if (i === deepestCheckpoint && cachedTokens > 0) delete node.ke;
          else node.ke = 1;
        }
        if (cachedTokens > 0 && (i === deepestCheckpoint || tokens[i]! >= model.minTokens)) {
          const expiry = at + TTL_MS[ttl];
          if (!isLive(node, at) || node.x! < expiry) {
            node.x = expiry;
            if (ttl === '1h') node.t = '1h';
            else delete node.t;
          }
          node.w = at;
          delete node.b;
        } else {
          node.b = at;
        }
      }
      if (readAt !== undefined) {
        // what it read is exactly that entry's tokens; reading refreshes its TTL (shared doc §1)
        const node = edit1(readAt);
        node.k = usage.read;
        delete node.ke;
        if (!onPath.has(readAt)) {
          node.x = Math.max(node.x ?? 0, at + TTL_MS[node.t ?? '5m']);
          node.w = at;
        }
      }

      const entries: { key: string; node: LedgerNode; ttlMs: number }[] = [];
      for (const i of dirty) {
        const node = { ...next[i]!, u: at };
        const ttlMs = i === prompt || i === 0 ? PROMPT_NODE_TTL_MS : Math.max(NODE_TTL_MS, (node.x ?? 0) - at + NODE_TTL_MS / 2);
        entries.push({ key: path[i]!.key, node: node as unknown as LedgerNode, ttlMs });
      }
      const anchor = anchorOf(call);
      if (anchor) entries.push({ key: anchor.key, node: anchor.node as unknown as LedgerNode, ttlMs: NODE_TTL_MS });
      for (const block of call.blocks) {
        if (!block.write) continue;
        const node = (typeof block.record === 'function' ? (block.record as () => unknown)() : block.record) as LedgerNode;
        for (const key of block.keys) entries.push({ key, node, ttlMs: PROMPT_NODE_TTL_MS });
      }
      await store.setNodes(entries);
      for (const { key, node } of entries) if (key.startsWith('n:')) remember(key, node as unknown as TreeNode);

      // the report's prefix holds every boundary, beyond the window too (off the request's path: after the response)
      let full = path;
      let fullTokens = tokens;
      if (path.filter((p) => p.section === 'messages').length >= PATH_WINDOW) {
        full = promptPath(call.modelId, call.fingerprint, keyer, path.some((p) => p.section === 'tools' && p.cacheable));
        const pin = deepestCheckpoint > 0 ? full.findIndex((p) => p.block === path[deepestCheckpoint]!.block) : -1;
        fullTokens = tokensAlong(full, usage.total, cachedTokens > 0 && pin > 0 ? { index: pin, tokens: cachedTokens } : undefined);
      }
      const cacheable = full.map((p, i) => ({ p, i })).filter(({ p }) => p.cacheable);
      return {
        ...(miss && { miss }),
        prefix: { nodes: cacheable.map(({ p }) => p.id), tokens: cacheable.map(({ i }) => Math.round(fullTokens[i]!)) },
      };
    },
  };

  /** The anchor this call leaves: its node ids, under its last message (found again by its next call, or by an edit of it). */
  function anchorOf(call: LedgerCall): { key: string; node: AnchorNode } | undefined {
    const messages = call.path.filter((p) => p.section === 'messages');
    const last = messages.at(-1);
    if (!last) return undefined;
    return {
      key: anchorKey(call.modelId, call.fingerprint, last.message!, last.position!, keyer),
      node: anchorNode(call.path, call.at),
    };
  }
}

/**
 * An anchor's ids: the end of tools and of system ('' when absent), then each message's end;
 * each cut to 8 hex characters (32 keyed bits tell two prompts apart well enough to say where
 * they differ, at half the bytes).
 */
function anchorNode(path: readonly PathPoint[], at: number): AnchorNode {
  const short = (p: PathPoint | undefined) => p?.id.slice(0, 8) ?? '';
  const messages = path.filter((p) => p.section === 'messages');
  return {
    u: at,
    p: [short(path.find((p) => p.section === 'tools')), short(path.find((p) => p.section === 'system')), ...messages.map(short)],
    ...(messages.length > 0 && messages[0]!.position! > 0 && { o: messages[0]!.position! }),
  };
}

/** Message ends a call reads from the tree: the last 64 (an edit further back in a longer conversation goes unexplained). */
const PATH_WINDOW = 64;

export type CacheLedger = ReturnType<typeof createCacheLedger>;

/** The path index of the prompt node: end of system, else of tools, else the model's root. */
function promptIndex(path: readonly PathPoint[]): number {
  let index = 0;
  path.forEach((p, i) => {
    if (p.section === 'tools' || p.section === 'system') index = i;
  });
  return index;
}

function reuseOf(call: LedgerCall): ReuseHistory {
  const promptNode = call.nodes[promptIndex(call.path)];
  const writeShare = promptNode?.ws ?? 1;
  const own: Gaps = call.continued ? [...(call.nodes[call.continued.index]?.g ?? [0, 0, 0])] : [0, 0, 0];
  if (call.continued) own[gapBucket(call.continued.gapMs)]++;
  const before = call.continued ? call.nodes[call.continued.index]?.g ?? [0, 0, 0] : [0, 0, 0];
  const prior = (promptNode?.g ?? [0, 0, 0]).map((n, i) => Math.max(0, n - before[i]!));
  const total = prior[0]! + prior[1]! + prior[2]!;
  const weight = total > PRIOR_WEIGHT ? PRIOR_WEIGHT / total : 1;
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    within5m: round(own[0] + weight * prior[0]!),
    within1h: round(own[1] + weight * prior[1]!),
    beyond1h: round(own[2] + weight * prior[2]!),
    writeShare,
  };
}

/**
 * Input tokens up to each path point: the characters' shape scaled to Bedrock's total, and
 * pinned to Bedrock's exact count at the deepest checkpoint that cached (read + written).
 */
function tokensAlong(path: readonly PathPoint[], total: number | undefined, exact: { index: number; tokens: number } | undefined): number[] {
  const all = path.at(-1)!.weight || 1;
  const scale = total && total > 0 ? total / all : 1 / CHARS_PER_TOKEN;
  if (!exact) return path.map((p) => p.weight * scale);
  const pin = path[exact.index]!.weight || 1;
  const rest = all - pin;
  return path.map((p, i) =>
    i <= exact.index
      ? (p.weight / pin) * exact.tokens
      : exact.tokens + (rest > 0 && total ? ((p.weight - pin) / rest) * Math.max(0, total - exact.tokens) : (p.weight - pin) * scale),
  );
}

/**
 * The caller's own earlier prompt this call edits, if any: found by this call's last message
 * (the same prompt sent again with an earlier message changed) or by its previous request's
 * last message (the conversation goes on, but something before changed), when this call doesn't
 * share that prompt in the tree. The first node id that differs says where.
 */
function editOf(call: LedgerCall): { section: 'tools' | 'system' | 'messages'; index?: number } | undefined {
  const { path, nodes, anchors } = call;
  const candidates: AnchorNode[] = [];
  if (anchors.previous && anchors.previousIndex !== undefined && anchors.previousIndex > 0 && !nodes[anchors.previousIndex]) candidates.push(anchors.previous);
  if (anchors.own && !nodes[path.length - 1]) candidates.push(anchors.own);
  if (candidates.length === 0) return undefined;
  const mine = anchorNode(path, 0);
  const mineFrom = mine.o ?? 0;
  for (const anchor of candidates) {
    if (anchor.p[0] !== mine.p[0]) return { section: 'tools' };
    if (anchor.p[1] !== mine.p[1]) return { section: 'system' };
    const theirFrom = anchor.o ?? 0;
    // the messages both hold, but the last of the shorter (the same message: the anchor's key)
    const end = Math.min(theirFrom + anchor.p.length - 2, mineFrom + mine.p.length - 2) - 1;
    for (let position = Math.max(theirFrom, mineFrom); position < end; position++) {
      if (anchor.p[2 + position - theirFrom] !== mine.p[2 + position - mineFrom]) return { section: 'messages', index: position };
    }
  }
  return undefined;
}

function blockOf(point: WirePoint, fp: PromptFingerprint, params: LanguageModelV3CallOptions): number | undefined {
  if (point.section === 'tools') return point.tool + 1;
  if (point.section === 'system') return fp.systemEnd;
  const start = fp.messageStarts[point.message];
  const message = params.prompt[point.message];
  if (start === undefined || start < 0 || !message || message.role === 'system') return undefined;
  return start + (point.part === undefined ? message.content.length : point.part + 1);
}
