/** Turns measured results into the tables, the JSON summary and the SVG chart. */
import { MULTIPLIERS } from './pricing';
import { SERIES, type SeriesKey, type WorkloadResult } from './measure';
import type { Workload } from './workloads';

export const SERIES_LABEL: Record<SeriesKey, string> = {
  none: 'no caching',
  lastMessage: 'last message only',
  langchain: "LangChain's placement",
  ours: 'bedrockCacheMiddleware (ours)',
  lowerBound: 'lower bound',
};

const MODEL_NAME: Record<string, string> = {
  'us.anthropic.claude-sonnet-4-5-20250929-v1:0': 'Claude Sonnet 4.5',
  'global.anthropic.claude-haiku-4-5-20251001-v1:0': 'Claude Haiku 4.5',
  'us.amazon.nova-pro-v1:0': 'Nova Pro',
};

/** A LangChain placement "misses" where it costs this much more than the lower bound. */
export const MISS_THRESHOLD = 1.05;

const usd = (value: number) => value.toFixed(4);
const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
const ratio = (value: number) => (Number.isFinite(value) ? value.toFixed(3) : '—');
const int = (value: number) => value.toLocaleString('en-US');

const modelLine = (w: Workload, result: WorkloadResult) =>
  `${MODEL_NAME[w.modelId] ?? w.modelId} · ${w.api === 'converse' ? 'Converse' : 'InvokeModel'} · ttl ${w.ttl} · ${result.requests} requests · ${int(result.series.none.inputTokens)} input tokens`;

/** The per-workload table, in Markdown. */
export function workloadTable(result: WorkloadResult): string {
  const { workload: w, series } = result;
  const lines = [
    `#### ${w.name}: ${w.title}`,
    '',
    modelLine(w, result),
    '',
    '| strategy | cost (USD) | vs no caching | cached share of input | hit ratio | × lower bound |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const key of SERIES) {
    const s = series[key];
    const vsNone = key === 'none' ? '—' : `${s.cost <= series.none.cost ? '−' : '+'}${pct(Math.abs(1 - s.cost / series.none.cost))}`;
    const hits = Math.round(s.hitRatio * (result.requests - 1));
    lines.push(
      `| ${SERIES_LABEL[key]} | ${usd(s.cost)} | ${vsNone} | ${pct(s.cachedShare)} | ${hits}/${result.requests - 1} | ${ratio(s.cost / series.lowerBound.cost)} |`,
    );
  }
  return lines.join('\n');
}

export interface TargetCheck {
  name: string;
  met: boolean;
  detail: string;
}

export interface SuiteSummary {
  cost: Record<SeriesKey, number>;
  oursToLowerBound: number;
  targets: TargetCheck[];
}

export function summarizeSuite(results: readonly WorkloadResult[]): SuiteSummary {
  const cost = Object.fromEntries(SERIES.map((key) => [key, results.reduce((sum, r) => sum + r.series[key].cost, 0)])) as Record<SeriesKey, number>;
  const oursToLowerBound = cost.ours / cost.lowerBound;
  const notAbove = results.filter((r) => r.series.ours.cost > r.series.langchain.cost * (1 + 1e-9));
  const misses = results.filter((r) => r.series.langchain.cost >= r.series.lowerBound.cost * MISS_THRESHOLD);
  const missed = misses.filter((r) => r.series.ours.cost > r.series.langchain.cost * 0.95);
  const describe = (r: WorkloadResult) => `${r.workload.name} −${pct(1 - r.series.ours.cost / r.series.langchain.cost)}`;
  return {
    cost,
    oursToLowerBound,
    targets: [
      {
        name: "ours costs no more than LangChain's placement on every workload",
        met: notAbove.length === 0,
        detail: notAbove.length === 0 ? 'on all workloads' : `more on ${notAbove.map((r) => r.workload.name).join(', ')}`,
      },
      {
        name: `ours ≥ 5% cheaper where LangChain's placement misses (costs ≥ ${MISS_THRESHOLD}× the lower bound)`,
        met: missed.length === 0,
        detail: misses.length === 0 ? 'LangChain misses on no workload' : misses.map(describe).join(', '),
      },
      {
        name: 'ours within 10% of the lower bound over the whole suite (goal 3%)',
        met: oursToLowerBound <= 1.1,
        detail: `${ratio(oursToLowerBound)}× (${oursToLowerBound <= 1.03 ? 'goal met' : 'goal missed'})`,
      },
    ],
  };
}

