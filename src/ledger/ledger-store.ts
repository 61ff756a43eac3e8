/**
 * Where the cache ledger keeps its tree (contract C1): in memory by default, or a store shared
 * by a fleet of instances (serverless functions) so that each sees what the others sent.
 * Nodes are plain JSON keyed by keyed hashes (see keyed-hash.ts): times, counts, token counts
 * and other keyed ids, never prompt text.
 */
import { createKeyer, randomSecret, type Keyer } from './keyed-hash';

/** A node: plain JSON (numbers, strings, arrays, objects), never prompt text. Its fields belong to the ledger (see tree-node.ts). */
export type LedgerNode = { [field: string]: unknown };

/**
 * A ledger store: independent JSON nodes, each with its own time to live. Keys are printable
 * ASCII without whitespace (`n:5f0c…`); a store may prepend its own prefix. A store treats
 * nodes as opaque.
 */
export interface LedgerStore {
  /** The nodes at `keys` (undefined where absent or expired), in order. One round trip. */
  getNodes(keys: readonly string[]): (LedgerNode | undefined)[] | PromiseLike<(LedgerNode | undefined)[]>;
  /** Writes each node with its own time to live. One round trip (pipelined). */
  setNodes(entries: readonly { key: string; node: LedgerNode; ttlMs: number }[]): void | PromiseLike<void>;
  /**
   * The secret that keys every hash the ledger stores and every lease name (see keyed-hash.ts).
   * Instances sharing a store must share it; without one, the ledger draws a random secret per
   * process (then instances can't read each other's nodes or see each other's leases).
   */
  readonly secret?: string;
  /**
   * The most (ms) this store may add to one model call in all: the ledger's reads before the
   * request, the fan-out lease and the writes after the usage share it, and a store that fails
   * or doesn't answer in time is skipped for a back-off (see guard-store-failures.ts). Default
   * 500. The Redis stores take it as an option; a synchronous store (the in-memory one) never waits.
   */
  readonly timeoutMs?: number;
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

/**
 * What hashes with a store's secret: the ledger's node keys and the fan-out lease keys alike
 * (a random secret for a store that states none: then nothing it holds is shared across processes).
 */
export function storeKeyer(store: LedgerStore | undefined): Keyer {
  return createKeyer(store?.secret ?? randomSecret());
}

/** Defaults of the in-memory store. */
export const LEDGER_DEFAULTS = {
  /** Nodes kept (a node is one place a checkpoint can sit in one prompt: about 100–300 bytes). */
  maxKeys: 20_000,
  /** Approximate bytes of all nodes together (JSON length of key and node, two bytes a character). */
  maxBytes: 8 * 1024 * 1024,
} as const;

const MEMORY_STORE = Symbol('memoryLedgerStore');

/** The in-memory store's extras: size figures for tests and load checks. */
export interface MemoryLedgerStore extends LedgerStore {
  /** Bytes currently held (approximate: two bytes per character of key and JSON). */
  readonly bytes: number;
  /** Nodes currently held. */
  readonly size: number;
  readonly secret: string;
}

/** True for a store made by memoryLedgerStore: synchronous, in this process. */
export function isMemoryLedgerStore(store: LedgerStore): store is MemoryLedgerStore {
  return (store as { [MEMORY_STORE]?: true })[MEMORY_STORE] === true;
}

/**
 * The default store: a least-recently-used map (approximately: see `seq`) bounded by node
 * count and bytes, each node expiring with its own TTL. Synchronous; no timers. Its secret is random per process unless given.
 */
export function memoryLedgerStore(options: { maxKeys?: number; maxBytes?: number; now?: () => number; secret?: string } = {}): MemoryLedgerStore {
  const maxKeys = options.maxKeys ?? LEDGER_DEFAULTS.maxKeys;
  const maxBytes = options.maxBytes ?? LEDGER_DEFAULTS.maxBytes;
  const now = options.now ?? Date.now;
  const secret = options.secret ?? randomSecret();
  const entries = new Map<string, { node: LedgerNode; bytes: number; expires: number; seq: number }>();
  let bytes = 0;
  // insertion order is recency order; an entry read is moved last only when it sits in the older
  // half (an approximate LRU: a hot conversation's nodes are read on every call, without churn)
  let seq = 0;
  const remove = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    bytes -= entry.bytes;
    entries.delete(key);
  };
  const store: MemoryLedgerStore & { [MEMORY_STORE]: true } = {
    [MEMORY_STORE]: true,
    secret,
    get bytes() {
      return bytes;
    },
    get size() {
      return entries.size;
    },
    getNodes(keys) {
      const at = now();
      return keys.map((key) => {
        const entry = entries.get(key);
        if (!entry) return undefined;
        if (entry.expires <= at) {
          remove(key);
          return undefined;
        }
        if (entry.seq < seq - entries.size / 2) {
          entries.delete(key);
          entry.seq = ++seq;
          entries.set(key, entry);
        }
        return entry.node;
      });
    },
    setNodes(list) {
      const at = now();
      for (const { key, node, ttlMs } of list) {
        remove(key);
        const size = 2 * (key.length + JSON.stringify(node).length);
        entries.set(key, { node, bytes: size, expires: at + ttlMs, seq: ++seq });
        bytes += size;
      }
      for (const oldest of entries.keys()) {
        if (entries.size <= maxKeys && bytes <= maxBytes) break;
        if (entries.size === 1) break;
        remove(oldest);
      }
    },
  };
  return store;
}
