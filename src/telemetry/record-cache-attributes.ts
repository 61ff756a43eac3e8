import type { BedrockCacheReport } from '../report/bedrock-cache-report';
import { cacheAttributes, type CacheTelemetryOptions } from './cache-attributes';
import type { ModelCallSpan } from './capture-active-span';

/**
 * Records a call's cache usage on the span captured by `captureActiveSpan`: the GenAI
 * convention's cache counters, `bedrock_cache.*`, and OpenInference's when
 * `options.openInference` (see attribute-names.ts). A no-op without a span or once the
 * span has ended (a stream read after the AI SDK closed its span); never throws.
 */
export function recordCacheAttributes(span: ModelCallSpan | undefined, report: BedrockCacheReport, options?: CacheTelemetryOptions): void {
  if (span === undefined) return;
  try {
    if (span.isRecording()) span.setAttributes(cacheAttributes(report, options));
  } catch {
    // Telemetry must never be the reason a model call fails.
  }
}
