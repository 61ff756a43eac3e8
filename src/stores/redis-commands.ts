import { InvalidArgumentError } from '@ai-sdk/provider';
import { STORE_TIMEOUT_MS } from '../ledger/guard-store-failures';
import type { LedgerNode, LedgerStore } from '../ledger/ledger-store';

/** What the Redis stores need from a client, whichever client it is (see the two adapters). */
export interface RedisCommands {
  /** MGET: per key a string, `null`, or already-parsed JSON (@upstash/redis parses by default). */
  mget(keys: string[]): Promise<unknown[]>;
  /** `SET key value PX ttlMs` for each entry, all in one round trip (MULTI/EXEC or a pipeline). */
  setEach(entries: Array<{ key: string; value: string; ttlMs: number }>): Promise<unknown>;
  /** SET key value PX ttlMs NX: true when the key was set (it was absent). */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** EVAL of {@link RELEASE_SCRIPT} with one key and one argument. */
  evalRelease(key: string, token: string): Promise<unknown>;
}

/** Options shared by the Redis ledger stores. */
export interface RedisLedgerStoreOptions {
  /**
   * Required. The secret key of every hash the ledger stores (at least 16 characters), so
   * that what is in Redis (key names, nodes), in reports and in logs can't be turned back
   * into prompt text by guessing. Every instance sharing this Redis and `prefix` must use the
   * same one; a new secret starts a new, empty ledger (the old keys expire by themselves: tree
   * nodes 2 h after their last update, the system prompt's nodes and records 24 h).
   * Keep it out of your code, in an environment variable made once per app and environment:
   *
   * @example
   * // openssl rand -hex 32  →  BEDROCK_CACHE_SECRET=… in the environment of every instance
   * redisLedgerStore({ client, secret: process.env.BEDROCK_CACHE_SECRET! })
   */
  secret: string;
  /**
   * Prepended to every key the store writes. Default `'bedrock-cache:'`. Printable ASCII
   * without whitespace. On Redis Cluster (node-redis `createCluster`) it must hold a hash
   * tag, e.g. `'{bedrock-cache}:'`: one call's keys then share a slot, as MGET and MULTI need.
   */
  prefix?: string;
  /**
   * The most (ms) Redis may add to one model call in all: the ledger's reads before the
   * request, the coalescing lease and the writes after the usage share it. A store that fails
   * or doesn't answer in time is then skipped for 30 s, doubling up to 5 min until it answers
   * again, and calls go on without the ledger's history meanwhile (no added latency); one
   * log line per outage. Default 500: a judgement, far above a healthy round trip, not a
   * measured figure.
   */
  timeoutMs?: number;
}

/**
 * A Redis ledger store: a `LedgerStore` whose nodes are read with one MGET and written with
 * one pipelined round trip, with its secret, its `timeoutMs` and the fan-out lease.
 */
export interface RedisLedgerStore extends LedgerStore {
  /** The nodes at `keys` (undefined where absent, expired or not a node), in order: one MGET. */
  getNodes(keys: readonly string[]): Promise<(LedgerNode | undefined)[]>;
  /** Writes each node as JSON with its own TTL (PX): one MULTI/EXEC (node-redis) or pipeline (Upstash). */
  setNodes(entries: readonly { key: string; node: LedgerNode; ttlMs: number }[]): Promise<void>;
  /** The `secret` option (not enumerable: left out of `JSON.stringify` and `console.log`). */
  readonly secret: string;
  /** The `timeoutMs` option: the most this store may add to one call (the middleware's budget). */
  readonly timeoutMs: number;
  /** Takes the lease `key` for `ttlMs` if no one holds it (SET NX PX): true when this store now holds it. */
  acquireLease(key: string, ttlMs: number): Promise<boolean>;
  /** Gives up a lease this store holds (compare-and-delete): nothing when it expired and someone else holds it. */
  releaseLease(key: string): Promise<void>;
}

/**
 * Deletes the lease only if it still holds this holder's token: GET and DEL in one script,
 * as Redis runs a script atomically, so a lease that expired and was taken by another
 * instance in between is never deleted (the pattern of redis.io's SET page, "Patterns").
 */
export const RELEASE_SCRIPT = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/** The shortest `secret` accepted: 16 characters (of `openssl rand -hex 32`'s 64, say). */
const MIN_SECRET_LENGTH = 16;

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

