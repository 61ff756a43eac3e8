/**
 * The miss corpus's harness: runs a traffic shape end to end (the real `ai` and
 * `@ai-sdk/amazon-bedrock`, SigV4-signed, answered in-process by the emulator with hidden
 * tokens on, on an injected clock), one `bedrockCacheMiddleware` with default options per
 * shape (as one app has one), and pairs every request the emulator served with the report
 * `onCacheUsage` got for it and the warnings of its step. No vitest here: `npm run
 * corpus:misses` (scripts/miss-corpus.ts) runs the same shapes.
 *
 * Calls are told apart with AsyncLocalStorage (each call runs in its own context; its
 * requests and its reports land there), and the emulator serves one request at a time, so
 * its log is in arrival order. Nothing of ours is mocked: the only wrapper is the fetch.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { createBedrockAnthropic } from '@ai-sdk/amazon-bedrock/anthropic';
import { generateText, streamText, wrapLanguageModel, type LanguageModel, type ModelMessage } from 'ai';
import { bedrockCacheMiddleware, type BedrockCacheOptions, type BedrockCacheReport } from '../../../src';
import { createBedrockEmulator, type EmulatorRequestLogEntry, type ReplyOption } from '../../../src/emulator';
import { judge, type Verdict } from './truth';

/** The shape's clock starts here (ms); `advance` moves it. */
const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const credentials = { region: 'us-east-1', accessKeyId: 'AKIDMISSCORPUS', secretAccessKey: 'miss-corpus-secret' };

type GenerateOptions = Omit<Parameters<typeof generateText>[0], 'model'>;
type StreamOptions = Omit<Parameters<typeof streamText>[0], 'model'>;
type Warning = NonNullable<Awaited<ReturnType<typeof generateText>>['warnings']>[number];

/** What a shape drives: calls through the middleware, and the clock. */
export interface CorpusContext {
  /** `generateText` through the shape's middleware on `modelId` (default: the shape's model). `label` names the call in tables. */
  generate(label: string, options: GenerateOptions, modelId?: string): ReturnType<typeof generateText>;
  /** `streamText` through the shape's middleware, read to the end (as a chat route does); returns the response messages. */
  stream(label: string, options: StreamOptions, modelId?: string): Promise<{ messages: ModelMessage[] }>;
  /** Moves the clock (the emulator's and the middleware's) forward. */
  advance(ms: number): void;
  /** The clock, for prompts that carry the time. */
  now(): number;
}

export interface Shape {
  name: string;
  /** One line: the traffic it is. */
  title: string;
  /** Ordinary traffic: every call must come back without a warning. */
  ordinary: boolean;
  modelId: string;
  /** Converse (`bedrock()`, default) or InvokeModel (`@ai-sdk/amazon-bedrock/anthropic`). */
  api?: 'converse' | 'invoke';
  /** The model's replies (default: a deterministic text per request). */
  reply?: ReplyOption;
  /** Middleware options of the app (default: none, the defaults). */
  options?: BedrockCacheOptions;
  run(context: CorpusContext): Promise<void>;
}

/** One request the emulator served, with what the middleware said about it. */
export interface CorpusCall {
  shape: string;
  /** The call's label, with `#step` for the steps of a tool loop after the first. */
  label: string;
  modelId: string;
  entry: EmulatorRequestLogEntry;
  report: BedrockCacheReport;
  warnings: Warning[];
  verdict: Verdict;
}

export interface ShapeResult {
  shape: Shape;
  calls: CorpusCall[];
}

interface CallRecord {
  label: string;
  modelId: string;
  entries: EmulatorRequestLogEntry[];
  reports: BedrockCacheReport[];
}

