import type { CacheUsageReport } from '../usage/read-cache-usage';

/** One line of a cache-usage log: an `onCacheUsage` report and when it arrived (ISO 8601). */
export type CacheLogEntry = CacheUsageReport & {
  time: string;
  /**
   * The prompt's boundaries where a checkpoint can sit, in prompt order: keyed node ids and
   * cumulative input tokens (same length). The ledger logs it; the report's what-if reads it.
   */
  prefix?: { nodes: string[]; tokens: number[] };
};
