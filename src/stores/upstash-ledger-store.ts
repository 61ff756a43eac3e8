import { createRedisLedgerStore, RELEASE_SCRIPT, throwFirstError, type RedisLedgerStore, type RedisLedgerStoreOptions } from './redis-commands';

/** One pipeline of @upstash/redis: commands queue on it, `exec()` sends them in one HTTP request. */
export interface UpstashPipeline {
  set(key: string, value: string, options: { px: number }): UpstashPipeline;
  exec(): Promise<unknown>;
}

/**
 * The commands of an `@upstash/redis` client (`new Redis({ url, token })`, `Redis.fromEnv()`)
 * the store uses, as its types declare them (v1.39: `mget(...keys)`, `set(key, value, { px, nx })`,
 * `eval(script, keys, args)`, `pipeline()`). `mget` is called with the keys spread, the form
 * every 1.x takes (later ones also take an array). Its reads parse JSON by default; the
 * store takes either form.
 */
export interface UpstashRedisClient {
  mget(...keys: string[]): Promise<unknown[]>;
  set(key: string, value: string, options: { px: number; nx: true }): Promise<unknown>;
  eval(script: string, keys: string[], args: string[]): Promise<unknown>;
  pipeline(): UpstashPipeline;
}

/**
 * A cache-ledger store in Upstash Redis (`@upstash/redis`, over HTTP: runs on Vercel's
 * Edge and Node runtimes alike), shared by every instance that uses the same database,
 * prefix and secret. A read is one MGET request, a write one pipeline request.
 *
 * @example
 * bedrockCacheMiddleware({ ledger: { store: upstashLedgerStore({ client: Redis.fromEnv(), secret: process.env.BEDROCK_CACHE_SECRET! }) } });
 */
export function upstashLedgerStore(options: RedisLedgerStoreOptions & { client: UpstashRedisClient }): RedisLedgerStore {
  const client = options?.client;
  return createRedisLedgerStore(
    'upstashLedgerStore',
    {
      mget: (keys) => client.mget(...keys),
      setEach: async (entries) => {
        const pipeline = client.pipeline();
        for (const { key, value, ttlMs } of entries) pipeline.set(key, value, { px: ttlMs });
        throwFirstError(await pipeline.exec());
      },
      // SET answers OK when it set the key, null when NX found it taken
      setIfAbsent: async (key, value, ttlMs) => (await client.set(key, value, { px: ttlMs, nx: true })) === 'OK',
      evalRelease: (key, token) => client.eval(RELEASE_SCRIPT, [key], [token]),
    },
    options,
  );
}
