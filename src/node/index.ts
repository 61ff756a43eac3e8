/**
 * `ai-sdk-bedrock-cache/node`: helpers that need Node built-ins, kept out of the edge-safe
 * core entry.
 */
export { cacheUsageJsonlSink, type CacheUsageJsonlSinkOptions } from '../report/cache-usage-jsonl-sink';
export type { CacheLogEntry } from '../report/cache-log-entry';
