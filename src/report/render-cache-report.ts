import type { CacheLogEntry } from './cache-log-entry';
import { describeWhatIf } from './describe-what-if';
import { printable } from './printable';
import type { CacheLog } from './read-cache-log';
import type { CacheLogSummary } from './summarize-cache-log';

const WIDTH = 880;
const HEIGHT = 240;
const MARGIN = { top: 16, right: 24, bottom: 32, left: 72 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
/** Calls in the rolling hit ratio. */
const WINDOW = 20;
/** Points per drawn line and dots per chart: a day of calls still makes a light page. */
const MAX_POINTS = 1000;
/** Lines break across a pause longer than this, or than this share of the span, whichever is longer: 5 minutes is Bedrock's default TTL. */
const GAP_MS = 5 * 60_000;
const GAP_SHARE = 1 / 60;

const COLORS = { read: '#1a7f37', written: '#bc4c00', ratio: '#0969da', dot: '#0969da55', saved: '#8250df', grid: '#d0d7de', gap: '#f6f8fa', text: '#57606a' };

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Round tick intervals; the axis takes the first that gives at most `MAX_TICKS` ticks. */
const STEPS = [1, 2, 5, 10, 15, 30].map((s) => s * SECOND).concat([1, 2, 5, 10, 15, 30].map((m) => m * MINUTE), [1, 2, 3, 6, 12].map((h) => h * HOUR), [1, 2, 7, 14, 30, 61, 122, 365].map((d) => d * DAY));
const MAX_TICKS = 6;

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** Text from the log on the page: controls made visible, then HTML-escaped. */
const logText = (text: string) => escape(printable(text));
const count = (n: number) => n.toLocaleString('en-US');
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;
const usd = (n: number) => {
  const a = Math.abs(n);
  return `${n < 0 ? '−' : ''}$${a >= 100 ? a.toFixed(0) : a >= 1 ? a.toFixed(2) : a.toFixed(4)}`;
};
/** A round dollar figure on an axis: as few decimals as it needs. */
const tickUsd = (n: number) => `${n < 0 ? '−' : ''}$${+Math.abs(n).toPrecision(6)}`;
/** `2026-12-01T08:00:00.000Z` → `2026-12-01 08:00:00 UTC`. */
const when = (iso: string) => `${iso.replace('T', ' ').slice(0, 19)} UTC`;
const compact = (n: number) =>
  n >= 1e9 ? `${+(n / 1e9).toFixed(1)}G` : n >= 1e6 ? `${+(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${+(n / 1e3).toFixed(1)}k` : String(Math.round(n));
/** A coordinate; never `NaN` or `Infinity` in the SVG (a value that isn't finite is drawn on the axis). */
const coord = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '0');
const duration = (ms: number) => {
  const minutes = Math.round(ms / MINUTE);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
};

/** Ticks at a round step (1, 2, 2.5 or 5 × a power of ten) from `low` to past `high`: about five of them, the last at or above `high`. */
function niceTicks(low: number, high: number): number[] {
  const raw = (high - low) / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = Math.floor(low / step) * step; ticks.length < 12; v += step) {
    ticks.push(Math.abs(v) < step / 1e6 ? 0 : v);
    if (v >= high) break;
  }
  return ticks;
}

/** Every k-th index and the last, at most `max` of them. */
function sample(length: number, max = MAX_POINTS): number[] {
  const step = Math.max(1, Math.ceil(length / max));
  const indices: number[] = [];
  for (let i = 0; i < length; i += step) indices.push(i);
  if (indices.at(-1) !== length - 1 && length > 0) indices.push(length - 1);
  return indices;
}

/** Ticks at round UTC intervals that fit the span: seconds, minutes, hours or days. */
function timeTicks(first: number, last: number, x: (t: number) => number): Array<{ x: number; label: string }> {
  const span = last - first;
  const step = STEPS.find((s) => span / s <= MAX_TICKS) ?? STEPS.at(-1)!;
  const iso = (t: number) => new Date(t).toISOString();
  const severalDays = iso(first).slice(0, 10) !== iso(last).slice(0, 10);
  const label = (t: number, isFirst: boolean) => {
    if (step >= DAY) return iso(t).slice(5, 10);
    const clock = step < MINUTE ? iso(t).slice(11, 19) : iso(t).slice(11, 16);
    // Across midnight, the first tick and each midnight carry the date.
    return severalDays && (isFirst || t % DAY === 0) ? `${iso(t).slice(5, 10)} ${clock}` : clock;
  };
  const ticks: Array<{ x: number; label: string }> = [];
  for (let t = Math.ceil(first / step) * step; t <= last; t += step) ticks.push({ x: x(t), label: label(t, ticks.length === 0) });
  return ticks;
}

