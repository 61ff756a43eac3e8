/**
 * The span the AI SDK has active around a model call (`ai.generateText.doGenerate`,
 * `ai.streamText.doStream`), captured when the call starts so that a stream's `finish`,
 * which runs later outside that context, can still be recorded on it.
 *
 * Placeholder: returns nothing until the telemetry module lands.
 */
export function captureActiveSpan(): unknown {
  return undefined;
}
