import type { LedgerStore } from '../ledger/ledger-store';
import { createRedisLedgerStore, RELEASE_SCRIPT, type RedisLedgerStoreOptions } from './redis-commands';

/**
 * The commands of an `@upstash/redis` client (`new Redis({ url, token })`, `Redis.fromEnv()`)
 * the store uses, as its types declare them (v1.39: `set(key, value, { px, nx })`,
 * `eval(script, keys, args)`). Its GET parses JSON by default; the store takes either form.
 */
export interface UpstashRedisClient {
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options: { px: number; nx: true } | { px: number }): Promise<unknown>;
  eval(script: string, keys: string[], args: string[]): Promise<unknown>;
}

/**
 * A cache-ledger store in Upstash Redis (`@upstash/redis`, over HTTP: runs on Vercel's
 * Edge and Node runtimes alike), shared by every instance that uses the same database and prefix.
 *
 * @example
 * bedrockCacheMiddleware({ ledger: { store: upstashLedgerStore({ client: Redis.fromEnv() }) } });
 */
export function upstashLedgerStore(options: RedisLedgerStoreOptions & { client: UpstashRedisClient }): Required<LedgerStore> {
  const { client } = options;
  return createRedisLedgerStore(
    {
      get: (key) => client.get(key),
      // SET answers OK when it set the key, null when NX found it taken
      set: async (key, value, ttlMs, onlyIfAbsent) => (await client.set(key, value, onlyIfAbsent ? { px: ttlMs, nx: true } : { px: ttlMs })) === 'OK',
      evalRelease: (key, token) => client.eval(RELEASE_SCRIPT, [key], [token]),
    },
    options,
  );
}
