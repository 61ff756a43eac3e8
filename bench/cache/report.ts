/** Turns measured results into the tables, the JSON summary and the SVG chart. */
import { SERIES, type SeriesKey, type SeriesResult, type WorkloadResult } from './measure';
import { pricesOf } from './pricing';
import type { Workload } from './workloads';

export const SERIES_LABEL: Record<SeriesKey, string> = {
  none: 'no caching',
  lastMessage: 'last message only',
  langchain: "LangChain's placement",
  ours: 'bedrockCacheMiddleware (ours)',
  clairvoyant: 'clairvoyant bound',
  lowerBound: 'lower bound (writes everything)',
};

const MODEL_NAME: Record<string, string> = {
  'us.anthropic.claude-sonnet-4-5-20250929-v1:0': 'Claude Sonnet 4.5',
  'global.anthropic.claude-haiku-4-5-20251001-v1:0': 'Claude Haiku 4.5',
  'us.amazon.nova-pro-v1:0': 'Nova Pro',
  'us.amazon.nova-lite-v1:0': 'Nova Lite',
};

/** The suite target: ours within this factor of the clairvoyant bound. */
export const CLAIRVOYANT_TARGET = 1.05;

const usd = (value: number) => value.toFixed(4);
const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
const ratio = (value: number) => (Number.isFinite(value) ? value.toFixed(3) : '—');
const int = (value: number) => value.toLocaleString('en-US');
const maxOf = (values: readonly number[] | undefined) => (values && values.length > 0 ? Math.max(...values) : 0);

/** `a` against `b` as a signed percentage. */
const versus = (a: number, b: number) => {
  const d = a / b - 1;
  return Math.abs(d) < 5e-5 ? '±0.0%' : `${d < 0 ? '−' : '+'}${pct(Math.abs(d))}`;
};

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
    '| strategy | cost (USD) | vs no caching | cached share of input | hit ratio | × clairvoyant | × lower bound | checkpoints (most in a request) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const key of SERIES) {
    const s = series[key];
    const hits = Math.round(s.hitRatio * (result.requests - 1));
    lines.push(
      `| ${SERIES_LABEL[key]} | ${usd(s.cost)} | ${key === 'none' ? '—' : versus(s.cost, series.none.cost)} | ${pct(s.cachedShare)} | ${hits}/${result.requests - 1} | ${ratio(s.cost / series.clairvoyant.cost)} | ${ratio(s.cost / series.lowerBound.cost)} | ${s.checkpoints ? maxOf(s.checkpoints) : '—'} |`,
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
  oursToClairvoyant: number;
  oursToNone: number;
  oursToLowerBound: number;
  targets: TargetCheck[];
}

/** The issue's targets over one run (issue 10; the overhead and load targets are measured elsewhere). */
export function summarizeSuite(results: readonly WorkloadResult[]): SuiteSummary {
  const cost = Object.fromEntries(SERIES.map((key) => [key, results.reduce((sum, r) => sum + r.series[key].cost, 0)])) as Record<SeriesKey, number>;
  const oursToClairvoyant = cost.ours / cost.clairvoyant;
  const above = (other: SeriesKey) => results.filter((r) => r.series.ours.cost > r.series[other].cost * (1 + 1e-9));
  const list = (rs: WorkloadResult[], other: SeriesKey) =>
    rs.length === 0 ? `on all ${results.length} workloads` : `more on ${rs.map((r) => `${r.workload.name} ${versus(r.series.ours.cost, r.series[other].cost)}`).join(', ')}`;
  const aboveNone = above('none');
  const ratios = results.map((r) => r.series.ours.cost / r.series.clairvoyant.cost);
  const meanRatio = ratios.reduce((a, b) => a + b, 0) / ratios.length;
  const worst = results[ratios.indexOf(Math.max(...ratios))]!;
  const aboveLangchain = above('langchain');
  return {
    cost,
    oursToClairvoyant,
    oursToNone: cost.ours / cost.none,
    oursToLowerBound: cost.ours / cost.lowerBound,
    targets: [
      { name: 'ours never costs more than no caching on any workload', met: aboveNone.length === 0, detail: list(aboveNone, 'none') },
      {
        name: `ours ≤ ${CLAIRVOYANT_TARGET} × the clairvoyant bound over the suite`,
        met: oursToClairvoyant <= CLAIRVOYANT_TARGET,
        detail: `${ratio(oursToClairvoyant)}× (the suite's cost is weighted by workload size; unweighted mean of the workloads' ratios ${ratio(meanRatio)}×, highest ${worst.workload.name} ${ratio(worst.series.ours.cost / worst.series.clairvoyant.cost)}×)`,
      },
      { name: "ours costs no more than LangChain's placement on every workload", met: aboveLangchain.length === 0, detail: list(aboveLangchain, 'langchain') },
    ],
  };
}

