/**
 * Runs each workload once per strategy through the real AI SDK and provider against a
 * fresh in-process emulator, and prices every request from the usage the emulator reported.
 */
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { createBedrockAnthropic } from '@ai-sdk/amazon-bedrock/anthropic';
import { wrapLanguageModel, type LanguageModel } from 'ai';
import type { LanguageModelV3Middleware } from '@ai-sdk/provider';
import { bedrockCacheMiddleware } from '../../src/index';
import { createBedrockEmulator, type EmulatorRequestLogEntry } from '../../src/emulator/index';
import { clairvoyant, clairvoyantWithHour } from './clairvoyant';
import { lowerBound } from './lower-bound';
import { splitCost } from '../../src/economics/split-cost';
import { pricesOf, splitOf, totalOf, type InputSplit } from './pricing';
import { STRATEGIES, type StrategyKey } from './strategies';
import { promptHashOf, readWirePrompt, type WireRequest } from './wire-prompt';
import type { Workload } from './workloads';

export type SeriesKey = StrategyKey | 'clairvoyant' | 'lowerBound';
export const SERIES: readonly SeriesKey[] = ['none', 'lastMessage', 'langchain', 'ours', 'clairvoyant', 'lowerBound'];

export interface SeriesResult {
  /** USD of each request's input, in order. */
  costs: number[];
  splits: InputSplit[];
  cost: number;
  inputTokens: number;
  readTokens: number;
  writeTokens: number;
  /** Read tokens ÷ all input tokens. */
  cachedShare: number;
  /** Share of the requests after the first that read anything from the cache. */
  hitRatio: number;
  /** Checkpoints per request: on the wire for a strategy, needed for the clairvoyant bound; none for the lower bound. */
  checkpoints?: number[];
}

export interface WorkloadResult {
  workload: Workload;
  requests: number;
  series: Record<SeriesKey, SeriesResult>;
  /** Ours as users run it (default options: `ttl: 'auto'`), against the clairvoyant bound that may also write 1h. */
  defaults: DefaultsResult;
}

export interface DefaultsResult {
  ours: SeriesResult;
  /**
   * USD of the clairvoyant bound that may use 1h: the cheapest of the bound with 5m writes,
   * with 1h writes (clairvoyant.ts; 5m on a model without 1h) and with the TTL chosen per
   * entry in hindsight (src/economics/clairvoyant-bound-with-hour.ts).
   */
  hourBound: number;
}

const T0 = Date.UTC(2026, 10, 2, 9, 0, 0);

function summarize(splits: InputSplit[], workload: Workload): SeriesResult {
  const prices = pricesOf(workload.modelId);
  const costs = splits.map((split) => splitCost(split, prices));
  const inputTokens = splits.reduce((sum, split) => sum + totalOf(split), 0);
  const readTokens = splits.reduce((sum, split) => sum + split.read, 0);
  const writeTokens = splits.reduce((sum, split) => sum + split.write['5m'] + split.write['1h'], 0);
  const later = splits.slice(1);
  return {
    costs,
    splits,
    cost: costs.reduce((a, b) => a + b, 0),
    inputTokens,
    readTokens,
    writeTokens,
    cachedShare: inputTokens > 0 ? readTokens / inputTokens : 0,
    hitRatio: later.length > 0 ? later.filter((split) => split.read > 0).length / later.length : 0,
  };
}

/** Checkpoints in a wire body (Converse `cachePoint` blocks or Anthropic `cache_control`). */
function countCheckpoints(body: unknown): number {
  return (JSON.stringify(body).match(/"cachePoint":|"cache_control":/g) ?? []).length;
}

export interface MeasureOptions {
  /**
   * Overrides the emulator's Claude lookback (20 blocks; shared doc §1 says "about 20"), to
   * see how each placement fares if Bedrock's real window is shorter.
   */
  lookbackBlocks?: number;
}

/** Runs one workload under one strategy; returns the emulator's log. */
export async function replay(workload: Workload, key: StrategyKey, options: MeasureOptions = {}): Promise<EmulatorRequestLogEntry[]> {
  const strategy = STRATEGIES.find((s) => s.key === key)!;
  return replayWith(workload, key, (now) => strategy.middleware(workload.ttl, now), options);
}