export function suiteTable(results: readonly WorkloadResult[], summary: SuiteSummary): string {
  const lines = [
    '| workload | model | none | last message | LangChain | ours | lower bound | ours vs LangChain | ours ÷ lower bound |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const row = (name: string, model: string, cost: Record<SeriesKey, number>) => {
    const vs = cost.ours / cost.langchain - 1;
    lines.push(
      `| ${name} | ${model} | ${SERIES.map((key) => usd(cost[key])).join(' | ')} | ${Math.abs(vs) < 5e-5 ? '±0.0%' : `${vs < 0 ? '−' : '+'}${pct(Math.abs(vs))}`} | ${ratio(cost.ours / cost.lowerBound)} |`,
    );
  };
  for (const r of results) {
    row(r.workload.name, MODEL_NAME[r.workload.modelId] ?? r.workload.modelId, Object.fromEntries(SERIES.map((k) => [k, r.series[k].cost])) as Record<SeriesKey, number>);
  }
  row('**suite**', '', summary.cost);
  return lines.join('\n');
}

export const DEFINITIONS = [
  'Cost: input tokens only (output is identical under every strategy), in USD, priced per request from the usage the emulator reported:',
  `uncached × base + read × ${MULTIPLIERS.claude.read} (Nova ${MULTIPLIERS.nova.read}) + 5m write × ${MULTIPLIERS.claude.write['5m']} (Nova ${MULTIPLIERS.nova.write['5m']}) + 1h write × ${MULTIPLIERS.claude.write['1h']};`,
  'base USD per million input tokens: Sonnet 4.5 3, Haiku 4.5 1, Nova Pro 0.80 (shared doc §4).',
  'Cached share of input: tokens read from the cache ÷ all input tokens. Hit ratio: requests after the first that read anything from the cache.',
  'Lower bound: every request reads the longest prefix an earlier request had within its TTL and writes the whole rest at the configured TTL,',
  'at every content-block boundary (no limit of 4 checkpoints, no minimum tokens), only where a checkpoint can take effect at all:',
  'not in the tools on Converse (the AI SDK provider drops tool checkpoints) or on Nova, not on a Nova tool turn, not above Nova\'s ~20K-token ceiling.',
  'It writes what no later request reads, so where nothing can be reused it costs more than no caching (dynamic-system).',
  "LangChain's placement: shared doc §9 (budget 4 − the app's own; system, last message, tools unless Nova, second-to-last message for Claude when the app placed none), on Bedrock messages.",
].join('\n');

export interface JsonSummary {
  workloads: Array<{
    name: string;
    family: string;
    model: string;
    api: string;
    ttl: string;
    requests: number;
    inputTokens: number;
    cost: Record<SeriesKey, number>;
    cachedShare: Record<SeriesKey, number>;
    hitRatio: Record<SeriesKey, number>;
    ratioToLowerBound: Record<SeriesKey, number>;
  }>;
  suite: { cost: Record<SeriesKey, number>; oursToLowerBound: number };
  targets: TargetCheck[];
}

const round = (value: number, digits = 6) => Number(value.toFixed(digits));
const perSeries = (f: (key: SeriesKey) => number) => Object.fromEntries(SERIES.map((key) => [key, round(f(key))])) as Record<SeriesKey, number>;

export function jsonSummary(results: readonly WorkloadResult[], summary: SuiteSummary): JsonSummary {
  return {
    workloads: results.map((r) => ({
      name: r.workload.name,
      family: r.workload.family,
      model: r.workload.modelId,
      api: r.workload.api,
      ttl: r.workload.ttl,
      requests: r.requests,
      inputTokens: r.series.none.inputTokens,
      cost: perSeries((k) => r.series[k].cost),
      cachedShare: perSeries((k) => r.series[k].cachedShare),
      hitRatio: perSeries((k) => r.series[k].hitRatio),
      ratioToLowerBound: perSeries((k) => r.series[k].cost / r.series.lowerBound.cost),
    })),
    suite: { cost: perSeries((k) => summary.cost[k]), oursToLowerBound: round(summary.oursToLowerBound) },
    targets: summary.targets,
  };
}

// ---------------------------------------------------------------------------------------
// Chart: cumulative cost per request, one panel per workload (hand-written SVG).

