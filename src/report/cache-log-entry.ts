import type { CacheUsageReport } from '../usage/read-cache-usage';
import type { BedrockCacheReport } from './bedrock-cache-report';

/**
 * One line of a cache-usage log: an `onCacheUsage` report and when it arrived (ISO 8601),
 * with the report's `prefix` (the ledger logs it; the report's what-if reads it).
 */
export type CacheLogEntry = CacheUsageReport & Pick<BedrockCacheReport, 'prefix'> & { time: string };
