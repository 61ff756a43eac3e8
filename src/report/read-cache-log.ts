import type { CacheLogEntry } from './cache-log-entry';

/** The entries of a cache-usage log, and how many lines were not entries. */
export interface CacheLog {
  /** Entries in time order. */
  entries: CacheLogEntry[];
  /** Non-blank lines that were not JSON objects with a time and token counts (a torn last line). */
  skipped: number;
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/**
 * Parses a JSON Lines cache-usage log (see `cacheUsageJsonlSink`). Tolerant: a line cut off
 * by a crash, or a line of something else, is counted in `skipped`, not fatal.
 */
export function readCacheLog(text: string): CacheLog {
  const entries: CacheLogEntry[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    const entry = value as Partial<CacheLogEntry> | null;
    if (
      typeof entry !== 'object' ||
      entry === null ||
      typeof entry.time !== 'string' ||
      Number.isNaN(Date.parse(entry.time)) ||
      !isCount(entry.cacheReadInputTokens) ||
      !isCount(entry.cacheWriteInputTokens) ||
      !isCount(entry.uncachedInputTokens)
    ) {
      skipped++;
      continue;
    }
    entries.push(entry as CacheLogEntry);
  }
  // Several processes may append to one file: order by time, keeping file order for ties.
  entries.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  return { entries, skipped };
}
