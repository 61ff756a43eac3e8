import type { LedgerStore } from '../ledger/ledger-store';
import { createRedisLedgerStore, RELEASE_SCRIPT, type RedisLedgerStoreOptions } from './redis-commands';

/**
 * The commands of a node-redis client (`redis` v4, v5 and v6: `createClient()`,
 * `createCluster()`) the store uses. `PX`/`NX` are the option names all three accept
 * (v5 and v6 also take `expiration`/`condition`, v4 doesn't).
 */
export interface NodeRedisClient {
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options: { PX: number; NX: true } | { PX: number }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/**
 * A cache-ledger store in Redis through node-redis (`redis` on npm), shared by every
 * instance that uses the same server and prefix. The client is yours: connect it first;
 * the store never opens or closes it.
 *
 * @example
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * bedrockCacheMiddleware({ ledger: { store: redisLedgerStore({ client }) } });
 */
export function redisLedgerStore(options: RedisLedgerStoreOptions & { client: NodeRedisClient }): Required<LedgerStore> {
  const { client } = options;
  return createRedisLedgerStore(
    {
      get: (key) => client.get(key),
      // SET answers OK when it set the key, null when NX found it taken
      set: async (key, value, ttlMs, onlyIfAbsent) => (await client.set(key, value, onlyIfAbsent ? { PX: ttlMs, NX: true } : { PX: ttlMs })) === 'OK',
      evalRelease: (key, token) => client.eval(RELEASE_SCRIPT, { keys: [key], arguments: [token] }),
    },
    options,
  );
}
