import type { CacheLogEntry } from './cache-log-entry';
import type { CacheLogSummary } from './summarize-cache-log';

const WIDTH = 880;
const HEIGHT = 240;
const MARGIN = { top: 16, right: 24, bottom: 32, left: 64 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
/** Calls in the rolling hit ratio. */
const WINDOW = 20;
/** Points per drawn line and dots per chart: a day of calls still makes a light page. */
const MAX_POINTS = 1000;

const COLORS = { read: '#1a7f37', written: '#bc4c00', ratio: '#0969da', dot: '#0969da55', grid: '#d0d7de', text: '#57606a' };

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const count = (n: number) => n.toLocaleString('en-US');
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;
/** `2026-12-01T08:00:00.000Z` → `2026-12-01 08:00:00 UTC`. */
const when = (iso: string) => `${iso.replace('T', ' ').slice(0, 19)} UTC`;
const compact = (n: number) =>
  n >= 1e9 ? `${+(n / 1e9).toFixed(1)}G` : n >= 1e6 ? `${+(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${+(n / 1e3).toFixed(1)}k` : String(Math.round(n));

/** Every k-th index and the last, at most `max` of them. */
function sample(length: number, max = MAX_POINTS): number[] {
  const step = Math.max(1, Math.ceil(length / max));
  const indices: number[] = [];
  for (let i = 0; i < length; i += step) indices.push(i);
  if (indices.at(-1) !== length - 1 && length > 0) indices.push(length - 1);
  return indices;
}

/** x positions: by time, or by call number when every call has the same time. */
function xScale(entries: readonly CacheLogEntry[]) {
  const times = entries.map((e) => Date.parse(e.time));
  const first = times[0] ?? 0;
  const span = (times.at(-1) ?? 0) - first;
  const byTime = span > 0;
  const x = (i: number) => MARGIN.left + (byTime ? (times[i]! - first) / span : entries.length > 1 ? i / (entries.length - 1) : 0.5) * PLOT_W;
  const ticks: Array<{ x: number; label: string }> = [];
  if (byTime) {
    // UTC, so the page reads the same wherever it is opened.
    const iso = (t: number) => new Date(t).toISOString();
    const label = span < 86_400_000 ? (t: number) => iso(t).slice(11, 16) : (t: number) => `${iso(t).slice(5, 10)} ${iso(t).slice(11, 16)}`;
    for (let k = 0; k <= 4; k++) ticks.push({ x: MARGIN.left + (k / 4) * PLOT_W, label: label(first + (k / 4) * span) });
  } else {
    for (const i of [...new Set([0, entries.length - 1])]) ticks.push({ x: x(i), label: `call ${i + 1}` });
  }
  return { x, ticks, caption: byTime ? 'time (UTC)' : 'call' };
}

function frame(yTicks: Array<{ y: number; label: string }>, xTicks: Array<{ x: number; label: string }>, caption: string): string {
  const grid = yTicks
    .map(
      ({ y, label }) =>
        `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="${COLORS.grid}"/>` +
        `<text x="${MARGIN.left - 8}" y="${(y + 4).toFixed(1)}" text-anchor="end">${escape(label)}</text>`,
    )
    .join('');
  const xs = xTicks.map(({ x, label }) => `<text x="${x.toFixed(1)}" y="${HEIGHT - 10}" text-anchor="middle">${escape(label)}</text>`).join('');
  return `${grid}${xs}<text x="${WIDTH - MARGIN.right}" y="${MARGIN.top - 4}" text-anchor="end">${escape(caption)}</text>`;
}

const polyline = (points: Array<[number, number]>, color: string) =>
  `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}"/>`;

const svg = (title: string, body: string) =>
  `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escape(title)}" font-size="11" fill="${COLORS.text}"><title>${escape(title)}</title>${body}</svg>`;

/** Each call's hit ratio (dots) and the token-weighted ratio of the last calls (line). */
function hitRatioChart(entries: readonly CacheLogEntry[]): string {
  const { x, ticks, caption } = xScale(entries);
  const y = (ratio: number) => MARGIN.top + (1 - ratio) * PLOT_H;
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((r) => ({ y: y(r), label: `${r * 100}%` }));
  const dots = sample(entries.length)
    .map((i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(entries[i]!.hitRatio).toFixed(1)}" r="2.5" fill="${COLORS.dot}"/>`)
    .join('');
  let read = 0;
  let total = 0;
  const rolling = entries.map((entry, i) => {
    read += entry.cacheReadInputTokens;
    total += entry.cacheReadInputTokens + entry.cacheWriteInputTokens + entry.uncachedInputTokens;
    const old = entries[i - WINDOW];
    if (old) {
      read -= old.cacheReadInputTokens;
      total -= old.cacheReadInputTokens + old.cacheWriteInputTokens + old.uncachedInputTokens;
    }
    return total > 0 ? read / total : 0;
  });
  const line = polyline(sample(entries.length).map((i) => [x(i), y(rolling[i]!)]), COLORS.ratio);
  return svg('Hit ratio per call and over the last calls', frame(yTicks, ticks, caption) + dots + line);
}

/** Cumulative input tokens read from and written to the cache. */
function cumulativeChart(entries: readonly CacheLogEntry[]): string {
  const { x, ticks, caption } = xScale(entries);
  let read = 0;
  let written = 0;
  const sums = entries.map((entry) => [(read += entry.cacheReadInputTokens), (written += entry.cacheWriteInputTokens)] as const);
  const max = Math.max(1, read, written);
  const y = (tokens: number) => MARGIN.top + (1 - tokens / max) * PLOT_H;
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => ({ y: y(f * max), label: compact(f * max) }));
  const indices = sample(entries.length);
  return svg(
    'Cumulative input tokens read from and written to the cache',
    frame(yTicks, ticks, caption) +
      polyline(indices.map((i) => [x(i), y(sums[i]![0])]), COLORS.read) +
      polyline(indices.map((i) => [x(i), y(sums[i]![1])]), COLORS.written),
  );
}

/**
 * One self-contained HTML page (inline CSS and SVG, no script, no external asset) with the
 * summary, a chart of the hit ratio over time and one of the cumulative cached tokens.
 */
export function renderCacheReport(entries: readonly CacheLogEntry[], summary: CacheLogSummary, { title = 'Bedrock prompt cache report' } = {}): string {
  const cards = [
    ['Calls', count(summary.calls)],
    ['Hit ratio', percent(summary.hitRatio)],
    ['Tokens read from cache', count(summary.cacheReadInputTokens)],
    ['Tokens written to cache', count(summary.cacheWriteInputTokens)],
    ['Uncached input tokens', count(summary.uncachedInputTokens)],
  ]
    .map(([label, value]) => `<div class="card"><div class="value">${escape(value!)}</div><div class="label">${escape(label!)}</div></div>`)
    .join('');
  const rows = summary.models
    .slice(0, 10)
    .map(
      (m) =>
        `<tr><td>${escape(m.modelId)}</td><td>${count(m.calls)}</td><td>${percent(m.hitRatio)}</td><td>${count(m.cacheReadInputTokens)}</td><td>${count(m.cacheWriteInputTokens)}</td><td>${count(m.uncachedInputTokens)}</td></tr>`,
    )
    .join('');
  const recoveries =
    summary.recoveries.length === 0
      ? ''
      : `<h2>Checkpoints rejected by Bedrock</h2><ul>${summary.recoveries.map((r) => `<li>${count(r.calls)} × ${escape(r.reason)}</li>`).join('')}</ul>`;
  const charts =
    entries.length === 0
      ? '<p>No cache usage entries.</p>'
      : `<h2>Hit ratio</h2><p class="legend"><span style="color:${COLORS.ratio}">●</span> each call &nbsp; <span style="color:${COLORS.ratio}">━</span> last ${WINDOW} calls, by tokens</p>${hitRatioChart(entries)}` +
        `<h2>Cumulative cached tokens</h2><p class="legend"><span style="color:${COLORS.read}">━</span> read &nbsp; <span style="color:${COLORS.written}">━</span> written</p>${cumulativeChart(entries)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; margin: 24px auto; max-width: 920px; padding: 0 16px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 24px 0 4px; }
.period, .legend { color: ${COLORS.text}; margin: 0 0 8px; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 16px 0; }
.card { border: 1px solid ${COLORS.grid}; border-radius: 6px; padding: 8px 12px; min-width: 140px; }
.value { font-size: 20px; font-weight: 600; } .label { color: ${COLORS.text}; font-size: 12px; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: right; padding: 4px 8px; border-bottom: 1px solid ${COLORS.grid}; }
th:first-child, td:first-child { text-align: left; font-family: ui-monospace, monospace; font-size: 12px; }
svg { max-width: 100%; height: auto; }
</style>
</head>
<body>
<h1>${escape(title)}</h1>
<p class="period">${summary.from && summary.to ? `${escape(when(summary.from))} … ${escape(when(summary.to))}` : ''}</p>
<div class="cards">${cards}</div>
${charts}
<h2>Models</h2>
<table><thead><tr><th>Model</th><th>Calls</th><th>Hit ratio</th><th>Read</th><th>Written</th><th>Uncached</th></tr></thead><tbody>${rows}</tbody></table>
${recoveries}
</body>
</html>
`;
}
