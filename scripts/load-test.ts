/**
 * `npm run bench:load`: N concurrent `streamText` calls (default 1,000) through one
 * wrapped model per family, over loopback HTTP to the Bedrock emulator. Every response
 * must arrive, each call's cache usage must be the one Bedrock (the emulator) reported
 * for that very request, and warnings must not leak between calls.
 * Options: --calls N, --json. Bounded: aborts after 120 s.
 */
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { streamText, wrapLanguageModel } from 'ai';
import { bedrockCacheMiddleware, memoryLedgerStore, type CacheUsageReport } from '../src';
import { startBedrockEmulator } from '../src/emulator';

// The unsupported-model warnings are expected here (one per Llama call) and checked below.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

const args = process.argv.slice(2);
const CALLS = Number(args[args.indexOf('--calls') + 1] || 1000) || 1000;
const JSON_OUT = args.includes('--json');
const credentials = { accessKeyId: 'AKIDLOADTEST', secretAccessKey: 'load-test-secret' };
const MODELS = ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'us.amazon.nova-pro-v1:0', 'us.meta.llama3-3-70b-instruct-v1:0'];
const SYSTEM = `You answer load-test questions. ${'Keep answers short and exact. '.repeat(400)}`;

const emulator = await startBedrockEmulator({ port: 0, credentials });
const bedrock = createAmazonBedrock({ baseURL: emulator.url, region: 'us-east-1', ...credentials });
const reports: CacheUsageReport[] = [];
// One ledger per wrapped model, with a small byte bound so that the load crosses it (every
// call is a conversation of its own: new nodes each).
const LEDGER_BYTES = 32 * 1024;
const stores = MODELS.map(() => memoryLedgerStore({ maxBytes: LEDGER_BYTES }));
let peakLedgerBytes = 0;
const models = MODELS.map((id, i) =>
  wrapLanguageModel({
    model: bedrock(id),
    middleware: bedrockCacheMiddleware({
      ledger: { store: stores[i]! },
      onCacheUsage: (r) => {
        reports.push(r);
        peakLedgerBytes = Math.max(peakLedgerBytes, ...stores.map((s) => s.bytes));
      },
    }),
  }),
);
const deadline = Date.now() + 120_000;

interface Outcome {
  id: string;
  modelId: string;
  text: string;
  usage: Record<string, unknown> | undefined;
  warnings: unknown[];
  ms: number;
  error?: string;
}

async function call(i: number): Promise<Outcome> {
  const id = `load-${i.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const modelIndex = i % MODELS.length;
  const started = performance.now();
  try {
    const result = streamText({
      model: models[modelIndex]!,
      system: SYSTEM,
      prompt: `${id} asks question ${i}`,
      abortSignal: AbortSignal.timeout(Math.max(0, deadline - Date.now())),
      maxRetries: 0,
    });
    const text = await result.text;
    const usage = (await result.providerMetadata)?.bedrock?.usage as Record<string, unknown> | undefined;
    return { id, modelId: MODELS[modelIndex]!, text, usage, warnings: (await result.warnings) ?? [], ms: performance.now() - started };
  } catch (error) {
    return { id, modelId: MODELS[modelIndex]!, text: '', usage: undefined, warnings: [], ms: performance.now() - started, error: String(error) };
  }
}

const started = performance.now();
const outcomes = await Promise.all(Array.from({ length: CALLS }, (_, i) => call(i)));
const seconds = (performance.now() - started) / 1000;

// Match each call to the emulator's own record of its request (by the id in its prompt).
const logged = new Map<string, (typeof emulator.requests)[number]>();
for (const entry of emulator.requests) {
  const id = /load-[a-z0-9]+-[a-z0-9]+/.exec(JSON.stringify(entry.body))?.[0];
  if (id) logged.set(id, entry);
}
const problems: string[] = [];
for (const outcome of outcomes) {
  const entry = logged.get(outcome.id);
  if (outcome.error) problems.push(`${outcome.id}: ${outcome.error}`);
  else if (!entry || entry.status !== 200) problems.push(`${outcome.id}: no successful request logged`);
  else if (!outcome.text.includes(outcome.id)) problems.push(`${outcome.id}: got another call's reply`);
  else if (
    outcome.usage?.cacheReadInputTokens !== entry.usage?.cacheReadInputTokens ||
    outcome.usage?.cacheWriteInputTokens !== entry.usage?.cacheWriteInputTokens ||
    outcome.usage?.inputTokens !== entry.usage?.inputTokens
  ) {
    problems.push(`${outcome.id}: usage ${JSON.stringify(outcome.usage)} ≠ logged ${JSON.stringify(entry.usage)}`);
  }
  const expectWarning = outcome.modelId.includes('llama');
  const cacheWarnings = outcome.warnings.filter((w) => JSON.stringify(w).includes('bedrock prompt caching'));
  if (cacheWarnings.length !== (expectWarning ? 1 : 0)) problems.push(`${outcome.id}: ${cacheWarnings.length} cache warnings`);
}
if (reports.length !== CALLS) problems.push(`onCacheUsage called ${reports.length} times for ${CALLS} calls`);
if (peakLedgerBytes > LEDGER_BYTES) problems.push(`a ledger held ${peakLedgerBytes} bytes, over its bound of ${LEDGER_BYTES}`);
await emulator.close();

const latencies = outcomes.map((o) => o.ms).sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(0);
const reads = outcomes.filter((o) => Number(o.usage?.cacheReadInputTokens ?? 0) > 0).length;
const summary = {
  calls: CALLS,
  concurrency: CALLS,
  seconds: Number(seconds.toFixed(2)),
  callsPerSecond: Number((CALLS / seconds).toFixed(1)),
  p50Ms: Number(pct(0.5)),
  p95Ms: Number(pct(0.95)),
  errors: outcomes.filter((o) => o.error).length,
  mismatches: problems.length,
  callsWithCacheReads: reads,
  ledgerPeakBytes: peakLedgerBytes,
  ledgerNodes: stores.map((s) => s.size),
};
console.log(`${CALLS} concurrent streamText calls over loopback (${MODELS.length} models, one wrapped model each)`);
console.log(`  ${summary.callsPerSecond} calls/s, ${summary.seconds} s in all, latency p50 ${summary.p50Ms} ms, p95 ${summary.p95Ms} ms`);
console.log(`  errors ${summary.errors}, usage/reply/warning mismatches ${summary.mismatches}, calls that read the cache ${reads}`);
console.log(`  ledger: peak ${(peakLedgerBytes / 1024).toFixed(1)} KB of a ${LEDGER_BYTES / 1024} KB bound per model, nodes kept ${summary.ledgerNodes.join(' / ')}`);
for (const problem of problems.slice(0, 10)) console.log(`  ! ${problem}`);
if (JSON_OUT) console.log(JSON.stringify(summary));
process.exitCode = problems.length > 0 ? 1 : 0;