export function suiteTable(results: readonly WorkloadResult[], summary: SuiteSummary): string {
  const lines = [
    '| workload | model | none | last message | LangChain | ours | clairvoyant | lower bound | ours vs LangChain | ours ÷ no caching | ours ÷ clairvoyant |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const row = (name: string, model: string, cost: Record<SeriesKey, number>) => {
    lines.push(
      `| ${name} | ${model} | ${SERIES.map((key) => usd(cost[key])).join(' | ')} | ${versus(cost.ours, cost.langchain)} | ${ratio(cost.ours / cost.none)} | ${ratio(cost.ours / cost.clairvoyant)} |`,
    );
  };
  for (const r of results) {
    row(r.workload.name, MODEL_NAME[r.workload.modelId] ?? r.workload.modelId, Object.fromEntries(SERIES.map((k) => [k, r.series[k].cost])) as Record<SeriesKey, number>);
  }
  row('**suite**', '', summary.cost);
  return lines.join('\n');
}

/** The issue 18 target: ours with default options within this factor of the clairvoyant bound that may use 1h, over the suite. */
export const HOUR_BOUND_TARGET = 1.03;

/**
 * A workload that differs from an earlier one only in the TTL its strategies are configured
 * with (idle-5m, idle-1h) is the same run with default options: counted once.
 */
function countedOnce(results: readonly WorkloadResult[]): { counted: WorkloadResult[]; sameAs: Map<WorkloadResult, string> } {
  const seen = new Map<string, string>();
  const sameAs = new Map<WorkloadResult, string>();
  const counted: WorkloadResult[] = [];
  for (const r of results) {
    const key = [r.workload.modelId, r.workload.api, r.requests, r.series.none.cost, r.defaults.ours.cost, r.defaults.hourBound].join('|');
    const same = seen.get(key);
    if (same) sameAs.set(r, same);
    else {
      seen.set(key, r.workload.name);
      counted.push(r);
    }
  }
  return { counted, sameAs };
}

/**
 * Ours as users run it (default options, `ttl: 'auto'`) against the clairvoyant bound that
 * may also write 1h, per workload and over the suite (Markdown).
 */
