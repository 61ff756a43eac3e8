/** Cost and table formatting for the demo (pure functions). */
import { cacheCost, modelPrices, type ModelPrices } from '../src/pricing/index.js';

/**
 * The library's prices for the demo's model (src/pricing, what `onCacheUsage` reports): the
 * demo keeps no price of its own, so a request costs the same in the demo, the benchmarks and
 * the middleware's reports (`us.` Sonnet 4.5: $3.30/M input, the regional +10%).
 */
export function demoPrices(modelId: string): ModelPrices {
  const prices = modelPrices(modelId);
  if (!prices) throw new Error(`demo: src/pricing has no price for ${modelId}`);
  return prices;
}

/** "$3.3/M input, read $0.33, 5m write $4.125, 1h write $6.6" */
export function describePrices(prices: ModelPrices): string {
  const usd = (value: number) => `$${Number(value.toFixed(6))}`;
  return (
    `${usd(prices.input)}/M input, read ${usd(prices.cacheRead)}, 5m write ${usd(prices.cacheWrite5m)}` +
    (prices.cacheWrite1h === undefined ? '' : `, 1h write ${usd(prices.cacheWrite1h)}`)
  );
}

/** One model request of the session. */
export interface RequestRow {
  request: number;
  turn: number;
  step: number;
  /** Uncached input tokens (Bedrock's `inputTokens`). */
  inputTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
  /** Of the writes, those with a 1h TTL (the rest are 5m). */
  cacheWrite1hInputTokens: number;
  totalInputTokens: number;
  outputTokens: number;
  /** Input cost with caching, USD. */
  costUsd: number;
  /** Input cost of the same tokens without caching, USD. */
  noCacheCostUsd: number;
}

/** Input cost in USD of a request with caching, and without, at `prices` (the library's `cacheCost`). */
export function inputCost(
  usage: { inputTokens: number; cacheReadInputTokens: number; cacheWriteInputTokens: number; cacheWrite1hInputTokens: number },
  prices: ModelPrices,
): { costUsd: number; noCacheCostUsd: number } {
  const cost = cacheCost(
    {
      uncachedInputTokens: usage.inputTokens,
      cacheReadInputTokens: usage.cacheReadInputTokens,
      cacheWriteInputTokens: usage.cacheWriteInputTokens,
      cacheDetails: [{ ttl: '1h', inputTokens: usage.cacheWrite1hInputTokens }],
    },
    prices,
  );
  return { costUsd: round(cost.costUsd), noCacheCostUsd: round(cost.costWithoutCacheUsd) };
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;

/** Sums of the rows, the hit ratio and the saving. */
export function totals(rows: readonly RequestRow[]) {
  const sum = (key: keyof RequestRow) => rows.reduce((acc, row) => acc + row[key], 0);
  const totalInputTokens = sum('totalInputTokens');
  const costUsd = round(sum('costUsd'));
  const noCacheCostUsd = round(sum('noCacheCostUsd'));
  return {
    requests: rows.length,
    inputTokens: sum('inputTokens'),
    cacheReadInputTokens: sum('cacheReadInputTokens'),
    cacheWriteInputTokens: sum('cacheWriteInputTokens'),
    totalInputTokens,
    outputTokens: sum('outputTokens'),
    hitRatio: totalInputTokens > 0 ? round(sum('cacheReadInputTokens') / totalInputTokens) : 0,
    costUsd,
    noCacheCostUsd,
    savedUsd: round(noCacheCostUsd - costUsd),
    savedPercent: noCacheCostUsd > 0 ? Math.round(((noCacheCostUsd - costUsd) / noCacheCostUsd) * 1000) / 10 : 0,
  };
}

/** A bar of `width` cells: █ read from cache, ▒ written, ░ uncached. */
export function cacheBar(row: Pick<RequestRow, 'cacheReadInputTokens' | 'cacheWriteInputTokens' | 'totalInputTokens'>, width = 20): string {
  if (row.totalInputTokens === 0) return ' '.repeat(width);
  const read = Math.round((row.cacheReadInputTokens / row.totalInputTokens) * width);
  const written = Math.min(width - read, Math.round((row.cacheWriteInputTokens / row.totalInputTokens) * width));
  return '█'.repeat(read) + '▒'.repeat(written) + '░'.repeat(width - read - written);
}

const int = (value: number) => value.toLocaleString('en-US');
const usd = (value: number) => `$${value.toFixed(4)}`;

/** The per-request table with a totals line. */
export function formatTable(rows: readonly RequestRow[]): string {
  const header = ['#', 'turn', 'step', 'uncached', 'cache read', 'cache write', 'input', 'cost', 'no cache', 'cached share'];
  const body = rows.map((row) => [
    String(row.request),
    String(row.turn),
    String(row.step),
    int(row.inputTokens),
    int(row.cacheReadInputTokens),
    int(row.cacheWriteInputTokens),
    int(row.totalInputTokens),
    usd(row.costUsd),
    usd(row.noCacheCostUsd),
    `${cacheBar(row)} ${String(Math.round((row.cacheReadInputTokens / Math.max(1, row.totalInputTokens)) * 100)).padStart(3)}%`,
  ]);
  const sums = totals(rows);
  const footer = [
    'total',
    '',
    '',
    int(sums.inputTokens),
    int(sums.cacheReadInputTokens),
    int(sums.cacheWriteInputTokens),
    int(sums.totalInputTokens),
    usd(sums.costUsd),
    usd(sums.noCacheCostUsd),
    `hit ratio ${(sums.hitRatio * 100).toFixed(1)}%`,
  ];
  const all = [header, ...body, footer];
  const widths = header.map((_, column) => Math.max(...all.map((line) => (line[column] ?? '').length)));
  const render = (line: string[]) =>
    line.map((cell, column) => (column === line.length - 1 ? cell : cell.padStart(widths[column] ?? 0))).join('  ');
  const rule = '─'.repeat(render(header).length);
  return [render(header), rule, ...body.map(render), rule, render(footer)].join('\n');
}
