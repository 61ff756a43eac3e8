import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { explainMiss, liveBlocks, type CacheMiss } from './explain-miss';
import { memoryLedgerStore, type LedgerRecord, type LedgerStore } from './ledger-store';
import { fingerprintPrompt, sharedBlocks, type PromptFingerprint } from './prompt-fingerprint';

/** Records live as long as the longest TTL they could matter for, plus a margin. */
const RECORD_TTL_MS = 65 * 60_000;
/** A miss with the same reason on this many calls in a row of one prompt group is a pattern worth a warning. */
const PATTERN_CALLS = 3;

/** Where a checkpoint sat in the prompt, as the planner names places. */
export type WirePoint =
  | { section: 'tools'; tool: number; ttl: '5m' | '1h' }
  | { section: 'system'; ttl: '5m' | '1h' }
  | { section: 'messages'; message: number; part?: number; ttl: '5m' | '1h' };

/** A call the ledger is following, from its planning to its usage. */
export interface LedgerCall {
  modelId: string;
  /** The groups it belongs to: its conversation (first message) and its tools + system prefix. */
  keys: string[];
  at: number;
  /** Tools, system and the conversation's first block: the rest is hashed at `settle`. */
  head: PromptFingerprint;
  records: LedgerRecord[];
}

/** What the ledger advises the planner, from history. */
export interface LedgerHints {
  /**
   * Sections from which nothing can be read: the conversation's earlier call had the same
   * first message but a different tool set (`tools`) or system prompt (`system`), so a
   * checkpoint there or after it only pays for a write no later call reads.
   */
  unstableFrom?: 'tools' | 'system';
  /** The conversation's last call dropped its predecessor's last message from the history. */
  lastTurnDropped?: boolean;
  /** A one-line warning, given once per pattern per middleware instance. */
  warning?: string;
  /** How this prompt group's conversations came back, for `ttl: 'auto'` (see auto-ttl.ts). */
  reuse: ReuseHistory;
}

/**
 * The gaps between consecutive calls of one conversation (same model, tools, system and first
 * message) the ledger has seen in a prompt group, this call's own gap included, by the TTL
 * that would have kept the previous call's entry alive; and what share of its cached prefix
 * a call typically had to write (the rest it read).
 */
export interface ReuseHistory {
  within5m: number;
  /** More than 5 and at most 60 minutes: only a 1h entry is still there. */
  within1h: number;
  beyond1h: number;
  /** Mean of written ÷ (read + written) over calls that read something; 1 when none did. */
  writeShare: number;
}

const FIVE_MINUTES = 5 * 60_000;
const ONE_HOUR = 60 * 60_000;

function reuseOf(call: LedgerCall): ReuseHistory {
  const reuse = { within5m: 0, within1h: 0, beyond1h: 0 };
  const last = new Map<number, number>();
  const count = (gap: number) => {
    if (gap <= FIVE_MINUTES) reuse.within5m++;
    else if (gap <= ONE_HOUR) reuse.within1h++;
    else reuse.beyond1h++;
  };
  for (const record of call.records) {
    if (record.firstMessage === undefined) continue;
    const before = last.get(record.firstMessage);
    if (before !== undefined) count(record.at - before);
    last.set(record.firstMessage, record.at);
  }
  const mine = call.head.firstMessage === undefined ? undefined : last.get(call.head.firstMessage);
  if (mine !== undefined) count(call.at - mine);
  const shares = call.records.filter((r) => (r.read ?? 0) > 0).map((r) => (r.written ?? 0) / (r.read! + (r.written ?? 0)));
  return { ...reuse, writeShare: shares.length > 0 ? shares.reduce((a, b) => a + b, 0) / shares.length : 1 };
}

function blockOf(point: WirePoint, fp: PromptFingerprint, params: LanguageModelV3CallOptions): number | undefined {
  if (point.section === 'tools') return point.tool + 1;
  if (point.section === 'system') return fp.systemEnd;
  const start = fp.messageStarts[point.message];
  const message = params.prompt[point.message];
  if (start === undefined || start < 0 || !message || message.role === 'system') return undefined;
  return start + (point.part === undefined ? message.content.length : point.part + 1);
}

/**
 * The groups a prompt's records are kept in: its conversation (model + first message), where
 * a changed system prompt shows, and its shared prefix (model + tools + system), where other
 * conversations' writes show. A call is compared with the records of both.
 */
function groupKeys(modelId: string, fp: PromptFingerprint): string[] {
  const keys: string[] = [];
  if (fp.firstMessage !== undefined) keys.push(`${modelId}\nconversation ${fp.firstMessage}`);
  const prefix = fp.systemEnd > 0 ? fp.hashes[fp.systemEnd - 1] : undefined;
  if (prefix !== undefined) keys.push(`${modelId}\nprefix ${prefix}`);
  return keys;
}

/** The conversation's most recent earlier call (the same first message), if the ledger has one. */
function latestOfConversation(records: readonly LedgerRecord[], firstMessage: number | undefined): LedgerRecord | undefined {
  if (firstMessage === undefined) return undefined;
  for (let i = records.length - 1; i >= 0; i--) if (records[i]!.firstMessage === firstMessage) return records[i];
  return undefined;
}

