/**
 * `npx tsx bench/cache/economics.ts [--only pause-chats,fan-out-10] [--json]`: issue 14's
 * benchmark, in one run.
 *
 * - Sequential workloads (the pause chats and every workload of the suite) on the injected
 *   clock: no caching, ours with `ttl: '5m'`, ours with `ttl: 'auto'`, the clairvoyant bound
 *   with 5m only and with 1h allowed (src/economics, through clairvoyant.ts).
 * - Fan-outs on the emulator's own clock with a time to first byte, so that an entry is
 *   readable only once its writer's response has begun (shared doc §1 Timing): no caching,
 *   ours with coalescing, ours with `coalesce: false`, the clairvoyant bound (one write per
 *   prefix per batch), and each call's latency (p50/p95) with and without coalescing.
 * Prints Markdown (and with --json a last line of JSON); writes nothing.
 */
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { createBedrockAnthropic } from '@ai-sdk/amazon-bedrock/anthropic';
import type { LanguageModelV3Middleware } from '@ai-sdk/provider';
import { generateText, wrapLanguageModel, type LanguageModel } from 'ai';
import { bedrockCacheMiddleware, type BedrockCacheOptions } from '../../src/index';
import { createBedrockEmulator, type EmulatorRequestLogEntry } from '../../src/emulator/index';
import { clairvoyant, clairvoyantWithHour } from './clairvoyant';
import { fanOutWorkloads, type FanOutWorkload } from './economics-workloads';
import { splitCost } from '../../src/economics/split-cost';
import { pricesOf, splitOf, totalOf, type InputSplit } from './pricing';
import type { WireRequest } from './wire-prompt';
import { suite, type Workload } from './workloads';

(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

const T0 = Date.UTC(2026, 10, 2, 9, 0, 0);
const ours = (options: BedrockCacheOptions) => bedrockCacheMiddleware({ unsupportedModelBehavior: 'ignore', ...options }) as LanguageModelV3Middleware;
const cost = (splits: readonly InputSplit[], modelId: string) => splits.reduce((sum, split) => sum + splitCost(split, pricesOf(modelId)), 0);

/** One sequential workload under one middleware, on the injected clock (as measure.ts `replay`). */
async function replay(workload: Workload, options: BedrockCacheOptions | undefined, waited: number[] = []): Promise<EmulatorRequestLogEntry[]> {
  let count = 0;
  let time = T0 + workload.gapBefore(0);
  const emulator = createBedrockEmulator({ now: () => time, reply: workload.reply, hiddenTokens: true });
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await emulator.fetch(input, init);
    time += workload.gapBefore(++count);
    return response;
  };
  const settings = { region: 'us-east-1', accessKeyId: 'AKIABENCHMARK0000001', secretAccessKey: 'benchmark', fetch };
  const base = workload.api === 'converse' ? createAmazonBedrock(settings)(workload.modelId) : createBedrockAnthropic(settings)(workload.modelId);
  // the middleware measures time on the emulator's clock, as the ledger's TTL reasoning needs
  const middleware = options && ours({ ...options, now: () => time, onCacheUsage: (r) => r.coalesced && !r.coalesced.leader && waited.push(r.coalesced.waitedMs) });
  const model: LanguageModel = middleware ? wrapLanguageModel({ model: base, middleware }) : base;
  await workload.run(model, () => time);
  const failed = emulator.requests.find((entry) => entry.status !== 200);
  if (failed) throw new Error(`${workload.name}: ${failed.status} ${failed.message}`);
  return [...emulator.requests];
}

const splitsOf = (log: readonly EmulatorRequestLogEntry[]) => log.map((entry) => splitOf(entry.usage!));
const wireOf = (log: readonly EmulatorRequestLogEntry[]): WireRequest[] => log.map((e) => ({ body: e.body, time: e.time, total: totalOf(splitOf(e.usage!)) }));

interface SequentialRow {
  name: string;
  requests: number;
  none: number;
  ours5m: number;
  oursAuto: number;
  bound5m: number;
  bound1h: number;
  /** Calls `ttl: 'auto'` gave a 1h checkpoint. */
  autoHourCalls: number;
  /** Calls that waited for a concurrent twin (coalescing is on; none has a twin here). */
  waitedCalls: number;
}

