/**
 * The part of an OpenTelemetry span this package uses: `isRecording` and `setAttributes`
 * from the API's `Span`, and `name`, which the JS SDK's spans (`ReadableSpan.name`) and
 * dd-trace's OpenTelemetry spans (a `name` getter) both expose.
 */
export interface ModelCallSpan {
  readonly name: string;
  isRecording(): boolean;
  setAttributes(attributes: Record<string, number | string>): unknown;
}

/**
 * Where `@opentelemetry/api` 1.x keeps its globals, so that every copy of the package in an
 * app shares one context manager: `Symbol.for('opentelemetry.js.api.<major>')`
 * (api src/internal/global-utils.ts), holding `context` (the ContextManager) once an SDK has
 * registered one; the active span sits in the context under the key
 * `Symbol.for('OpenTelemetry Context Key SPAN')` (createContextKey in
 * api src/trace/context-utils.ts). Read directly, not through an import of the package:
 * - ai 7 doesn't depend on `@opentelemetry/api` (its OpenTelemetry support is the separate
 *   `@ai-sdk/otel`), so a static import would add a dependency for every ai 7 user, and an
 *   optional peer can't be imported statically.
 * - A copy of the API whose minor version is newer than the copy that registered the globals
 *   sees none of them (api src/internal/semver.ts: "1.4 package may NOT use 1.3 global"), and
 *   `@ai-sdk/otel` pins `@opentelemetry/api` 1.9.1: our own copy could see no span at all.
 * What is read here, ContextManager.active() and Context.getValue(), is in every 1.x.
 * test/telemetry.test.ts checks this against the real API and SDK.
 */
const OTEL_API = Symbol.for('opentelemetry.js.api.1');
const SPAN_KEY = Symbol.for('OpenTelemetry Context Key SPAN');

/**
 * The AI SDK's model-call spans: `ai.generateText.doGenerate`, `ai.streamText.doStream`
 * (and the object functions' `ai.generateObject.doGenerate` …) on ai 6 and on ai 7's
 * `LegacyOpenTelemetry`; `chat {modelId}` on ai 7's `OpenTelemetry`
 * (@ai-sdk/otel src/open-telemetry.ts, the GenAI convention's `{operation} {model}`).
 * Any other active span is the app's own (an HTTP request, a job): with the AI SDK's
 * telemetry off, its no-op tracer leaves that one active around the model call, and cache
 * counts don't belong there.
 */
const MODEL_CALL_SPAN = /^(?:ai\.\w+\.do(?:Generate|Stream)|chat \S.*)$/;

type Context = { getValue(key: symbol): unknown };
type OtelGlobals = { context?: { active(): Context | undefined } };

/**
 * The span the AI SDK has active around a model call (`ai.generateText.doGenerate`,
 * `ai.streamText.doStream`), captured when the call starts so that a stream's `finish`,
 * which runs later outside that context, can still be recorded on it. Undefined when no
 * OpenTelemetry SDK is registered, the AI SDK's telemetry is off, or the span isn't
 * recording (sampled out). Never throws.
 */
export function captureActiveSpan(): ModelCallSpan | undefined {
  try {
    const globals = (globalThis as Record<symbol, OtelGlobals | undefined>)[OTEL_API];
    const span = globals?.context?.active()?.getValue(SPAN_KEY);
    return isModelCallSpan(span) && span.isRecording() ? span : undefined;
  } catch {
    // Telemetry must never be the reason a model call fails.
    return undefined;
  }
}

function isModelCallSpan(value: unknown): value is ModelCallSpan {
  if (typeof value !== 'object' || value === null) return false;
  const span = value as Partial<ModelCallSpan>;
  return (
    typeof span.isRecording === 'function' &&
    typeof span.setAttributes === 'function' &&
    typeof span.name === 'string' &&
    MODEL_CALL_SPAN.test(span.name)
  );
}
