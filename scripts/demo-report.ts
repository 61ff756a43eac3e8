/** Cost and table formatting for the demo (pure functions). */

/** USD per million input tokens and multipliers for Claude Sonnet 4.5 (shared doc §4). */
export const SONNET_45_PRICES = { inputPerMillion: 3, read: 0.1, write5m: 1.25, write1h: 2 } as const;

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

/** Input cost in USD of a request with caching, and without. */
export function inputCost(
  usage: { inputTokens: number; cacheReadInputTokens: number; cacheWriteInputTokens: number; cacheWrite1hInputTokens: number },
  prices = SONNET_45_PRICES,
): { costUsd: number; noCacheCostUsd: number } {
  const perToken = prices.inputPerMillion / 1_000_000;
  const write5m = usage.cacheWriteInputTokens - usage.cacheWrite1hInputTokens;
  const costUsd =
    perToken *
    (usage.inputTokens +
      usage.cacheReadInputTokens * prices.read +
      write5m * prices.write5m +
      usage.cacheWrite1hInputTokens * prices.write1h);
  const noCacheCostUsd = perToken * (usage.inputTokens + usage.cacheReadInputTokens + usage.cacheWriteInputTokens);
  return { costUsd: round(costUsd), noCacheCostUsd: round(noCacheCostUsd) };
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
