import type { BedrockCacheReport } from '../report/bedrock-cache-report';
import {
  BEDROCK_CACHE,
  GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_READ,
  LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_WRITE,
} from './attribute-names';

/** Span attribute values, as OpenTelemetry's `Attributes` accepts them. */
export type CacheAttributes = Record<string, number | string>;

/** What the middleware's `telemetry` option can turn on. */
export interface CacheTelemetryOptions {
  /**
   * Also set OpenInference's `llm.token_count.prompt_details.cache_read` / `cache_write`
   * (Arize Phoenix). Off by default: they repeat the `gen_ai.*` counts, and a backend that
   * reads every `llm.token_count.*` key as a usage bucket counts them twice (Langfuse did
   * until langfuse/langfuse #13572: langfuse/langfuse #13571).
   */
  openInference?: boolean;
}

/**
 * The span attributes for one call's cache report: counts, ratios and reasons only, never
 * prompt text (the report carries none).
 */
export function cacheAttributes(report: BedrockCacheReport, options: CacheTelemetryOptions = {}): CacheAttributes {
  const attributes: CacheAttributes = {
    [GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: report.cacheReadInputTokens,
    [GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS]: report.cacheWriteInputTokens,
    ...(options.openInference && {
      [LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_READ]: report.cacheReadInputTokens,
      [LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_WRITE]: report.cacheWriteInputTokens,
    }),
    [BEDROCK_CACHE.hitRatio]: report.hitRatio,
    [BEDROCK_CACHE.uncachedInputTokens]: report.uncachedInputTokens,
    [BEDROCK_CACHE.checkpointsAdded]: report.checkpoints.added,
    [BEDROCK_CACHE.checkpointsExisting]: report.checkpoints.existing,
  };
  for (const { ttl, inputTokens } of report.cacheDetails ?? []) {
    // A TTL is Bedrock's short string ('5m', '1h'); anything else would make an odd key.
    if (/^\w{1,8}$/.test(ttl)) attributes[BEDROCK_CACHE.cacheWriteByTtl(ttl)] = inputTokens;
  }
  if (report.recoveredFrom) attributes[BEDROCK_CACHE.recoveredFrom] = report.recoveredFrom;
  if (report.cacheMiss) attributes[BEDROCK_CACHE.missReason] = report.cacheMiss.reason;
  // Fan-out coalescing: how long the call waited for a concurrent call's response to begin (0 for the leader).
  if (report.coalesced) attributes[BEDROCK_CACHE.waitedMs] = report.coalesced.waitedMs;
  if (report.costUsd !== undefined) attributes[BEDROCK_CACHE.costUsd] = report.costUsd;
  if (report.savedUsd !== undefined) attributes[BEDROCK_CACHE.savedUsd] = report.savedUsd;
  return attributes;
}