export function defaultsTable(results: readonly WorkloadResult[]): string {
  const lines = [
    "| workload | requests | none | ours (default options) | clairvoyant bound, 1h allowed | ours ÷ bound | ours ÷ none |",
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const row = (name: string, requests: number, none: number, ours: number, bound: number) =>
    lines.push(`| ${name} | ${int(requests)} | ${usd(none)} | ${usd(ours)} | ${usd(bound)} | ${ratio(ours / bound)} | ${ratio(ours / none)} |`);
  const { counted, sameAs } = countedOnce(results);
  for (const r of results) {
    const same = sameAs.get(r);
    if (same) lines.push(`| ${r.workload.name} | ${int(r.requests)} | as ${same} (same requests, not counted again) | | | | |`);
    else row(r.workload.name, r.requests, r.series.none.cost, r.defaults.ours.cost, r.defaults.hourBound);
  }
  const sum = (f: (r: WorkloadResult) => number) => counted.reduce((total, r) => total + f(r), 0);
  const [none, ours, bound] = [sum((r) => r.series.none.cost), sum((r) => r.defaults.ours.cost), sum((r) => r.defaults.hourBound)];
  row('**suite**', sum((r) => r.requests), none, ours, bound);
  lines.push('', `${ours / bound <= HOUR_BOUND_TARGET ? '✅' : '❌'} ours (default options) ≤ ${HOUR_BOUND_TARGET} × the clairvoyant bound that may use 1h over the suite: ${ratio(ours / bound)}×`);
  return lines.join('\n');
}

/**
 * `a` minus `b` on one workload, split exactly: both bill the same tokens, so the difference
 * is the tokens `b` read and `a` didn't × (input − read price) plus the tokens `a` wrote
 * beyond `b` × (write − input price), per TTL.
 */
export function difference(r: WorkloadResult, a: SeriesKey, b: SeriesKey) {
  const prices = pricesOf(r.workload.modelId);
  const sum = (s: SeriesResult, f: (split: SeriesResult['splits'][number]) => number) => s.splits.reduce((t, split) => t + f(split), 0);
  const missedReads = sum(r.series[b], (x) => x.read) - sum(r.series[a], (x) => x.read);
  const extra5m = sum(r.series[a], (x) => x.write['5m']) - sum(r.series[b], (x) => x.write['5m']);
  const extra1h = sum(r.series[a], (x) => x.write['1h']) - sum(r.series[b], (x) => x.write['1h']);
  const last = (key: SeriesKey) => r.series[key].splits.at(-1)!;
  return {
    usd: r.series[a].cost - r.series[b].cost,
    /** Of `extraWrites`, those of the last request (which no later request can read: an online placement can't know it is the last). */
    extraWritesLast: last(a).write['5m'] + last(a).write['1h'] - last(b).write['5m'] - last(b).write['1h'],
    missedReads,
    missedReadsUsd: (missedReads * (prices.input - prices.cacheRead)) / 1e6,
    extraWrites: extra5m + extra1h,
    extraWritesUsd: (extra5m * (prices.cacheWrite5m - prices.input) + extra1h * ((prices.cacheWrite1h ?? prices.cacheWrite5m) - prices.input)) / 1e6,
  };
}

const signedUsd = (value: number) => `${value < -5e-5 ? '−' : value > 5e-5 ? '+' : '±'}${Math.abs(value).toFixed(4)}`;
const signedInt = (value: number) => `${value < 0 ? '−' : value > 0 ? '+' : '±'}${int(Math.abs(value))}`;

/** Where ours pays more (or less) than the clairvoyant bound, per workload. */
export function restTable(results: readonly WorkloadResult[]): string {
  const lines = [
    '| workload | ours − clairvoyant (USD) | reads ours missed (tokens) | their cost (USD) | writes ours added (tokens) | of which in the last request | their cost (USD) | checkpoints the bound needs (most in a request) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    const d = difference(r, 'ours', 'clairvoyant');
    lines.push(
      `| ${r.workload.name} | ${signedUsd(d.usd)} | ${signedInt(d.missedReads)} | ${signedUsd(d.missedReadsUsd)} | ${signedInt(d.extraWrites)} | ${int(d.extraWritesLast)} | ${signedUsd(d.extraWritesUsd)} | ${maxOf(r.series.clairvoyant.checkpoints)} |`,
    );
  }
  return lines.join('\n');
}

/** How each series is priced and what the bounds are (Markdown). */
export function definitions(results: readonly WorkloadResult[]): string {
  const models = [...new Set(results.map((r) => r.workload.modelId))];
  const priceLines = models.map((id) => {
    const p = pricesOf(id);
    return `- ${MODEL_NAME[id] ?? id} (\`${id}\`): input ${p.input}, read ${p.cacheRead}, 5m write ${p.cacheWrite5m}${p.cacheWrite1h === undefined ? '' : `, 1h write ${p.cacheWrite1h}`} (${p.date}; ${p.source})`;
  });
  return [
    'Cost: input tokens only (output is identical under every strategy), in USD, priced per request from the usage the emulator reported, with the price table of `src/pricing` (USD per million tokens):',
    '',
    ...priceLines,
    '',
    'Cached share of input: tokens read from the cache ÷ all input tokens. Hit ratio: requests after the first that read anything from the cache.',
    'Checkpoints: the most any request carried on the wire (strategies) or needed (clairvoyant bound).',
    '',
    '**Clairvoyant bound** (src/economics/clairvoyant-bound.ts): knowing the whole request sequence, each request reads the longest prefix still live at its start',
    '(an entry lives for the TTL from the start of the request that wrote it or last read it; a read refreshes the entries on its prefix) and writes only up to the furthest',
    'of its own entries that some later request reads; the rest of its prompt is billed uncached. It may place a checkpoint at any content-block boundary where one can take',
    "effect (not in the tools on Converse, where the AI SDK provider drops tool checkpoints, nor on Nova; not on a Nova tool turn; not above Nova's ~20K-token ceiling; not",
    "after a reasoning block), and it **honours each model's minimum tokens**: below it Bedrock caches nothing, so no placement could read there. It does **not** honour the",
    'limit of four checkpoints: a bound must not be beaten by a placement that obeys Bedrock, and the limit is one of the rules a placement works under (the table above shows',
    'how many the bound would need). With 5m writes it never costs more than no caching: every token it writes is read at least once.',
    '',
    '**Lower bound** (bench/cache/lower-bound.ts, the earlier bound): every request reads the longest live prefix and writes the whole rest, at every boundary where a',
    "checkpoint can take effect, with no limit of four and no minimum tokens. It pays for writes nobody reads (so where little is reused it costs more than no caching) and,",
    "below a model's minimum, reads what Bedrock would not cache (so it can sit below the clairvoyant bound).",
    '',
    "LangChain's placement: shared doc §9 (budget 4 − the app's own; system, last message, tools unless Nova, second-to-last message for Claude when the app placed none), on Bedrock messages.",
  ].join('\n');
}

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
    ratioToClairvoyant: Record<SeriesKey, number>;
    ratioToLowerBound: Record<SeriesKey, number>;
    /** Most checkpoints the clairvoyant bound needs in one request. */
    clairvoyantCheckpoints: number;
    /** Ours with default options against the clairvoyant bound that may use 1h (USD). */
    defaults: DefaultsJson;
  }>;
  suite: { cost: Record<SeriesKey, number>; oursToClairvoyant: number; oursToNone: number; oursToLowerBound: number; defaults: DefaultsJson };
  targets: TargetCheck[];
}