async function measureSequential(workload: Workload): Promise<SequentialRow> {
  const none = await replay(workload, undefined);
  const five = await replay(workload, { ttl: '5m' });
  const waited: number[] = [];
  const auto = await replay(workload, { ttl: 'auto' }, waited);
  const wire = wireOf(none);
  const bound5m = cost(clairvoyant(wire, workload.modelId, workload.api, '5m').map((r) => r.split), workload.modelId);
  const bound1h = Math.min(bound5m, cost(clairvoyantWithHour(wire, workload.modelId, workload.api), workload.modelId));
  return {
    name: workload.name,
    requests: none.length,
    none: cost(splitsOf(none), workload.modelId),
    ours5m: cost(splitsOf(five), workload.modelId),
    oursAuto: cost(splitsOf(auto), workload.modelId),
    bound5m,
    bound1h,
    autoHourCalls: auto.filter((e) => JSON.stringify(e.body).includes('"ttl":"1h"')).length,
    waitedCalls: waited.length,
  };
}

/**
 * Time to first byte on the emulator's own clock: 250 ms plus 0.2 ms per input token it has
 * to process (uncached or written), about 1.5 s for a cold 6K-token prompt and 0.3–0.4 s when
 * it is cached. A judgement in the range of published Claude Sonnet figures, not a measurement.
 */
const timeToFirstByteMs = ({ uncachedInputTokens }: { uncachedInputTokens: number }) => 250 + 0.2 * uncachedInputTokens;

interface FanOutRun {
  log: EmulatorRequestLogEntry[];
  /** Per call: ms from generateText to its result, in document order. */
  latencies: number[];
  waited: number[];
}

async function runFanOut(workload: FanOutWorkload, middleware: LanguageModelV3Middleware | undefined, waited: number[] = []): Promise<FanOutRun> {
  const emulator = createBedrockEmulator({ timeToFirstByteMs, hiddenTokens: true, reply: ({ index }) => ({ text: `Summary ${index + 1}: the parties agree.` }) });
  const settings = { region: 'us-east-1', accessKeyId: 'AKIABENCHMARK0000001', secretAccessKey: 'benchmark', fetch: emulator.fetch };
  const base = createAmazonBedrock(settings)(workload.modelId);
  const model: LanguageModel = middleware ? wrapLanguageModel({ model: base, middleware }) : base;
  const latencies: number[] = new Array(workload.documents.length);
  let next = 0;
  const worker = async () => {
    while (next < workload.documents.length) {
      const i = next++;
      const started = performance.now();
      await generateText({ model, system: workload.instruction, prompt: workload.documents[i]!, maxRetries: 0 });
      latencies[i] = performance.now() - started;
    }
  };
  await Promise.all(Array.from({ length: workload.concurrency }, worker));
  const failed = emulator.requests.find((entry) => entry.status !== 200);
  if (failed) throw new Error(`${workload.name}: ${failed.status} ${failed.message}`);
  return { log: [...emulator.requests].sort((a, b) => a.time - b.time), latencies, waited };
}

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

interface FanOutRow {
  name: string;
  requests: number;
  none: number;
  coalesced: number;
  uncoordinated: number;
  bound: number;
  writesCoalesced: number;
  writesUncoordinated: number;
  latency: { coalesced: [number, number]; uncoordinated: [number, number] };
  /** The longest any follower waited, and the leader's time to first byte (the target's bound). */
  maxWaitedMs: number;
  leaderTtfbMs: number;
}

async function measureFanOut(workload: FanOutWorkload): Promise<FanOutRow> {
  const waited: number[] = [];
  const none = await runFanOut(workload, undefined);
  const on = await runFanOut(workload, ours({ onCacheUsage: (r) => r.coalesced && !r.coalesced.leader && waited.push(r.coalesced.waitedMs) }), waited);
  const off = await runFanOut(workload, ours({ coalesce: false }));
  const bound = cost(clairvoyant(wireOf(none.log), workload.modelId, 'converse', '5m').map((r) => r.split), workload.modelId);
  const instructionWrites = (log: readonly EmulatorRequestLogEntry[]) => log.filter((e) => e.usage!.cacheWriteInputTokens > 5000).length;
  const leader = on.log[0]!;
  return {
    name: workload.name,
    requests: none.log.length,
    none: cost(splitsOf(none.log), workload.modelId),
    coalesced: cost(splitsOf(on.log), workload.modelId),
    uncoordinated: cost(splitsOf(off.log), workload.modelId),
    bound,
    writesCoalesced: instructionWrites(on.log),
    writesUncoordinated: instructionWrites(off.log),
    latency: { coalesced: [percentile(on.latencies, 50), percentile(on.latencies, 95)], uncoordinated: [percentile(off.latencies, 50), percentile(off.latencies, 95)] },
    maxWaitedMs: Math.max(0, ...waited),
    leaderTtfbMs: (leader.firstByteTime ?? leader.time) - leader.time,
  };
}