/** The records of several groups, each once, oldest first. */
function mergeRecords(groups: ReadonlyArray<LedgerRecord[] | undefined>): LedgerRecord[] {
  const seen = new Set<string>();
  const merged: LedgerRecord[] = [];
  for (const record of groups.flatMap((group) => group ?? [])) {
    const id = `${record.at}:${record.hashes.length}:${record.hashes.at(-1)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    merged.push(record);
  }
  return merged.sort((a, b) => a.at - b.at);
}

/**
 * The middleware's memory of what it sent and what Bedrock cached, per model: hashes,
 * block counts, times and token counts, never prompt text. It explains misses and tells
 * the planner where writes would never be read. Its store is pluggable (see ledger-store.ts).
 */
export function createCacheLedger(options: { store?: LedgerStore; now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  const store = options.store ?? memoryLedgerStore({ now });
  const warned = new Set<string>();

  const warnOnce = (key: string, text: string): string | undefined => {
    if (warned.has(key)) return undefined;
    if (warned.size > 1000) warned.clear();
    warned.add(key);
    return text;
  };

  return {
    /** Starts following a call: reads the history of its prompt group. */
    async begin(modelId: string, params: LanguageModelV3CallOptions): Promise<LedgerCall | undefined> {
      const head = fingerprintPrompt(params, 'head');
      const keys = groupKeys(modelId, head);
      if (keys.length === 0) return undefined;
      const records = mergeRecords(await Promise.all(keys.map((key) => store.get(key))));
      return { modelId, keys, at: now(), head, records };
    },

    /** What history says about this call, before its checkpoints are planned. */
    hints(call: LedgerCall): LedgerHints {
      const fp = call.head;
      const hints: LedgerHints = { reuse: reuseOf(call) };
      const sameConversation = latestOfConversation(call.records, fp.firstMessage);
      if (sameConversation?.tailDropped) hints.lastTurnDropped = true;
      if (sameConversation) {
        const shared = sharedBlocks(fp.hashes, sameConversation.hashes);
        if (shared < Math.min(fp.systemEnd, sameConversation.systemEnd) || shared < Math.min(fp.toolsEnd, sameConversation.toolsEnd)) {
          hints.unstableFrom = shared < Math.min(fp.toolsEnd, sameConversation.toolsEnd) ? 'tools' : 'system';
          const what = hints.unstableFrom === 'tools' ? 'tool definitions' : 'system prompt';
          const warning = warnOnce(
            `${call.modelId}\nunstable ${hints.unstableFrom}`,
            `The ${what} changed between two calls of the same conversation: nothing after it can be read from the cache, so no checkpoint is placed after it while it keeps changing. Move per-request values (times, ids) to the last message.`,
          );
          if (warning) hints.warning = warning;
        }
      }
      const recent = call.records.slice(-PATTERN_CALLS);
      const reason = recent[0]?.miss;
      if (!hints.warning && reason && reason !== 'first-call' && recent.length === PATTERN_CALLS && recent.every((r) => r.miss === reason)) {
        const warning = warnOnce(`${call.modelId}\nmiss ${reason}`, `The last ${PATTERN_CALLS} calls with this prompt missed the cache for the same reason (${reason}); see onCacheUsage's cacheMiss for details.`);
        if (warning) hints.warning = warning;
      }
      return hints;
    },

    /**
     * How many leading blocks of a prompt (default: the call's head, tools + system + the
     * first block) the ledger knows to be live in Bedrock's cache now.
     */
    liveThrough(call: LedgerCall, fingerprint: PromptFingerprint = call.head): number {
      return liveBlocks(fingerprint, call.records, now());
    },

    /**
     * Records the call's outcome and says why it read less than it could have. `points` are
     * the checkpoints that reached the wire; `lookbackBlocks` the model's.
     */
    async settle(
      call: LedgerCall,
      params: LanguageModelV3CallOptions,
      points: readonly WirePoint[],
      usage: { read: number; written: number },
      lookbackBlocks: number,
    ): Promise<CacheMiss | undefined> {
      const fingerprint = fingerprintPrompt(params);
      const checkpoints = points
        .map((point) => ({ block: blockOf(point, fingerprint, params), ttl: point.ttl }))
        .filter((c): c is { block: number; ttl: '5m' | '1h' } => c.block !== undefined && c.block > 0)
        .sort((a, b) => a.block - b.block);
      const { miss, readAt } = explainMiss(
        { at: call.at, fingerprint, checkpoints, read: usage.read, lookbackBlocks },
        call.records,
      );
      const lastStart = [...fingerprint.messageStarts].reverse().find((start) => start >= 0);
      const previous = latestOfConversation(call.records, fingerprint.firstMessage);
      const keptOfPrevious = previous ? sharedBlocks(fingerprint.hashes, previous.hashes) : 0;
      const tailDropped =
        previous?.lastMessageStart !== undefined && keptOfPrevious >= previous.lastMessageStart && keptOfPrevious < previous.hashes.length;
      const record: LedgerRecord = {
        at: call.at,
        hashes: fingerprint.hashes,
        toolsEnd: fingerprint.toolsEnd,
        systemEnd: fingerprint.systemEnd,
        ...(fingerprint.firstMessage !== undefined && { firstMessage: fingerprint.firstMessage }),
        checkpoints,
        read: usage.read,
        written: usage.written,
        ...(readAt !== undefined && { readAt }),
        ...(miss && { miss: miss.reason }),
        ...(lastStart !== undefined && { lastMessageStart: lastStart }),
        ...(tailDropped && { tailDropped }),
      };
      // Re-read: other calls of the group may have settled since this one began.
      await Promise.all(
        call.keys.map(async (key) => store.set(key, [...((await store.get(key)) ?? []), record], RECORD_TTL_MS)),
      );
      return miss;
    },
  };
}

export type CacheLedger = ReturnType<typeof createCacheLedger>;