interface DefaultsJson {
  ours: number;
  hourBound: number;
  oursToHourBound: number;
}

const round = (value: number, digits = 6) => Number(value.toFixed(digits));
const defaultsJson = (ours: number, hourBound: number): DefaultsJson => ({ ours: round(ours), hourBound: round(hourBound), oursToHourBound: round(ours / hourBound) });
const perSeries = (f: (key: SeriesKey) => number) => Object.fromEntries(SERIES.map((key) => [key, round(f(key))])) as Record<SeriesKey, number>;

export function jsonSummary(results: readonly WorkloadResult[], summary: SuiteSummary): JsonSummary {
  const { counted } = countedOnce(results);
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
      ratioToClairvoyant: perSeries((k) => r.series[k].cost / r.series.clairvoyant.cost),
      ratioToLowerBound: perSeries((k) => r.series[k].cost / r.series.lowerBound.cost),
      clairvoyantCheckpoints: maxOf(r.series.clairvoyant.checkpoints),
      defaults: defaultsJson(r.defaults.ours.cost, r.defaults.hourBound),
    })),
    suite: {
      cost: perSeries((k) => summary.cost[k]),
      oursToClairvoyant: round(summary.oursToClairvoyant),
      oursToNone: round(summary.oursToNone),
      oursToLowerBound: round(summary.oursToLowerBound),
      defaults: defaultsJson(
        counted.reduce((sum, r) => sum + r.defaults.ours.cost, 0),
        counted.reduce((sum, r) => sum + r.defaults.hourBound, 0),
      ),
    },
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
  clairvoyant: { color: '#8e24aa', width: 2, dash: '2 3' },
  lowerBound: { color: '#111111', width: 1.5, dash: '6 4' },
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
    // at most about 12 labels; the last request always, and no label crowding it
    const every = Math.ceil(n / 12);
    for (let i = 0; i < n; i++) {
      if (i !== n - 1 && (i % every !== 0 || n - 1 - i < Math.max(2, every / 2))) continue;
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