/** Ours with default options (`ttl: 'auto'`), on the workload's clock. */
const oursWithDefaults = (now: () => number) => bedrockCacheMiddleware({ now, unsupportedModelBehavior: 'ignore' }) as LanguageModelV3Middleware;

/** Runs one workload under a middleware (`undefined`: none); returns the emulator's log. */
async function replayWith(
  workload: Workload,
  key: string,
  middlewareOf: (now: () => number) => LanguageModelV3Middleware | undefined,
  options: MeasureOptions,
): Promise<EmulatorRequestLogEntry[]> {
  // The clock always shows the time of the next request: a workload that reads it (a
  // timestamp in the prompt) sees the time its request will be handled at.
  let count = 0;
  let time = T0 + workload.gapBefore(0);
  const now = () => time;
  const models = options.lookbackBlocks !== undefined && workload.family === 'claude' ? { [workload.modelId]: { lookbackBlocks: options.lookbackBlocks } } : undefined;
  // Hidden tokens on (a few per request, Claude's tool-use prompt, tool-block overhead): real
  // requests pay them, they count toward minimums and sit in the cached prefix (shared doc §1).
  const emulator = createBedrockEmulator({ now, reply: workload.reply, hiddenTokens: true, ...(models && { models }) });
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await emulator.fetch(input, init);
    time += workload.gapBefore(++count);
    return response;
  };
  const settings = { region: 'us-east-1', accessKeyId: 'AKIABENCHMARK0000001', secretAccessKey: 'benchmark', fetch };
  const base =
    workload.api === 'converse' ? createAmazonBedrock(settings)(workload.modelId) : createBedrockAnthropic(settings)(workload.modelId);
  const middleware = middlewareOf(now);
  const model: LanguageModel = middleware ? wrapLanguageModel({ model: base, middleware }) : base;
  await workload.run(model, now);

  const log = emulator.requests;
  const failed = log.find((entry) => entry.status !== 200 || !entry.usage);
  if (failed) throw new Error(`${workload.name} / ${key}: request failed: ${failed.status} ${failed.errorType}: ${failed.message}`);
  if (workload.family === 'nova') assertNoNovaToolTurnCheckpoints(workload, key, log);
  return [...log];
}

/** The benchmark's Nova rule: no checkpoint on a message holding tool uses or results, none in the tools. */
function assertNoNovaToolTurnCheckpoints(workload: Workload, key: string, log: readonly EmulatorRequestLogEntry[]) {
  for (const entry of log) {
    const body = entry.body as { messages?: Array<{ content: Array<Record<string, unknown>> }>; toolConfig?: { tools?: Array<Record<string, unknown>> } };
    const bad =
      (body.toolConfig?.tools ?? []).some((tool) => 'cachePoint' in tool) ||
      (body.messages ?? []).some(
        (message) => message.content.some((b) => 'cachePoint' in b) && message.content.some((b) => 'toolUse' in b || 'toolResult' in b),
      );
    if (bad) throw new Error(`${workload.name} / ${key}: a checkpoint on a Nova tool turn or in the tools`);
  }
}

/**
 * The bounds count tokens with the emulator's prompt reader (wire-prompt.ts): every read and
 * every read + write the emulator billed, under any strategy, must end at one of its prefix
 * sums, and no prompt may hold fewer tokens than billed.
 */
function checkPrefixSums(workload: Workload, wire: readonly WireRequest[], logs: readonly EmulatorRequestLogEntry[][]) {
  wire.forEach((request, i) => {
    const { sums } = readWirePrompt(request.body, workload.modelId, workload.api);
    const ends = new Set(sums);
    if (sums.at(-1)! > request.total) throw new Error(`${workload.name} #${i}: the bench reads ${sums.at(-1)} tokens, the emulator billed ${request.total}`);
    for (const log of logs) {
      const usage = log[i]!.usage!;
      for (const end of [usage.cacheReadInputTokens, usage.cacheReadInputTokens + usage.cacheWriteInputTokens]) {
        if (!ends.has(end)) throw new Error(`${workload.name} #${i}: the emulator cached up to ${end} tokens, not a block boundary the bench sees`);
      }
    }
  });
}

