import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CacheUsageReport } from '../usage/read-cache-usage';
import type { CacheLogEntry } from './cache-log-entry';

/** Options of {@link cacheUsageJsonlSink}. */
export interface CacheUsageJsonlSinkOptions {
  /** The clock stamped on each line (ms since the epoch). Default `Date.now`. */
  now?: () => number;
  /**
   * Called when a line can't be written (disk full, no permission). Default: one
   * `console.warn` for the first failure. The model call is never failed by it.
   */
  onError?: (error: unknown) => void;
}

/**
 * An `onCacheUsage` handler that appends each report to a JSON Lines file, one line per
 * model call with its time: token counts, model id, checkpoint counts, never prompt text.
 * `npx ai-sdk-bedrock-cache report` reads the file. Node only (node:fs); each line is one
 * synchronous append, so lines are whole and in order even when several processes share a file.
 *
 * @example
 * import { cacheUsageJsonlSink } from 'ai-sdk-bedrock-cache/node';
 * bedrockCacheMiddleware({ onCacheUsage: cacheUsageJsonlSink('logs/cache.jsonl') });
 */
export function cacheUsageJsonlSink(path: string, options: CacheUsageJsonlSinkOptions = {}): (report: CacheUsageReport) => void {
  const now = options.now ?? Date.now;
  let warned = false;
  const onError =
    options.onError ??
    ((error: unknown) => {
      if (warned) return;
      warned = true;
      console.warn(`ai-sdk-bedrock-cache: could not write cache usage to ${path} (${error instanceof Error ? error.message : String(error)}); further failures are not reported.`);
    });
  let dirReady = false;
  return (report) => {
    try {
      if (!dirReady) {
        mkdirSync(dirname(path), { recursive: true });
        dirReady = true;
      }
      const entry: CacheLogEntry = { time: new Date(now()).toISOString(), ...report };
      // One write per line (O_APPEND): a line is never interleaved with another process's.
      appendFileSync(path, `${JSON.stringify(entry)}\n`);
    } catch (error) {
      onError(error);
    }
  };
}
