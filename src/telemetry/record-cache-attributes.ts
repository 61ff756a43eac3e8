import type { CacheUsageReport } from '../usage/read-cache-usage';

/**
 * Records a call's cache usage on the span captured by `captureActiveSpan`.
 *
 * Placeholder: a no-op until the telemetry module lands.
 */
export function recordCacheAttributes(_span: unknown, _report: CacheUsageReport): void {}
