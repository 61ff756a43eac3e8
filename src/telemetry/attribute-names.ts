/**
 * The span attribute names this package sets. The two `gen_ai.*` names are OpenTelemetry's
 * GenAI semantic conventions (experimental: `@opentelemetry/semantic-conventions/incubating`
 * 1.45, `ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS` / `…_CACHE_CREATION_…`). They are copied
 * here rather than imported because that package's README asks instrumentation libraries not
 * to import the incubating entry at run time (it may break in minor versions) and to copy the
 * definitions instead; test/telemetry-attribute-names.test.ts checks the copies still match.
 */

/** Input tokens read from the cache (OpenTelemetry GenAI; part of `gen_ai.usage.input_tokens`). */
export const GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = 'gen_ai.usage.cache_read.input_tokens';
/** Input tokens written to the cache (OpenTelemetry GenAI; part of `gen_ai.usage.input_tokens`). */
export const GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS = 'gen_ai.usage.cache_creation.input_tokens';

/**
 * OpenInference's names for the same two counts (Arize Phoenix reads these), from
 * openinference-semantic-conventions `LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_READ` / `…_WRITE`.
 */
export const LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_READ = 'llm.token_count.prompt_details.cache_read';
export const LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_WRITE = 'llm.token_count.prompt_details.cache_write';

/** This package's own attributes, all under one prefix. */
export const BEDROCK_CACHE = {
  /** Share of the call's input read from the cache, 0–1. */
  hitRatio: 'bedrock_cache.hit_ratio',
  /** Input tokens neither read from nor written to the cache (Bedrock's `inputTokens`). */
  uncachedInputTokens: 'bedrock_cache.uncached_input_tokens',
  /** Checkpoints this middleware added to the request. */
  checkpointsAdded: 'bedrock_cache.checkpoints.added',
  /** Checkpoints the caller had placed already. */
  checkpointsExisting: 'bedrock_cache.checkpoints.existing',
  /** Why Bedrock rejected our checkpoints, when the call was sent again without them. */
  recoveredFrom: 'bedrock_cache.recovered_from',
  /** Why the call read less than an earlier call left in the cache (the ledger's `cacheMiss.reason`). */
  missReason: 'bedrock_cache.miss_reason',
  /** Estimated input cost with caching, and what caching saved, in USD (models with known prices). */
  costUsd: 'bedrock_cache.cost_usd',
  savedUsd: 'bedrock_cache.saved_usd',
  /** Milliseconds a call waited for its fan-out's leader (the report's `coalesced.waitedMs`; 0 for the leader). */
  waitedMs: 'bedrock_cache.waited_ms',
  /** Cache writes of one TTL: `bedrock_cache.cache_write.5m.input_tokens`, `….1h.…`. */
  cacheWriteByTtl: (ttl: string) => `bedrock_cache.cache_write.${ttl}.input_tokens`,
} as const;
