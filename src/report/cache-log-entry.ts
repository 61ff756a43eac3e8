import type { CacheUsageReport } from '../usage/read-cache-usage';

/** One line of a cache-usage log: an `onCacheUsage` report and when it arrived (ISO 8601). */
export type CacheLogEntry = CacheUsageReport & { time: string };