/** Runs a workload under every strategy and computes both bounds. */
export async function measureWorkload(workload: Workload, options: MeasureOptions = {}): Promise<WorkloadResult> {
  const series = {} as Record<SeriesKey, SeriesResult>;
  const runs: Array<{ key: string; log: EmulatorRequestLogEntry[] }> = [];
  for (const strategy of STRATEGIES) runs.push({ key: strategy.key, log: await replay(workload, strategy.key, options) });
  runs.push({ key: 'ours with default options', log: await replayWith(workload, 'defaults', oursWithDefaults, options) });
  // Every run must have replayed the very same prompts at the same times (only checkpoints
  // may differ). Requests sent together (a fan-out) may reach the emulator in another order:
  // each log is put in the order of the first ('none').
  const promptOf = (entry: EmulatorRequestLogEntry) => `${entry.time} ${promptHashOf(entry.body, workload.modelId, workload.api)}`;
  const reference = runs[0]!.log;
  const aligned = runs.map(({ key, log }) => {
    const byPrompt = new Map<string, EmulatorRequestLogEntry[]>();
    for (const entry of log) byPrompt.set(promptOf(entry), [...(byPrompt.get(promptOf(entry)) ?? []), entry]);
    const ordered = reference.map((entry) => byPrompt.get(promptOf(entry))?.shift());
    if (log.length !== reference.length || ordered.some((entry) => entry === undefined)) {
      throw new Error(`${workload.name}: ${key} sent different prompts than 'none'`);
    }
    return ordered as EmulatorRequestLogEntry[];
  });
  const logs = aligned.slice(0, STRATEGIES.length);
  STRATEGIES.forEach((strategy, i) => {
    const log = logs[i]!;
    series[strategy.key] = { ...summarize(log.map((entry) => splitOf(entry.usage!)), workload), checkpoints: log.map((e) => countCheckpoints(e.body)) };
  });
  const defaultsLog = aligned.at(-1)!;
  const wire: WireRequest[] = reference.map((entry) => ({ body: entry.body, time: entry.time, total: totalOf(splitOf(entry.usage!)) }));
  checkPrefixSums(workload, wire, logs);
  const bounds = {
    lowerBound: lowerBound(wire, workload.modelId, workload.api, workload.ttl),
    clairvoyant: clairvoyant(wire, workload.modelId, workload.api, workload.ttl, workload.family === 'claude' ? options.lookbackBlocks : undefined),
  };
  const splits = { lowerBound: bounds.lowerBound, clairvoyant: bounds.clairvoyant.map((request) => request.split) };
  for (const key of ['lowerBound', 'clairvoyant'] as const) {
    splits[key].forEach((split, i) => {
      if (totalOf(split) !== wire[i]!.total) throw new Error(`${workload.name}: ${key} counts ${totalOf(split)} tokens, the emulator ${wire[i]!.total}`);
      if (Object.values(split).some((v) => (typeof v === 'number' ? v < 0 : v['5m'] < 0 || v['1h'] < 0))) throw new Error(`${workload.name}: ${key} has a negative count`);
    });
  }
  series.lowerBound = summarize(splits.lowerBound, workload);
  series.clairvoyant = { ...summarize(splits.clairvoyant, workload), checkpoints: bounds.clairvoyant.map((request) => request.checkpoints) };
  const defaults = { ours: summarize(defaultsLog.map((entry) => splitOf(entry.usage!)), workload), hourBound: hourBound(workload, wire) };
  return { workload, requests: reference.length, series, defaults };
}

/** USD of the clairvoyant bound that may use 1h (see `DefaultsResult.hourBound`). */
function hourBound(workload: Workload, wire: readonly WireRequest[]): number {
  const { modelId, api } = workload;
  const costOf = (splits: readonly InputSplit[]) => summarize([...splits], workload).cost;
  return Math.min(
    costOf(clairvoyant(wire, modelId, api, '5m').map((request) => request.split)),
    costOf(clairvoyant(wire, modelId, api, '1h').map((request) => request.split)),
    costOf(clairvoyantWithHour(wire, modelId, api)),
  );
}

export async function measureSuite(
  workloads: readonly Workload[],
  progress?: (line: string) => void,
  options: MeasureOptions = {},
): Promise<WorkloadResult[]> {
  const results: WorkloadResult[] = [];
  for (const workload of workloads) {
    const started = performance.now();
    results.push(await measureWorkload(workload, options));
    progress?.(`${workload.name}: ${results.at(-1)!.requests} requests × ${STRATEGIES.length} strategies in ${Math.round(performance.now() - started)} ms`);
  }
  return results;
}