/** What GET/MGET returned as JSON: parsed from a string, or as the client already parsed it. */
function readJson(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw ?? undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** A node is a JSON object; anything else (someone else's key, garbage) reads as absent. */
function readNode(raw: unknown): LedgerNode | undefined {
  const value = readJson(raw);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as LedgerNode) : undefined;
}

/** Printable ASCII except `%` and space: what a key keeps as is. */
const PLAIN_KEY = /^[\x21-\x24\x26-\x7e]*$/;
const utf8 = new TextEncoder();

/**
 * The key as Redis stores it: printable ASCII without whitespace (so `redis-cli --scan` and
 * friends list one key a line). The ledger's keys already are; any other character (and `%`)
 * is percent-encoded as UTF-8, which keeps distinct keys distinct.
 */
function redisKeyOf(key: string): string {
  if (PLAIN_KEY.test(key)) return key;
  let out = '';
  for (const char of key) {
    if (PLAIN_KEY.test(char)) out += char;
    else for (const byte of utf8.encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Redis rejects a PX that isn't a positive integer ("invalid expire time"). */
const px = (ms: number) => Math.max(1, Math.ceil(ms));

const fail = (store: string, argument: string, message: string): never => {
  throw new InvalidArgumentError({ argument, message: `${store}: option ${argument} ${message}.` });
};

/** Checks the options at construction; throws InvalidArgumentError naming the option. */
function validate(store: string, options: RedisLedgerStoreOptions & { client?: unknown }, isCluster: boolean) {
  if (typeof options !== 'object' || options === null) fail(store, 'options', 'must be an object with client and secret');
  if (typeof options.client !== 'object' || options.client === null) fail(store, 'client', 'must be a connected Redis client');
  const { secret, prefix, timeoutMs } = options;
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    // never echo the value: it is a secret
    fail(
      store,
      'secret',
      `must be a string of at least ${MIN_SECRET_LENGTH} characters, the same on every instance sharing this Redis ` +
        `(e.g. secret: process.env.BEDROCK_CACHE_SECRET, set to the output of \`openssl rand -hex 32\`); it was ${typeof secret === 'string' ? `${secret.length} characters` : typeof secret}`,
    );
  }
  if (prefix !== undefined && (typeof prefix !== 'string' || !/^[\x21-\x7e]*$/.test(prefix))) {
    fail(store, 'prefix', 'must be a string of printable ASCII characters without whitespace');
  }
  if (isCluster && !/\{[^{}]+\}/.test(prefix ?? '')) {
    fail(store, 'prefix', "must hold a hash tag on Redis Cluster (e.g. '{bedrock-cache}:'), so that one call's keys share a slot for MGET and MULTI");
  }
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0 && Number.isFinite(timeoutMs))) {
    fail(store, 'timeoutMs', 'must be a positive number of milliseconds');
  }
}

/**
 * The ledger store over any Redis client's commands. Each node is a key of its own holding
 * JSON, expiring (PX) with the TTL the ledger gives it: a read is one MGET, a write one
 * round trip of SETs. Leases are keys of their own (`<prefix>lease:<key>`) set with NX PX.
 */
export function createRedisLedgerStore(
  store: string,
  commands: RedisCommands,
  options: RedisLedgerStoreOptions & { client?: unknown },
  isCluster = false,
): RedisLedgerStore {
  validate(store, options, isCluster);
  const prefix = options.prefix ?? 'bedrock-cache:';
  const timeoutMs = options.timeoutMs ?? STORE_TIMEOUT_MS;
  const keyOf = (key: string) => prefix + redisKeyOf(key);
  /** Tokens of the leases this store took, by lease key. */
  const held = new Map<string, string>();
  const redisStore: Omit<RedisLedgerStore, 'secret'> = {
    timeoutMs,
    async getNodes(keys) {
      if (keys.length === 0) return [];
      const values = await within(timeoutMs, 'MGET', commands.mget(keys.map(keyOf)));
      return keys.map((_, i) => readNode(values[i]));
    },
    async setNodes(entries) {
      // a node that expires at once (or never: a ledger bug) isn't written
      const kept = entries.filter(({ ttlMs }) => ttlMs > 0 && Number.isFinite(ttlMs));
      if (kept.length === 0) return;
      await within(timeoutMs, 'SET (pipelined)', commands.setEach(kept.map(({ key, node, ttlMs }) => ({ key: keyOf(key), value: JSON.stringify(node), ttlMs: px(ttlMs) }))));
    },
    // A SET NX that times out may still land: the lease then lives out its ttlMs unheld.
    async acquireLease(key, ttlMs) {
      const token = newToken();
      const acquired = await within(timeoutMs, 'SET NX', commands.setIfAbsent(`${prefix}lease:${redisKeyOf(key)}`, token, px(ttlMs)));
      if (acquired) held.set(key, token);
      return acquired;
    },
    async releaseLease(key) {
      const token = held.get(key);
      if (token === undefined) return;
      held.delete(key);
      await within(timeoutMs, 'EVAL', commands.evalRelease(`${prefix}lease:${redisKeyOf(key)}`, token));
    },
  };
  // readable, but not enumerable: a store logged or serialized doesn't print the secret
  return Object.defineProperty(redisStore, 'secret', { value: options.secret, enumerable: false }) as RedisLedgerStore;
}

/** Throws the first error among pipelined replies (clients return them in place instead of rejecting). */
export function throwFirstError(replies: unknown): void {
  if (!Array.isArray(replies)) return;
  const error = replies.find((reply): reply is Error => reply instanceof Error);
  if (error) throw error;
}
