import { LEDGER_DEFAULTS, type LedgerRecord, type LedgerStore } from '../ledger/ledger-store';

/** What the Redis stores need from a client, whichever client it is (see the two adapters). */
export interface RedisCommands {
  /** GET: a string, `null`, or already-parsed JSON (@upstash/redis parses by default). */
  get(key: string): Promise<unknown>;
  /** SET key value PX ttlMs [NX]: true when the key was set. */
  set(key: string, value: string, ttlMs: number, onlyIfAbsent: boolean): Promise<boolean>;
  /** EVAL of {@link RELEASE_SCRIPT} with one key and one argument. */
  evalRelease(key: string, token: string): Promise<unknown>;
}

/** Options shared by the Redis ledger stores. */
export interface RedisLedgerStoreOptions {
  /** Prepended to every key the store writes. Default `'bedrock-cache:'`. */
  prefix?: string;
  /** The most recent records kept per prompt group. Default 32, as the in-memory store. */
  maxRecordsPerKey?: number;
  /**
   * How long (ms) a command may take before the store gives up on it and rejects, so a Redis
   * that is down or slow (a client queueing commands while it reconnects, retries with
   * backoff) delays a model call by at most this much: the ledger then goes on without its
   * history. Default 500: a judgement, far above a healthy round trip, not a measured figure.
   */
  timeoutMs?: number;
}

/**
 * Deletes the lease only if it still holds this holder's token: GET and DEL in one script,
 * as Redis runs a script atomically, so a lease that expired and was taken by another
 * instance in between is never deleted (the pattern of redis.io's SET page, "Patterns").
 */
export const RELEASE_SCRIPT = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/** A lease holder's token: unique enough to tell holders apart (not a secret). */
const newToken = () => globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

/** `work`, or a rejection once `ms` have passed (the command itself may still complete later). */
async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis ${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Records from what GET returned: a JSON string, or an array when the client parsed it. Anything else is no history. */
function readRecords(raw: unknown): LedgerRecord[] | undefined {
  if (raw === null || raw === undefined) return undefined;
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  return Array.isArray(value) ? (value as LedgerRecord[]) : undefined;
}

/**
 * The ledger store over any Redis client's commands: one key per prompt group holding its
 * most recent records as JSON, expiring (PX) with the TTL the ledger gives; leases are keys
 * of their own (`<prefix>lease:<key>`) set with NX PX. Each SET replaces the whole list: when
 * two instances settle calls of one group at the same moment the later write wins and the
 * other's record is lost (the ledger re-reads just before it writes, so only near-simultaneous
 * settles race); a lost record costs an explanation, never a call.
 */
export function createRedisLedgerStore(commands: RedisCommands, options: RedisLedgerStoreOptions = {}): Required<LedgerStore> {
  const prefix = options.prefix ?? 'bedrock-cache:';
  const maxRecords = options.maxRecordsPerKey ?? LEDGER_DEFAULTS.maxRecordsPerKey;
  // Redis rejects a PX that isn't a positive integer ("invalid expire time")
  const px = (ms: number) => Math.max(1, Math.ceil(ms));
  const timeoutMs = options.timeoutMs ?? 500;
  /** Tokens of the leases this store took, by lease key. */
  const held = new Map<string, string>();
  return {
    async get(key) {
      return readRecords(await within(timeoutMs, 'GET', commands.get(prefix + key)));
    },
    async set(key, records, ttlMs) {
      await within(timeoutMs, 'SET', commands.set(prefix + key, JSON.stringify(records.slice(-maxRecords)), px(ttlMs), false));
    },
    // A SET NX that times out may still land: the lease then lives out its ttlMs unheld.
    async acquireLease(key, ttlMs) {
      const token = newToken();
      const acquired = await within(timeoutMs, 'SET NX', commands.set(`${prefix}lease:${key}`, token, px(ttlMs), true));
      if (acquired) held.set(key, token);
      return acquired;
    },
    async releaseLease(key) {
      const token = held.get(key);
      if (token === undefined) return;
      held.delete(key);
      await within(timeoutMs, 'EVAL', commands.evalRelease(`${prefix}lease:${key}`, token));
    },
  };
}