const STYLE: Record<SeriesKey, { color: string; width: number; dash?: string }> = {
  none: { color: '#9e9e9e', width: 2 },
  lastMessage: { color: '#ef8a17', width: 2 },
  langchain: { color: '#2f6fdf', width: 2.5 },
  ours: { color: '#1f9d55', width: 4 },
  lowerBound: { color: '#111111', width: 1.5, dash: '5 4' },
};

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A round axis maximum and step for `max`. */
function niceScale(max: number): { top: number; step: number } {
  const raw = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  return { top: Math.ceil(max / step) * step, step };
}

export function chartSvg(results: readonly WorkloadResult[], caption: string): string {
  const columns = 3;
  const panelW = 360;
  const panelH = 250;
  const pad = { left: 58, right: 14, top: 34, bottom: 38 };
  const legendH = 56;
  const rows = Math.ceil(results.length / columns);
  const width = columns * panelW;
  const captionLines = caption.split('\n');
  const height = legendH + rows * panelH + 10 + 14 * captionLines.length;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="20" font-size="14" font-weight="bold">Cumulative input cost (USD) per request, by placement strategy</text>`,
  ];
  let legendX = 12;
  for (const key of SERIES) {
    const y = 40;
    const s = STYLE[key];
    out.push(
      `<line x1="${legendX}" y1="${y}" x2="${legendX + 26}" y2="${y}" stroke="${s.color}" stroke-width="${s.width}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`,
      `<text x="${legendX + 32}" y="${y + 4}">${escapeXml(SERIES_LABEL[key])}</text>`,
    );
    legendX += 32 + SERIES_LABEL[key].length * 6.2 + 28;
  }
  results.forEach((result, index) => {
    const ox = (index % columns) * panelW;
    const oy = legendH + Math.floor(index / columns) * panelH;
    const plotW = panelW - pad.left - pad.right;
    const plotH = panelH - pad.top - pad.bottom;
    const cumulative = Object.fromEntries(
      SERIES.map((key) => {
        let sum = 0;
        return [key, result.series[key].costs.map((c) => (sum += c))];
      }),
    ) as Record<SeriesKey, number[]>;
    const max = Math.max(...SERIES.map((key) => cumulative[key].at(-1) ?? 0));
    const { top, step } = niceScale(max || 1);
    const n = result.requests;
    const px = (i: number) => ox + pad.left + (n <= 1 ? 0 : (i / (n - 1)) * plotW);
    const py = (v: number) => oy + pad.top + plotH - (v / top) * plotH;
    const w = result.workload;
    out.push(
      `<text x="${ox + pad.left}" y="${oy + 16}" font-size="12" font-weight="bold">${escapeXml(w.name)}</text>`,
      `<text x="${ox + pad.left}" y="${oy + 28}" fill="#555">${escapeXml(`${MODEL_NAME[w.modelId] ?? w.modelId}, ${w.api === 'converse' ? 'Converse' : 'InvokeModel'}, ttl ${w.ttl}`)}</text>`,
    );
    for (let v = 0; v <= top + step / 2; v += step) {
      out.push(
        `<line x1="${ox + pad.left}" y1="${py(v).toFixed(1)}" x2="${ox + pad.left + plotW}" y2="${py(v).toFixed(1)}" stroke="#e4e4e4"/>`,
        `<text x="${ox + pad.left - 6}" y="${(py(v) + 4).toFixed(1)}" text-anchor="end" fill="#555">${v.toFixed(step < 0.01 ? 3 : 2)}</text>`,
      );
    }
    out.push(
      `<line x1="${ox + pad.left}" y1="${oy + pad.top + plotH}" x2="${ox + pad.left + plotW}" y2="${oy + pad.top + plotH}" stroke="#333"/>`,
      `<text x="${ox + pad.left + plotW / 2}" y="${oy + panelH - 8}" text-anchor="middle" fill="#555">request</text>`,
    );
    for (let i = 0; i < n; i++) {
      if (n > 12 && i % 2 === 1 && i !== n - 1) continue;
      out.push(`<text x="${px(i).toFixed(1)}" y="${oy + pad.top + plotH + 14}" text-anchor="middle" fill="#555">${i + 1}</text>`);
    }
    for (const key of SERIES) {
      const s = STYLE[key];
      const points = cumulative[key].map((v, i) => `${px(i).toFixed(1)},${py(v).toFixed(1)}`).join(' ');
      out.push(
        `<polyline points="${points}" fill="none" stroke="${s.color}" stroke-width="${s.width}" stroke-linejoin="round"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`,
      );
    }
  });
  captionLines.forEach((line, i) => {
    out.push(`<text x="12" y="${height - 8 - 14 * (captionLines.length - 1 - i)}" fill="#555">${escapeXml(line)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
