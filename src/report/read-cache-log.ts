import type { CacheLogEntry } from './cache-log-entry';

/** The entries of a cache-usage log, and what in it was left out. */
export interface CacheLog {
  /** Entries in time order, every number in them checked (see `readCacheLog`). */
  entries: CacheLogEntry[];
  /** Non-blank lines that were not entries: not a JSON object, no valid time, a token count missing or out of range (a torn last line, another program's line). */
  skipped: number;
  /** Values of otherwise good entries that were left out: a cost that is negative or not finite, a malformed `cacheDetails` item, `cacheMiss` or `prefix`. */
  skippedValues: number;
}

/**
 * Most input tokens one call can have. Bedrock's largest context is a few million tokens; a
 * count far above it is corrupt, and summing such counts (1e308) would reach Infinity.
 */
const MAX_TOKENS = 1e9;
/** Most dollars one call's input can cost (a million tokens at Opus prices is about $15). */
const MAX_USD = 1e6;

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_TOKENS;
const isUsd = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_USD;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Parses a JSON Lines cache-usage log (see `cacheUsageJsonlSink`). Tolerant: a line cut off
 * by a crash, or a line of something else, is counted in `skipped`, not fatal; a bad value
 * in a good line is dropped and counted in `skippedValues`. Every entry comes out rebuilt
 * from checked fields: token counts between 0 and 1e9, the total and hit ratio recomputed,
 * costs finite and not negative (`savedUsd` recomputed), the time in canonical ISO form.
 */
export function readCacheLog(text: string): CacheLog {
  const entries: Array<{ at: number; entry: CacheLogEntry }> = [];
  let skipped = 0;
  let skippedValues = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    const at = isObject(value) && typeof value.time === 'string' ? Date.parse(value.time) : NaN;
    if (
      !isObject(value) ||
      !Number.isFinite(at) ||
      !isCount(value.cacheReadInputTokens) ||
      !isCount(value.cacheWriteInputTokens) ||
      !isCount(value.uncachedInputTokens)
    ) {
      skipped++;
      continue;
    }
    const { entry, dropped } = checkedEntry(value, at);
    skippedValues += dropped;
    entries.push({ at, entry });
  }
  // Several processes may append to one file: order by time, keeping file order for ties.
  entries.sort((a, b) => a.at - b.at);
  return { entries: entries.map(({ entry }) => entry), skipped, skippedValues };
}

/** An entry rebuilt from the checked fields of a line whose time and token counts are valid. */
function checkedEntry(line: Record<string, unknown>, at: number): { entry: CacheLogEntry; dropped: number } {
  let dropped = 0;
  const read = line.cacheReadInputTokens as number;
  const write = line.cacheWriteInputTokens as number;
  const uncached = line.uncachedInputTokens as number;
  const total = read + write + uncached;
  const entry: CacheLogEntry = {
    time: new Date(at).toISOString(),
    modelId: typeof line.modelId === 'string' ? line.modelId : '(unknown)',
    callType: line.callType === 'stream' ? 'stream' : 'generate',
    cacheReadInputTokens: read,
    cacheWriteInputTokens: write,
    uncachedInputTokens: uncached,
    totalInputTokens: total,
    hitRatio: total > 0 ? read / total : 0,
    cacheDetails: undefined,
    checkpoints: isObject(line.checkpoints) && isCount(line.checkpoints.added) && isCount(line.checkpoints.existing)
      ? { added: line.checkpoints.added, existing: line.checkpoints.existing }
      : { added: 0, existing: 0 },
  };
  if (Array.isArray(line.cacheDetails)) {
    const details = line.cacheDetails.filter((d): d is { ttl: string; inputTokens: number } => isObject(d) && typeof d.ttl === 'string' && isCount(d.inputTokens));
    dropped += line.cacheDetails.length - details.length;
    entry.cacheDetails = details.map(({ ttl, inputTokens }) => ({ ttl, inputTokens }));
  }
  if (line.costUsd !== undefined || line.costWithoutCacheUsd !== undefined) {
    if (isUsd(line.costUsd) && isUsd(line.costWithoutCacheUsd)) {
      entry.costUsd = line.costUsd;
      entry.costWithoutCacheUsd = line.costWithoutCacheUsd;
      entry.savedUsd = line.costWithoutCacheUsd - line.costUsd;
    } else dropped++;
  }
  if (line.cacheMiss !== undefined) {
    const miss = line.cacheMiss;
    if (isObject(miss) && typeof miss.reason === 'string') entry.cacheMiss = { ...(miss as unknown as NonNullable<CacheLogEntry['cacheMiss']>) };
    else dropped++;
  }
  if (typeof line.recoveredFrom === 'string') entry.recoveredFrom = line.recoveredFrom;
  if (line.prefix !== undefined) {
    const prefix = checkedPrefix(line.prefix, total);
    if (prefix) entry.prefix = prefix;
    else dropped++;
  }
  return { entry, dropped };
}

/** C4's prefix path: node ids (strings) and cumulative tokens (counts, never decreasing), same length. */
function checkedPrefix(value: unknown, total: number): CacheLogEntry['prefix'] {
  if (!isObject(value) || !Array.isArray(value.nodes) || !Array.isArray(value.tokens)) return undefined;
  const { nodes, tokens } = value as { nodes: unknown[]; tokens: unknown[] };
  if (nodes.length !== tokens.length || !nodes.every((node) => typeof node === 'string')) return undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!isCount(t) || (i > 0 && t < (tokens[i - 1] as number))) return undefined;
  }
  // Estimates, scaled to Bedrock's total when the ledger knew it; when they overshoot it, scale them down to it.
  const last = (tokens.at(-1) as number | undefined) ?? 0;
  const scale = last > total ? total / last : 1;
  return { nodes: [...(nodes as string[])], tokens: (tokens as number[]).map((t) => Math.min(total, Math.round(t * scale))) };
}
