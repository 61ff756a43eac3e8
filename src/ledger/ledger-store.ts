/**
 * Where the cache ledger keeps its records: in memory by default, or a store shared by a
 * fleet of instances (serverless functions) so that each sees what the others wrote.
 * Plain data in and out (JSON-serialisable): a store never sees prompt text, only hashes,
 * block counts, times and token counts.
 */

/** What one earlier call left in Bedrock's cache, as the ledger knows it. */
export interface LedgerRecord {
  /** When the request started (ms); cache lifetimes count from here (shared doc §1 Timing). */
  at: number;
  /** Rolling hash per content block (see prompt-fingerprint.ts). */
  hashes: number[];
  toolsEnd: number;
  systemEnd: number;
  /** Hash of the first message alone, to tell one conversation's calls apart from another's. */
  firstMessage?: number;
  /** Where its checkpoints were on the wire: after `block` blocks, with this TTL. */
  checkpoints: Array<{ block: number; ttl: '5m' | '1h' }>;
  /** What Bedrock reported, once known. */
  read?: number;
  written?: number;
  /** Block position of the entry this call read, when it read one (refreshes that entry's TTL). */
  readAt?: number;
  /** Why it missed, when it did (see explain-miss.ts), for spotting a repeating pattern. */
  miss?: string;
  /** Block where its last message starts. */
  lastMessageStart?: number;
  /** It kept the conversation's earlier call whole except that call's last message (RAG passages dropped). */
  tailDropped?: boolean;
}

/**
 * A ledger store. `key` names one group of prompts (a model and the hash of the prompt's
 * first block); `get` returns its records, most recent last. Implementations may drop old
 * records; the ledger works with whatever they return.
 */
export interface LedgerStore {
  get(key: string): LedgerRecord[] | undefined | PromiseLike<LedgerRecord[] | undefined>;
  set(key: string, records: LedgerRecord[], ttlMs: number): void | PromiseLike<void>;
  /**
   * Optional, for a fleet: takes the lease `key` for `ttlMs` if no one holds it (Redis
   * `SET key token NX PX ttlMs`), true when this store now holds it. It ends by itself after
   * `ttlMs`, so a crashed holder never blocks the others for longer. Fan-out coalescing uses
   * it so that instances sharing the store send one call of a fan-out first; a store without
   * it coordinates the calls of one instance only.
   */
  acquireLease?(key: string, ttlMs: number): Promise<boolean>;
  /** Gives up a lease this store holds; does nothing when it has expired and someone else holds it now. */
  releaseLease?(key: string): Promise<void>;
}

/** Defaults of the in-memory store. */
export const LEDGER_DEFAULTS = {
  /** Prompt groups (model × first block) kept. */
  maxKeys: 1000,
  /** Records per group: enough for this many conversations interleaved on one prompt. */
  maxRecordsPerKey: 32,
  /** Approximate bytes of all records together (hash arrays at 8 bytes a block). */
  maxBytes: 8 * 1024 * 1024,
} as const;

const recordBytes = (record: LedgerRecord) => 64 + record.hashes.length * 8 + record.checkpoints.length * 16;

/**
 * The default store: a least-recently-used map bounded by group count and bytes, with
 * records expiring with the longest TTL they could matter for. Synchronous; no timers.
 */
export function memoryLedgerStore(options: { maxKeys?: number; maxBytes?: number; now?: () => number } = {}): LedgerStore & {
  /** Bytes currently held (approximate), for tests and load checks. */
  readonly bytes: number;
  readonly size: number;
} {
  const maxKeys = options.maxKeys ?? LEDGER_DEFAULTS.maxKeys;
  const maxBytes = options.maxBytes ?? LEDGER_DEFAULTS.maxBytes;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { records: LedgerRecord[]; bytes: number; expires: number }>();
  let bytes = 0;
  const remove = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    bytes -= entry.bytes;
    entries.delete(key);
  };
  return {
    get bytes() {
      return bytes;
    },
    get size() {
      return entries.size;
    },
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expires <= now()) {
        remove(key);
        return undefined;
      }
      entries.delete(key); // most recently used goes last
      entries.set(key, entry);
      return entry.records;
    },
    set(key, records, ttlMs) {
      remove(key);
      const kept = records.slice(-LEDGER_DEFAULTS.maxRecordsPerKey);
      const size = kept.reduce((sum, record) => sum + recordBytes(record), key.length * 2);
      entries.set(key, { records: kept, bytes: size, expires: now() + ttlMs });
      bytes += size;
      for (const oldest of entries.keys()) {
        if (entries.size <= maxKeys && bytes <= maxBytes) break;
        if (oldest === key && entries.size === 1) break;
        remove(oldest);
      }
    },
  };
}
