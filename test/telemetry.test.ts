/**
 * Cache attributes on the AI SDK's own model-call spans, recorded by the official
 * OpenTelemetry SDK (BasicTracerProvider, in-memory exporter, AsyncLocalStorage context
 * manager) through generateText/streamText against the emulator; values checked against
 * what the emulator reported. ai 6: `experimental_telemetry: { isEnabled, tracer }`.
 * ai 7: the spans come from `@ai-sdk/otel`, both its integrations (legacy `ai.*` spans,
 * GenAI `chat {model}` spans), passed per call.
 */
import { context, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { generateText, streamText, wrapLanguageModel, type ModelMessage } from 'ai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware, type CacheUsageReport } from '../src';
import type { EmulatorRequestLogEntry } from '../src/emulator';
import { captureActiveSpan, type ModelCallSpan } from '../src/telemetry/capture-active-span';
import { recordCacheAttributes } from '../src/telemetry/record-cache-attributes';
import { useEmulatedBedrock } from './support/emulator-bedrock';
import { LONG_SYSTEM, SONNET } from './support/fixtures';
import { LOADED } from './support/versions';

const { emulator, bedrock, anthropic } = useEmulatedBedrock();

const exporter = new InMemorySpanExporter();

/** Cache-count attribute writes on any span, with who wrote them (from the stack: our recorder, the AI SDK's telemetry, or else). */
const cacheWrites: Array<{ spanId: string; key: string; value: unknown; writer: 'ours' | 'ai-sdk' | 'other' }> = [];
const CACHE_COUNT = /^(gen_ai\.usage\.cache_|ai\.usage\.(cachedInputTokens|inputTokenDetails\.cache))/;
const writerOf = (stack: string) =>
  stack.includes('record-cache-attributes') ? 'ours' : /@ai-sdk[\\/]otel|node_modules[\\/]ai[\\/]/.test(stack) ? 'ai-sdk' : 'other';
/** Wraps each span's setAttribute (the SDK's setAttributes calls it per key) to note the cache counts written. */
const cacheWriteRecorder: SpanProcessor = {
  onStart(span: Span) {
    const setAttribute = span.setAttribute.bind(span);
    span.setAttribute = (key, value) => {
      if (CACHE_COUNT.test(key) && value !== undefined) cacheWrites.push({ spanId: span.spanContext().spanId, key, value, writer: writerOf(new Error().stack ?? '') });
      return setAttribute(key, value);
    };
  },
  onEnd: () => {},
  forceFlush: async () => {},
  shutdown: async () => {},
};
const provider = new BasicTracerProvider({ spanProcessors: [cacheWriteRecorder, new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer('telemetry-test');
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(() => {
  context.disable();
});
afterEach(() => {
  exporter.reset();
  cacheWrites.length = 0;
});

type Integration = 'legacy' | 'genai';
/** ai 7 only; a variable so the ai 6 leg neither resolves nor type-checks it. */
const AI_SDK_OTEL = '@ai-sdk/otel';

/** The call options that turn the AI SDK's telemetry on with our tracer, per AI SDK line. */
async function telemetryOn(integration: Integration): Promise<Record<string, unknown>> {
  if (LOADED.ai < 7) return { experimental_telemetry: { isEnabled: true, tracer } };
  type IntegrationClass = new (options: { tracer: Tracer }) => unknown;
  const otel = (await import(AI_SDK_OTEL)) as { OpenTelemetry: IntegrationClass; LegacyOpenTelemetry: IntegrationClass };
  const Integration = integration === 'legacy' ? otel.LegacyOpenTelemetry : otel.OpenTelemetry;
  return { telemetry: { integrations: [new Integration({ tracer })] } };
}

/** ai 6 has only the `ai.*` spans; ai 7 has both integrations. */
const integrations: Integration[] = LOADED.ai < 7 ? ['legacy'] : ['legacy', 'genai'];

const modelCallSpanName = (integration: Integration, fn: 'generate' | 'stream') =>
  integration === 'genai' ? `chat ${SONNET}` : fn === 'generate' ? 'ai.generateText.doGenerate' : 'ai.streamText.doStream';

/** The finished spans of that name, oldest first (the GenAI spans of both calls share one name). */
const spansNamed = (name: string): ReadableSpan[] =>
  exporter
    .getFinishedSpans()
    .filter((span) => span.name === name)
    .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);

/** Checkpoints in the request body as sent: Converse `cachePoint` blocks, InvokeModel `cache_control`. */
const checkpointsSent = (request: EmulatorRequestLogEntry) => JSON.stringify(request.body).match(/"cachePoint"|"cache_control"/g)?.length ?? 0;

/** A report as the middleware hands it over, for the tests that record directly. */
const REPORT: CacheUsageReport = {
  cacheReadInputTokens: 10,
  cacheWriteInputTokens: 0,
  uncachedInputTokens: 5,
  totalInputTokens: 15,
  hitRatio: 10 / 15,
  modelId: SONNET,
  callType: 'stream',
  cacheDetails: undefined,
  checkpoints: { added: 1, existing: 0 },
};

function onlySpan(name: string): ReadableSpan {
  const spans = spansNamed(name);
  expect(spans, `one finished span named ${name}`).toHaveLength(1);
  return spans[0]!;
}

// ConverseStream's usage has no `cacheDetails` (shared doc, Converse usage: "may be absent,
// notably on streams"; the emulator's default), InvokeModel streams do (`cache_creation`).
const apis = [
  ['Converse', () => bedrock(SONNET), { ttlsOnStream: false }],
  ['InvokeModel', () => anthropic(SONNET), { ttlsOnStream: true }],
] as const;

describe.each(integrations)('span attributes (%s spans)', (integration) => {
  it.each(apis)('are on the doGenerate and doStream spans with what Bedrock reported (%s)', async (_, base, { ttlsOnStream }) => {
    const model = wrapLanguageModel({ model: base(), middleware: bedrockCacheMiddleware() });
    const options = await telemetryOn(integration);
    const messages: ModelMessage[] = [{ role: 'user', content: 'What is the return window?' }];
    const first = await generateText({ model, system: LONG_SYSTEM, messages, ...options });
    messages.push(...first.response.messages, { role: 'user', content: 'And for shoes?' });
    await streamText({ model, system: LONG_SYSTEM, messages, ...options }).consumeStream();

    const [written, read] = emulator.requests;
    expect(written!.usage!.cacheWriteInputTokens).toBeGreaterThan(3000);
    expect(read!.usage!.cacheReadInputTokens).toBeGreaterThan(3000);

    // one span per call, generate's first
    const modelCallSpans = [...new Set([modelCallSpanName(integration, 'generate'), modelCallSpanName(integration, 'stream')])].flatMap(spansNamed);
    expect(modelCallSpans).toHaveLength(2);
    const [generateSpan, streamSpan] = modelCallSpans;
    for (const [request, span, ttls] of [
      [written!, generateSpan!, true],
      [read!, streamSpan!, ttlsOnStream],
    ] as const) {
      const usage = request.usage!;
      const total = usage.inputTokens + usage.cacheReadInputTokens + usage.cacheWriteInputTokens;
      const { name, attributes } = span;
      expect(attributes, name).toMatchObject({
        'gen_ai.usage.cache_read.input_tokens': usage.cacheReadInputTokens,
        'gen_ai.usage.cache_creation.input_tokens': usage.cacheWriteInputTokens,
        'bedrock_cache.hit_ratio': usage.cacheReadInputTokens / total,
        'bedrock_cache.uncached_input_tokens': usage.inputTokens,
        'bedrock_cache.checkpoints.added': checkpointsSent(request),
        'bedrock_cache.checkpoints.existing': 0,
        // the convention's input_tokens includes cached input: the AI SDK records the total
        'gen_ai.usage.input_tokens': total,
      });
      const byTtl = Object.fromEntries(Object.entries(attributes).filter(([key]) => key.startsWith('bedrock_cache.cache_write.')));
      expect(byTtl, name).toEqual(
        ttls ? Object.fromEntries(usage.cacheDetails.map(({ ttl, inputTokens }) => [`bedrock_cache.cache_write.${ttl}.input_tokens`, inputTokens])) : {},
      );
      expect(attributes['bedrock_cache.recovered_from']).toBeUndefined();
      // dollars (Sonnet 4.5 is priced); a first call missed nothing, so no miss reason
      expect(attributes['bedrock_cache.cost_usd'], name).toEqual(expect.any(Number));
      expect(attributes['bedrock_cache.saved_usd'], name).toEqual(expect.any(Number));
      expect(attributes['bedrock_cache.miss_reason'], name).toBeUndefined();
      // OpenInference's copies only on request (telemetry: { openInference: true })
      expect(Object.keys(attributes).filter((key) => key.startsWith('llm.'))).toEqual([]);
    }
    // only on the model-call spans, never the operation or step spans around them
    const elsewhere = exporter.getFinishedSpans().filter((span) => !span.name.startsWith('chat ') && !/\.do(Generate|Stream)$/.test(span.name));
    expect(elsewhere.length).toBeGreaterThan(0);
    for (const span of elsewhere) expect(Object.keys(span.attributes).filter((key) => key.startsWith('bedrock_cache.')), span.name).toEqual([]);
  });

  it('holds no prompt text among our attributes', async () => {
    const model = wrapLanguageModel({ model: bedrock(SONNET), middleware: bedrockCacheMiddleware() });
    await generateText({ model, system: LONG_SYSTEM, prompt: 'secret-question-42', ...(await telemetryOn(integration)) });
    const attributes = onlySpan(modelCallSpanName(integration, 'generate')).attributes;
    const ours = Object.entries(attributes).filter(([key]) => /^(bedrock_cache\.|gen_ai\.usage\.cache_)/.test(key));
    expect(ours.length).toBeGreaterThan(5);
    for (const [key, value] of ours) expect(typeof value === 'number' || (typeof value === 'string' && value.length < 200), key).toBe(true);
  });
});

// ai 6's own telemetry and @ai-sdk/otel's LegacyOpenTelemetry write `ai.usage.inputTokenDetails.cacheReadTokens`
// / `.cacheWriteTokens` (and `ai.usage.cachedInputTokens`); @ai-sdk/otel's OpenTelemetry (GenAI) writes the same
// `gen_ai.usage.cache_read.input_tokens` / `cache_creation.input_tokens` we do, on the same `chat {model}` span, from
// usage.inputTokens.cacheRead / cacheWrite (@ai-sdk/otel src/open-telemetry.ts, onStepEnd / onGenerateEnd).
describe.each(integrations)("side by side with the AI SDK's own cache counts (%s spans)", (integration) => {
  it.each(['generate', 'stream'] as const)('agree on one span, and no write of one is overwritten by a different value (%s)', async (fn) => {
    const model = wrapLanguageModel({ model: bedrock(SONNET), middleware: bedrockCacheMiddleware() });
    const options = await telemetryOn(integration);
    const messages: ModelMessage[] = [{ role: 'user', content: 'What is the return window?' }];
    const first = await generateText({ model, system: LONG_SYSTEM, messages, ...options });
    messages.push(...first.response.messages, { role: 'user', content: 'And for shoes?' });
    if (fn === 'generate') await generateText({ model, system: LONG_SYSTEM, messages, ...options });
    else await streamText({ model, system: LONG_SYSTEM, messages, ...options }).consumeStream();
    const usage = emulator.requests[1]!.usage!;
    expect(usage.cacheReadInputTokens).toBeGreaterThan(3000);

    const name = modelCallSpanName(integration, fn);
    const span = spansNamed(name).at(-1)!;
    const writes = cacheWrites.filter((w) => w.spanId === span.spanContext().spanId);
    const expected: Record<string, number> = {
      'gen_ai.usage.cache_read.input_tokens': usage.cacheReadInputTokens,
      'gen_ai.usage.cache_creation.input_tokens': usage.cacheWriteInputTokens,
    };
    if (integration === 'legacy') {
      // theirs under the AI SDK's names, ours under the convention's: the same counts
      Object.assign(expected, {
        'ai.usage.inputTokenDetails.cacheReadTokens': usage.cacheReadInputTokens,
        'ai.usage.inputTokenDetails.cacheWriteTokens': usage.cacheWriteInputTokens,
        'ai.usage.cachedInputTokens': usage.cacheReadInputTokens,
      });
    }
    expect(span.attributes).toMatchObject(expected);
    // every write of a cache count on this span, by either writer, carried the final value
    for (const write of writes) expect(write.value, `${write.writer} wrote ${write.key}`).toBe(expected[write.key]);
    const writers = (key: string) => [...new Set(writes.filter((w) => w.key === key).map((w) => w.writer))].sort();
    expect(writers('gen_ai.usage.cache_read.input_tokens')).toEqual(integration === 'genai' ? ['ai-sdk', 'ours'] : ['ours']);
    expect(writers('gen_ai.usage.cache_creation.input_tokens')).toEqual(integration === 'genai' ? ['ai-sdk', 'ours'] : ['ours']);
    if (integration === 'legacy') expect(writers('ai.usage.inputTokenDetails.cacheReadTokens')).toEqual(['ai-sdk']);
  });
});

describe('telemetry off or absent', () => {
  it('sets nothing on an app span active around a call with the AI SDK telemetry off', async () => {
    const reports: CacheUsageReport[] = [];
    const model = wrapLanguageModel({ model: bedrock(SONNET), middleware: bedrockCacheMiddleware({ onCacheUsage: (r) => reports.push(r) }) });
    await tracer.startActiveSpan('POST /api/chat', async (span) => {
      await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi' });
      await streamText({ model, system: LONG_SYSTEM, prompt: 'Hi' }).consumeStream();
      span.end();
    });
    expect(reports).toHaveLength(2);
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual(['POST /api/chat']);
    expect(spans[0]!.attributes).toEqual({});
  });

  it('records nothing and throws nothing without a context manager', async () => {
    context.disable();
    try {
      const model = wrapLanguageModel({ model: bedrock(SONNET), middleware: bedrockCacheMiddleware() });
      const result = await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi', ...(await telemetryOn('legacy')) });
      expect(result.text).toMatch(/Reply to/);
      for (const span of exporter.getFinishedSpans()) expect(Object.keys(span.attributes).filter((key) => key.startsWith('bedrock_cache.'))).toEqual([]);
    } finally {
      context.setGlobalContextManager(contextManager.enable());
    }
  });

  it('skips a span that ended before the usage arrived, and a span that is not recording', () => {
    const span = tracer.startSpan('ai.streamText.doStream');
    const captured = context.with(trace.setSpan(context.active(), span), () => captureActiveSpan());
    expect(captured).toBe(span);
    span.end();
    expect(() => recordCacheAttributes(captured, REPORT)).not.toThrow();
    expect(onlySpan('ai.streamText.doStream').attributes).toEqual({});

    const unsampled = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 0 });
    expect(context.with(trace.setSpan(context.active(), unsampled), () => captureActiveSpan())).toBeUndefined();
    // not a span at all (the guard catches what a malformed one throws)
    expect(() => recordCacheAttributes({} as ModelCallSpan, REPORT)).not.toThrow();
  });
});

describe('options', () => {
  it("adds OpenInference's cache counts with openInference: true, and the reason after a recovery", () => {
    const span = tracer.startSpan('ai.generateText.doGenerate');
    const captured = context.with(trace.setSpan(context.active(), span), () => captureActiveSpan());
    recordCacheAttributes(captured, { ...REPORT, recoveredFrom: 'too many cache checkpoints' }, { openInference: true });
    span.end();
    expect(onlySpan('ai.generateText.doGenerate').attributes).toEqual({
      'gen_ai.usage.cache_read.input_tokens': 10,
      'gen_ai.usage.cache_creation.input_tokens': 0,
      'llm.token_count.prompt_details.cache_read': 10,
      'llm.token_count.prompt_details.cache_write': 0,
      'bedrock_cache.hit_ratio': 10 / 15,
      'bedrock_cache.uncached_input_tokens': 5,
      'bedrock_cache.checkpoints.added': 1,
      'bedrock_cache.checkpoints.existing': 0,
      'bedrock_cache.recovered_from': 'too many cache checkpoints',
    });
  });
});
