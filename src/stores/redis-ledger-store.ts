import { createRedisLedgerStore, RELEASE_SCRIPT, throwFirstError, type RedisLedgerStore, type RedisLedgerStoreOptions } from './redis-commands';

/** One MULTI of node-redis: commands queue on it, `exec()` sends them in one round trip. */
export interface NodeRedisMulti {
  set(key: string, value: string, options: { PX: number }): NodeRedisMulti;
  exec(): Promise<unknown>;
}

/**
 * The commands of a node-redis client (`redis` v4, v5 and v6: `createClient()`,
 * `createCluster()`) the store uses. `PX`/`NX` are the option names all three accept
 * (v5 and v6 also take `expiration`/`condition`, v4 doesn't); `mGet(keys)` and
 * `multi().set(…).exec()` are the same in all three.
 */
export interface NodeRedisClient {
  mGet(keys: string[]): Promise<unknown[]>;
  set(key: string, value: string, options: { PX: number; NX: true }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  multi(): NodeRedisMulti;
}

/** node-redis's cluster client has these; a plain client doesn't. */
const isCluster = (client: object) => 'masters' in client && 'slots' in client;

/**
 * A cache-ledger store in Redis through node-redis (`redis` on npm), shared by every
 * instance that uses the same server, prefix and secret. The client is yours: connect it
 * first; the store never opens or closes it. A read is one MGET, a write one MULTI/EXEC.
 *
 * @example
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * bedrockCacheMiddleware({ ledger: { store: redisLedgerStore({ client, secret: process.env.BEDROCK_CACHE_SECRET! }) } });
 */
export function redisLedgerStore(options: RedisLedgerStoreOptions & { client: NodeRedisClient }): RedisLedgerStore {
  const client = options?.client;
  return createRedisLedgerStore(
    'redisLedgerStore',
    {
      mget: (keys) => client.mGet(keys),
      setEach: async (entries) => {
        const multi = client.multi();
        for (const { key, value, ttlMs } of entries) multi.set(key, value, { PX: ttlMs });
        throwFirstError(await multi.exec());
      },
      // SET answers OK when it set the key, null when NX found it taken
      setIfAbsent: async (key, value, ttlMs) => (await client.set(key, value, { PX: ttlMs, NX: true })) === 'OK',
      evalRelease: (key, token) => client.eval(RELEASE_SCRIPT, { keys: [key], arguments: [token] }),
    },
    options,
    typeof client === 'object' && client !== null && isCluster(client),
  );
}