/** The x axis shared by the charts: by time (with the pauses that break lines), or by call number when every call has the same time. */
function xAxis(entries: readonly CacheLogEntry[]) {
  const times = entries.map((e) => Date.parse(e.time));
  const first = times[0] ?? 0;
  const last = times.at(-1) ?? 0;
  const span = last - first;
  if (span <= 0) {
    const x = (i: number) => MARGIN.left + (entries.length > 1 ? i / (entries.length - 1) : 0.5) * PLOT_W;
    const ticks = [...new Set([0, entries.length - 1])].map((i) => ({ x: x(i), label: `call ${i + 1}` }));
    return { x, ticks, caption: 'call', gapBefore: entries.map(() => false), gaps: [] as Array<{ from: number; to: number; label: string }> };
  }
  const xt = (t: number) => MARGIN.left + ((t - first) / span) * PLOT_W;
  const threshold = Math.max(GAP_MS, span * GAP_SHARE);
  const gapBefore = times.map((t, i) => i > 0 && t - times[i - 1]! > threshold);
  const gaps = times.flatMap((t, i) => (gapBefore[i] ? [{ from: times[i - 1]!, to: t }] : []));
  return {
    x: (i: number) => xt(times[i]!),
    ticks: timeTicks(first, last, xt),
    caption: `time (UTC); shaded: no calls for more than ${duration(threshold)}`,
    gapBefore,
    gaps: gaps.map(({ from, to }) => ({ from: xt(from), to: xt(to), label: duration(to - from) })),
  };
}
type XAxis = ReturnType<typeof xAxis>;

function frame(axis: XAxis, yTicks: Array<{ y: number; label: string }>): string {
  const bands = axis.gaps
    .map(
      (gap) =>
        `<rect x="${coord(gap.from)}" y="${MARGIN.top}" width="${coord(Math.max(1, gap.to - gap.from))}" height="${PLOT_H}" fill="${COLORS.gap}" stroke="${COLORS.grid}" stroke-dasharray="2 3"/>` +
        (gap.to - gap.from > 56 ? `<text x="${coord((gap.from + gap.to) / 2)}" y="${MARGIN.top + 14}" text-anchor="middle">idle ${escape(gap.label)}</text>` : ''),
    )
    .join('');
  const grid = yTicks
    .map(
      ({ y, label }) =>
        `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${coord(y)}" y2="${coord(y)}" stroke="${COLORS.grid}"/>` +
        `<text x="${MARGIN.left - 8}" y="${coord(y + 4)}" text-anchor="end">${escape(label)}</text>`,
    )
    .join('');
  const xs = axis.ticks
    .map(({ x, label }) => `<line x1="${coord(x)}" x2="${coord(x)}" y1="${HEIGHT - MARGIN.bottom}" y2="${HEIGHT - MARGIN.bottom + 4}" stroke="${COLORS.text}"/><text x="${coord(x)}" y="${HEIGHT - 10}" text-anchor="middle">${escape(label)}</text>`)
    .join('');
  return `${bands}${grid}${xs}<text x="${WIDTH - MARGIN.right}" y="${MARGIN.top - 4}" text-anchor="end">${escape(axis.caption)}</text>`;
}

/** A line through `value(i)`, one path per run of calls without a pause, sampled; a lone call is a dot. */
function brokenLine(axis: XAxis, length: number, value: (i: number) => number, y: (v: number) => number, color: string): string {
  const indices = new Set(sample(length));
  axis.gapBefore.forEach((gap, i) => {
    if (gap) {
      indices.add(i - 1);
      indices.add(i);
    }
  });
  const runs: number[][] = [];
  for (const i of [...indices].sort((a, b) => a - b)) {
    if (runs.length === 0 || axis.gapBefore[i]) runs.push([]);
    runs.at(-1)!.push(i);
  }
  return runs
    .map((run) => {
      const points = run.map((i) => [axis.x(i), y(value(i))] as const).filter(([px, py]) => Number.isFinite(px) && Number.isFinite(py));
      if (points.length === 0) return '';
      if (points.length === 1) return `<circle cx="${coord(points[0]![0])}" cy="${coord(points[0]![1])}" r="2" fill="${color}"/>`;
      return `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.map(([px, py]) => `${coord(px)},${coord(py)}`).join(' ')}"/>`;
    })
    .join('');
}

const svg = (title: string, body: string) =>
  `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escape(title)}" font-size="11" fill="${COLORS.text}"><title>${escape(title)}</title>${body}</svg>`;

