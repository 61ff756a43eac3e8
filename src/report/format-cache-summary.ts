import { describeWhatIf } from './describe-what-if';
import { printable } from './printable';
import type { CacheLogSummary } from './summarize-cache-log';

const count = (n: number) => n.toLocaleString('en-US');
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

/**
 * The plain-text summary `report` prints: calls, hit ratio, tokens read / written /
 * uncached, input dollars with and without caching (for priced models), the what-if, the
 * top models, the top miss reasons and any recoveries. Text from the log is escaped (`printable`).
 */
export function formatCacheSummary(summary: CacheLogSummary, { top = 5 }: { top?: number } = {}): string {
  if (summary.calls === 0) return 'No cache usage entries.\n';
  const lines = [
    `Calls:            ${count(summary.calls)} (${summary.from} … ${summary.to})`,
    `Hit ratio:        ${percent(summary.hitRatio)} of input tokens read from the cache`,
    `Calls with a hit: ${count(summary.callsWithHit)} of ${count(summary.calls)}; with a write: ${count(summary.callsWithWrite)}`,
    `Input tokens:     ${count(summary.totalInputTokens)} = ${count(summary.cacheReadInputTokens)} read + ${count(summary.cacheWriteInputTokens)} written + ${count(summary.uncachedInputTokens)} uncached`,
  ];
  const usd = (n: number) => `$${n.toFixed(4)}`;
  if (summary.dollars) {
    const { costUsd, costWithoutCacheUsd, savedUsd, pricedCalls } = summary.dollars;
    const share = costWithoutCacheUsd > 0 ? ` (${percent(savedUsd / costWithoutCacheUsd)})` : '';
    lines.push(`Input cost:       ${usd(costUsd)} with caching, ${usd(costWithoutCacheUsd)} without: ${usd(savedUsd)} saved${share}, over ${count(pricedCalls)} priced calls`);
  }
  const whatIf = describeWhatIf(summary.whatIf, summary.calls);
  lines.push(`What-if:          ${whatIf.headline}`, `                  ${whatIf.detail}`);
  // Model ids and reasons come from the log: escaped, so a control character can't drive the terminal.
  const models = summary.models.slice(0, top).map((m) => ({ ...m, modelId: printable(m.modelId) }));
  const width = Math.max(...models.map((m) => m.modelId.length), 'Model'.length);
  lines.push('', `${'Model'.padEnd(width)}  ${'calls'.padStart(7)}  ${'hit ratio'.padStart(9)}  ${'read'.padStart(12)}  ${'written'.padStart(12)}`);
  for (const m of models) {
    lines.push(`${m.modelId.padEnd(width)}  ${count(m.calls).padStart(7)}  ${percent(m.hitRatio).padStart(9)}  ${count(m.cacheReadInputTokens).padStart(12)}  ${count(m.cacheWriteInputTokens).padStart(12)}`);
  }
  if (summary.models.length > top) lines.push(`… and ${summary.models.length - top} more models`);
  if (summary.misses.length > 0) {
    lines.push('', 'Top miss reasons (calls that read less than an earlier call left in the cache):');
    for (const { reason, calls } of summary.misses.slice(0, top)) lines.push(`  ${count(calls)} × ${printable(reason)}`);
  }
  if (summary.recoveries.length > 0) {
    lines.push('', 'Checkpoints rejected by Bedrock (sent again without them):');
    for (const { reason, calls } of summary.recoveries) lines.push(`  ${count(calls)} × ${printable(reason)}`);
  }
  return `${lines.join('\n')}\n`;
}