/** Runs one shape on a fresh emulator and middleware; `options` are added to the shape's. */
export async function runShape(shape: Shape, options: BedrockCacheOptions = {}): Promise<ShapeResult> {
  let clock = T0;
  const now = () => clock;
  const context = new AsyncLocalStorage<CallRecord>();
  const emulator = createBedrockEmulator({
    credentials,
    now,
    hiddenTokens: true,
    reply: shape.reply ?? (({ index }) => ({ text: `Answer ${index + 1}: noted, here is what I found.` })),
  });
  const arrivals: EmulatorRequestLogEntry[] = [];
  let turn: Promise<unknown> = Promise.resolve();
  const serve = async (record: CallRecord | undefined, input: RequestInfo | URL, init?: RequestInit) => {
    const response = await emulator.fetch(input, init);
    const entry = emulator.requests.at(-1)!;
    arrivals.push(entry);
    record?.entries.push(entry);
    return response;
  };
  // One request at a time: the log's order is the order of arrival.
  const fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const record = context.getStore();
    const served = turn.then(() => serve(record, input, init));
    turn = served.catch(() => undefined);
    return served;
  };
  const orphans: BedrockCacheReport[] = [];
  const middleware = bedrockCacheMiddleware({
    ...shape.options,
    ...options,
    now,
    onCacheUsage: (report) => (context.getStore()?.reports ?? orphans).push(report),
  });
  const api = shape.api ?? 'converse';
  const provider = api === 'converse' ? createAmazonBedrock({ ...credentials, fetch }) : createBedrockAnthropic({ ...credentials, fetch });
  const models = new Map<string, LanguageModel>();
  const modelOf = (id: string) => models.get(id) ?? models.set(id, wrapLanguageModel({ model: provider(id), middleware })).get(id)!;

  const records: Array<{ record: CallRecord; warnings: Warning[][] }> = [];
  await shape.run({
    now,
    advance: (ms) => {
      clock += ms;
    },
    generate: (label, callOptions, modelId = shape.modelId) => {
      const record: CallRecord = { label, modelId, entries: [], reports: [] };
      return context.run(record, async () => {
        const result = await generateText({ maxRetries: 0, ...callOptions, model: modelOf(modelId) } as Parameters<typeof generateText>[0]);
        records.push({ record, warnings: result.steps.map((step) => step.warnings ?? []) });
        return result;
      });
    },
    stream: (label, callOptions, modelId = shape.modelId) => {
      const record: CallRecord = { label, modelId, entries: [], reports: [] };
      return context.run(record, async () => {
        const result = streamText({ maxRetries: 0, ...callOptions, model: modelOf(modelId) } as Parameters<typeof streamText>[0]);
        await result.consumeStream();
        records.push({ record, warnings: (await result.steps).map((step) => step.warnings ?? []) });
        return { messages: (await result.response).messages };
      });
    },
  });

  if (orphans.length > 0) throw new Error(`${shape.name}: ${orphans.length} report(s) outside any call`);
  const byEntry = new Map<EmulatorRequestLogEntry, { label: string; modelId: string; report: BedrockCacheReport; warnings: Warning[] }>();
  for (const { record, warnings } of records) {
    const { entries, reports } = record;
    if (entries.length !== reports.length || entries.length !== warnings.length) {
      throw new Error(`${shape.name} / ${record.label}: ${entries.length} requests, ${reports.length} reports, ${warnings.length} steps`);
    }
    entries.forEach((entry, step) => {
      if (entry.status !== 200) throw new Error(`${shape.name} / ${record.label}: ${entry.status} ${entry.errorType}: ${entry.message}`);
      byEntry.set(entry, {
        label: step === 0 ? record.label : `${record.label}#${step + 1}`,
        modelId: record.modelId,
        report: reports[step]!,
        warnings: warnings[step]!,
      });
    });
  }
  const verdicts = judge(
    arrivals.map((entry) => ({ entry, modelId: byEntry.get(entry)?.modelId ?? entry.modelId, api })),
    (entry) => byEntry.get(entry)?.report.cacheMiss,
  );
  const calls = arrivals.map((entry, i): CorpusCall => {
    const call = byEntry.get(entry);
    if (!call) throw new Error(`${shape.name}: request ${i} belongs to no call`);
    return { shape: shape.name, ...call, entry, verdict: verdicts[i]! };
  });
  return { shape, calls };
}

/** Per shape: calls, agreed, false misses, missed misses, warnings. */
export interface AgreementRow {
  shape: string;
  ordinary: boolean;
  calls: number;
  agreed: number;
  falseMisses: number;
  missedMisses: number;
  /** Calls the truth says missed. */
  trueMisses: number;
  warnings: number;
}

export function agreementRow({ shape, calls }: ShapeResult): AgreementRow {
  return {
    shape: shape.name,
    ordinary: shape.ordinary,
    calls: calls.length,
    agreed: calls.filter((c) => c.verdict.agrees).length,
    falseMisses: calls.filter((c) => c.verdict.claimed && !c.verdict.missed).length,
    missedMisses: calls.filter((c) => !c.verdict.claimed && c.verdict.missed).length,
    trueMisses: calls.filter((c) => c.verdict.missed).length,
    warnings: calls.reduce((n, c) => n + c.warnings.length, 0),
  };
}

/** The agreement table (Markdown), with a total row. */
export function agreementTable(results: readonly ShapeResult[]): string {
  const rows = results.map(agreementRow);
  const total = rows.reduce(
    (t, r) => ({
      ...t,
      calls: t.calls + r.calls,
      agreed: t.agreed + r.agreed,
      falseMisses: t.falseMisses + r.falseMisses,
      missedMisses: t.missedMisses + r.missedMisses,
      trueMisses: t.trueMisses + r.trueMisses,
      warnings: t.warnings + r.warnings,
    }),
    { shape: '**all**', ordinary: false, calls: 0, agreed: 0, falseMisses: 0, missedMisses: 0, trueMisses: 0, warnings: 0 },
  );
  const line = (r: AgreementRow) =>
    `| ${r.shape}${r.ordinary ? ' (ordinary)' : ''} | ${r.calls} | ${r.agreed} | ${r.falseMisses} | ${r.missedMisses} | ${r.trueMisses} | ${r.warnings} |`;
  return [
    '| shape | calls | agreed | false misses | missed misses | true misses | warnings |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(line),
    line(total),
  ].join('\n');
}

/** One line per call that disagrees with the truth (or warns on ordinary traffic), for failure messages. */
export function disagreements({ shape, calls }: ShapeResult): string[] {
  return calls
    .filter((c) => !c.verdict.agrees)
    .map((c) => {
      const { read, live, sent } = c.verdict;
      const said = c.report.cacheMiss ? `${c.report.cacheMiss.reason}: ${c.report.cacheMiss.message}` : 'no cacheMiss';
      return `${shape.name} / ${c.label}: read ${read}, live ${live}, sent earlier ${sent} → ${c.verdict.missed ? 'missed' : 'no miss'}; the middleware said ${said}`;
    });
}

/** The warnings of a shape's calls, one line each. */
export function warningLines({ shape, calls }: ShapeResult): string[] {
  return calls.flatMap((c) => c.warnings.map((w) => `${shape.name} / ${c.label}: ${w.type === 'other' ? w.message : JSON.stringify(w)}`));
}