/** Each call's hit ratio (dots) and the token-weighted ratio of the last calls (line). */
function hitRatioChart(entries: readonly CacheLogEntry[], axis: XAxis): string {
  const y = (ratio: number) => MARGIN.top + (1 - ratio) * PLOT_H;
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((r) => ({ y: y(r), label: `${r * 100}%` }));
  const dots = sample(entries.length)
    .map((i) => `<circle cx="${coord(axis.x(i))}" cy="${coord(y(entries[i]!.hitRatio))}" r="2.5" fill="${COLORS.dot}"/>`)
    .join('');
  let read = 0;
  let total = 0;
  const rolling = entries.map((entry, i) => {
    read += entry.cacheReadInputTokens;
    total += entry.totalInputTokens;
    const old = entries[i - WINDOW];
    if (old) {
      read -= old.cacheReadInputTokens;
      total -= old.totalInputTokens;
    }
    return total > 0 ? read / total : 0;
  });
  return svg('Hit ratio per call and over the last calls', frame(axis, yTicks) + dots + brokenLine(axis, entries.length, (i) => rolling[i]!, y, COLORS.ratio));
}

/** Cumulative input tokens read from and written to the cache. */
function cumulativeTokensChart(entries: readonly CacheLogEntry[], axis: XAxis): string {
  let read = 0;
  let written = 0;
  const sums = entries.map((entry) => [(read += entry.cacheReadInputTokens), (written += entry.cacheWriteInputTokens)] as const);
  const values = niceTicks(0, Math.max(1, read, written));
  const max = values.at(-1)!;
  const y = (tokens: number) => MARGIN.top + (1 - tokens / max) * PLOT_H;
  const yTicks = values.map((v) => ({ y: y(v), label: compact(v) }));
  return svg(
    'Cumulative input tokens read from and written to the cache',
    frame(axis, yTicks) +
      brokenLine(axis, entries.length, (i) => sums[i]![0], y, COLORS.read) +
      brokenLine(axis, entries.length, (i) => sums[i]![1], y, COLORS.written),
  );
}

/** Cumulative dollars saved (input cost without caching − with it) over the priced calls; below zero while writes cost more than reads saved. */
function savedChart(entries: readonly CacheLogEntry[], axis: XAxis): string {
  let saved = 0;
  const sums = entries.map((entry) => (saved += entry.savedUsd ?? 0));
  const values = niceTicks(Math.min(0, ...sums), Math.max(0.0001, ...sums));
  const low = values[0]!;
  const high = values.at(-1)!;
  const y = (v: number) => MARGIN.top + (1 - (v - low) / (high - low)) * PLOT_H;
  const yTicks = values.map((v) => ({ y: y(v), label: tickUsd(v) }));
  const zero = low < 0 ? `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${coord(y(0))}" y2="${coord(y(0))}" stroke="${COLORS.text}"/>` : '';
  return svg('Cumulative input dollars saved by caching', frame(axis, yTicks) + zero + brokenLine(axis, entries.length, (i) => sums[i]!, y, COLORS.saved));
}

/**
 * One self-contained HTML page (inline CSS and SVG, no script, no external asset): the
 * what-if, the totals, charts over time of the hit ratio, the dollars saved and the cached
 * tokens (ticks at round intervals; pauses shaded, lines broken across them), the top miss
 * reasons and the models. Text from the log is escaped; every number comes checked from
 * `readCacheLog`, whose skipped lines and values the page counts.
 */