const args = process.argv.slice(2);
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? new Set((args[onlyIndex + 1] ?? '').split(',')) : undefined;
const sequential = suite().filter((w) => !only || only.has(w.name));
const fanOuts = fanOutWorkloads().filter((w) => !only || only.has(w.name));

const usd = (n: number) => n.toFixed(4);
const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(3) : '–');
const ms = (n: number) => `${Math.round(n)}`;

const rows: SequentialRow[] = [];
for (const workload of sequential) {
  rows.push(await measureSequential(workload));
  console.error(`${workload.name}: done`);
}
const fanRows: FanOutRow[] = [];
for (const workload of fanOuts) {
  fanRows.push(await measureFanOut(workload));
  console.error(`${workload.name}: done`);
}

function suiteRow(all: readonly SequentialRow[]): string {
  const sum = (key: 'none' | 'ours5m' | 'oursAuto' | 'bound5m' | 'bound1h') => all.reduce((total, r) => total + r[key], 0);
  const [none, five, auto, b5, b1] = [sum('none'), sum('ours5m'), sum('oursAuto'), sum('bound5m'), sum('bound1h')];
  const calls = all.reduce((total, r) => total + r.requests, 0);
  const hour = all.reduce((total, r) => total + r.autoHourCalls, 0);
  const waitedCalls = all.reduce((total, r) => total + r.waitedCalls, 0);
  return `| **suite** | ${calls} | ${usd(none)} | ${usd(five)} | ${usd(auto)} | ${usd(b5)} | ${usd(b1)} | ${ratio(five, b5)} | ${ratio(auto, b1)} | ${(((auto - five) / five) * 100).toFixed(1)}% | ${hour} | ${waitedCalls} |`;
}

const lines: string[] = [];
if (rows.length > 0) {
  lines.push(
    "Sequential workloads (injected clock), input USD: ours with `ttl: '5m'` and `ttl: 'auto'`, the clairvoyant bound with 5m only and with 1h allowed.",
    '',
    "| workload | requests | none | ours 5m | ours auto | bound 5m | bound 1h allowed | 5m ÷ bound 5m | auto ÷ bound 1h | auto vs 5m | calls auto gave 1h | calls that waited |",
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.requests} | ${usd(r.none)} | ${usd(r.ours5m)} | ${usd(r.oursAuto)} | ${usd(r.bound5m)} | ${usd(r.bound1h)} | ${ratio(r.ours5m, r.bound5m)} | ${ratio(r.oursAuto, r.bound1h)} | ${r.oursAuto > r.ours5m ? '+' : ''}${(((r.oursAuto - r.ours5m) / r.ours5m) * 100).toFixed(1)}% | ${r.autoHourCalls} | ${r.waitedCalls} |`,
    ),
    suiteRow(rows),
    '',
  );
}
if (fanRows.length > 0) {
  lines.push(
    'Fan-outs (emulator on its own clock, time to first byte 250 ms + 0.2 ms per uncached input token), input USD, writes of the instruction, and per-call latency from generateText to its result (ms):',
    '',
    '| workload | calls | none | coalesced | coalesce: false | bound | coalesced ÷ bound | uncoordinated ÷ bound | instruction writes (on / off) | latency p50 / p95 on | latency p50 / p95 off | longest wait | leader TTFB |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...fanRows.map(
      (r) =>
        `| ${r.name} | ${r.requests} | ${usd(r.none)} | ${usd(r.coalesced)} | ${usd(r.uncoordinated)} | ${usd(r.bound)} | ${ratio(r.coalesced, r.bound)} | ${ratio(r.uncoordinated, r.bound)} | ${r.writesCoalesced} / ${r.writesUncoordinated} | ${ms(r.latency.coalesced[0])} / ${ms(r.latency.coalesced[1])} | ${ms(r.latency.uncoordinated[0])} / ${ms(r.latency.uncoordinated[1])} | ${ms(r.maxWaitedMs)} | ${ms(r.leaderTtfbMs)} |`,
    ),
    '',
  );
}
console.log(lines.join('\n'));
if (args.includes('--json')) console.log(JSON.stringify({ sequential: rows, fanOut: fanRows }));
