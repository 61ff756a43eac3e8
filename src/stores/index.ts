/**
 * `ai-sdk-bedrock-cache/redis`: cache-ledger stores in Redis, so a fleet of instances
 * (serverless functions) shares one ledger. No Node built-in and no dependency: the Redis
 * client is the app's own (node-redis or @upstash/redis, optional peers).
 */
export { redisLedgerStore, type NodeRedisClient, type NodeRedisMulti } from './redis-ledger-store';
export { upstashLedgerStore, type UpstashRedisClient, type UpstashPipeline } from './upstash-ledger-store';
export type { RedisLedgerStore, RedisLedgerStoreOptions } from './redis-commands';
export type { LedgerNode, LedgerStore } from '../ledger/ledger-store';