export function renderCacheReport(log: CacheLog, summary: CacheLogSummary, { title = 'Bedrock prompt cache report' } = {}): string {
  const { entries } = log;
  const dollars = summary.dollars;
  const cards = [
    ['Calls', count(summary.calls)],
    ['Hit ratio', percent(summary.hitRatio)],
    ...(dollars
      ? [
          ['Input cost with caching', usd(dollars.costUsd)],
          ['Saved by caching', `${usd(dollars.savedUsd)}${dollars.costWithoutCacheUsd > 0 ? ` (${percent(dollars.savedUsd / dollars.costWithoutCacheUsd).replace('-', '−')})` : ''}`],
        ]
      : []),
    ['Tokens read from cache', count(summary.cacheReadInputTokens)],
    ['Tokens written to cache', count(summary.cacheWriteInputTokens)],
    ['Uncached input tokens', count(summary.uncachedInputTokens)],
  ]
    .map(([label, value]) => `<div class="card"><div class="value">${escape(value!)}</div><div class="label">${escape(label!)}</div></div>`)
    .join('');
  const whatIf = describeWhatIf(summary.whatIf, summary.calls);
  const bestOf = new Map(summary.whatIf?.models.map((m) => [m.modelId, m]));
  const rows = summary.models
    .slice(0, 10)
    .map((m) => {
      const bound = bestOf.get(m.modelId);
      const priced = entries.filter((e) => e.modelId === m.modelId && e.costUsd !== undefined);
      const cost = priced.length > 0 ? usd(priced.reduce((sum, e) => sum + e.costUsd!, 0)) : '—';
      const saved = priced.length > 0 ? usd(priced.reduce((sum, e) => sum + e.savedUsd!, 0)) : '—';
      const ratio = bound && bound.bestUsd > 0 ? `${(bound.actualUsd / bound.bestUsd).toFixed(2)}×` : '—';
      return `<tr><td>${logText(m.modelId)}</td><td>${count(m.calls)}</td><td>${percent(m.hitRatio)}</td><td>${count(m.cacheReadInputTokens)}</td><td>${count(m.cacheWriteInputTokens)}</td><td>${count(m.uncachedInputTokens)}</td><td>${cost}</td><td>${saved}</td><td>${ratio}</td></tr>`;
    })
    .join('');
  const more = summary.models.length > 10 ? `<p class="note">… and ${summary.models.length - 10} more models</p>` : '';
  const missCalls = summary.misses.reduce((sum, m) => sum + m.calls, 0);
  const misses =
    summary.misses.length === 0
      ? '<p class="note">No call read less than an earlier call left in the cache.</p>'
      : `<table class="reasons"><thead><tr><th>Reason</th><th>Calls</th><th>Share of misses</th></tr></thead><tbody>${summary.misses
          .slice(0, 8)
          .map((m) => `<tr><td>${logText(m.reason)}</td><td>${count(m.calls)}</td><td>${percent(m.calls / missCalls)}</td></tr>`)
          .join('')}</tbody></table>`;
  const recoveries =
    summary.recoveries.length === 0
      ? ''
      : `<h2>Checkpoints rejected by Bedrock</h2><ul>${summary.recoveries.map((r) => `<li>${count(r.calls)} × ${logText(r.reason)}</li>`).join('')}</ul>`;
  const skipped = [
    log.skipped > 0 && `${count(log.skipped)} line(s) that were not cache-usage entries`,
    log.skippedValues > 0 && `${count(log.skippedValues)} value(s) out of range or malformed`,
  ].filter(Boolean);
  const axis = xAxis(entries);
  const charts =
    entries.length === 0
      ? '<p>No cache usage entries.</p>'
      : `<h2>Hit ratio</h2><p class="legend"><span style="color:${COLORS.ratio}">●</span> each call &nbsp; <span style="color:${COLORS.ratio}">━</span> last ${WINDOW} calls, by tokens</p>${hitRatioChart(entries, axis)}` +
        (dollars
          ? `<h2>Dollars saved</h2><p class="legend"><span style="color:${COLORS.saved}">━</span> input cost without caching − with it, cumulative, over ${count(dollars.pricedCalls)} priced calls</p>${savedChart(entries, axis)}`
          : '') +
        `<h2>Cumulative cached tokens</h2><p class="legend"><span style="color:${COLORS.read}">━</span> read &nbsp; <span style="color:${COLORS.written}">━</span> written</p>${cumulativeTokensChart(entries, axis)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; margin: 24px auto; max-width: 920px; padding: 0 16px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 24px 0 4px; }
.period, .legend, .note { color: ${COLORS.text}; margin: 0 0 8px; }
.whatif { border-left: 4px solid ${COLORS.saved}; background: #fbf8ff; padding: 8px 12px; margin: 16px 0; }
.whatif .headline { font-size: 16px; font-weight: 600; } .whatif .detail { color: ${COLORS.text}; font-size: 12px; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 16px 0; }
.card { border: 1px solid ${COLORS.grid}; border-radius: 6px; padding: 8px 12px; min-width: 120px; }
.value { font-size: 20px; font-weight: 600; } .label { color: ${COLORS.text}; font-size: 12px; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: right; padding: 4px 8px; border-bottom: 1px solid ${COLORS.grid}; }
th:first-child, td:first-child { text-align: left; font-family: ui-monospace, monospace; font-size: 12px; word-break: break-all; }
svg { max-width: 100%; height: auto; }
</style>
</head>
<body>
<h1>${escape(title)}</h1>
<p class="period">${summary.from && summary.to ? `${escape(when(summary.from))} … ${escape(when(summary.to))}` : ''}</p>
${skipped.length > 0 ? `<p class="note">Left out of this page: ${escape(skipped.join('; '))}.</p>` : ''}
<div class="whatif"><div class="headline">What-if: ${escape(whatIf.headline)}</div><div class="detail">${escape(whatIf.detail)}</div></div>
<div class="cards">${cards}</div>
${charts}
<h2>Top miss reasons</h2>
<p class="legend">Calls that read less than an earlier call left in the cache (first calls left out).</p>
${misses}
<h2>Models</h2>
<table><thead><tr><th>Model</th><th>Calls</th><th>Hit ratio</th><th>Read</th><th>Written</th><th>Uncached</th><th>Input cost</th><th>Saved</th><th>× best</th></tr></thead><tbody>${rows}</tbody></table>
${more}
${recoveries}
</body>
</html>
`;
}
