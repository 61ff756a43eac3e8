import type { LedgerStore } from '../ledger/ledger-store';
import type { ModelOverride } from '../model/model-profile';
import type { CacheTtl, ModelFamily } from '../model/model-table';
import type { CacheDebugEvent } from '../plan/cache-debug-event';
import type { PriceOverride } from '../pricing';
import type { BedrockCacheReport } from '../report/bedrock-cache-report';
import type { CacheTelemetryOptions } from '../telemetry/cache-attributes';
import type { CacheSection, UnsupportedModelBehavior } from '../types';

/** Options of {@link bedrockCacheMiddleware}. All are optional. */
export interface BedrockCacheOptions {
  /**
   * How long Bedrock keeps what a checkpoint writes: `'auto'` (default), `'5m'` or `'1h'`,
   * for all sections or per section (`{ tools: '1h', system: '1h', messages: '5m' }`). TTLs
   * may not increase along tools → system → messages. Models without 1h get 5m (with a
   * warning when you asked for 1h).
   *
   * `'auto'`: the ledger chooses per call (5m until it has seen a conversation come back;
   * with `ledger: false`, always 5m). A checkpoint gets 1h when conversations came back
   * after more than 5 and at most 60 minutes often enough that 1h saves money (this
   * conversation's own returns, plus those of the other conversations behind the same
   * prompt, worth at most 8): when `p × (w5 − r) > s × (w1h − w5)`, with `p` the share of such
   * returns (at least one seen), `s` the share of its prefix a call writes (1 for tools and system),
   * and the model's own prices (Claude: 1h pays when p > 0.652 × s); else 5m. Never 1h on a
   * model without it. The report's `autoTtl` says what was chosen and why.
   */
  ttl?: CacheTtl | 'auto' | Partial<Record<CacheSection, CacheTtl>>;
  /**
   * Fan-out coalescing, on by default: when calls with the same tools + system prefix (at
   * least the model's minimum) are sent together and the ledger doesn't know that prefix to
   * be cached, the first goes at once and the others wait until its response begins (its
   * result for generateText, its first stream part for streamText), then go and read what
   * it wrote instead of each writing it (Bedrock makes an entry readable only once its
   * writer's response has begun). A follower waits at most `maxWaitMs` (default 10,000),
   * stops at once when its `abortSignal` aborts, and goes uncoordinated if the leader fails.
   * With a ledger store that has a lease (the Redis stores), instances sharing it coordinate
   * too. `false` turns it off. The report's `coalesced` says who waited and how long.
   */
  coalesce?: boolean | { maxWaitMs?: number };
  /**
   * Place no checkpoint until the prompt holds this many messages, counting the system
   * prompt as one (as LangChain does). Default 0.
   */
  minMessagesToCache?: number;
  /**
   * What to do when the wrapped model can't cache (not Bedrock, or a model without
   * prompt caching): `'ignore'`, `'warn'` (default; a warning in the call's `warnings`)
   * or `'raise'` (throws {@link BedrockCacheUnsupportedModelError} before any request).
   */
  unsupportedModelBehavior?: UnsupportedModelBehavior;
  /** Turn sections off: `{ tools: false }` places no tool checkpoint. Default: all on. */
  cache?: Partial<Record<CacheSection, boolean>>;
  /**
   * The model family, for ids detection can't read: application inference-profile
   * ARNs, custom ids, or Claude/Nova models newer than this library's table.
   */
  modelFamily?: ModelFamily;
  /**
   * Your own rows for the model table, for a model this version doesn't know or to
   * correct one it does: `{ 'anthropic.claude-opus-5': { minTokens: 4096, ttls: ['1h', '5m'] } }`.
   * Keys are a foundation-model id prefix without region prefix, or a model id exactly as
   * you pass it (an application inference-profile ARN: then say its `family`).
   * `{ caches: false }` turns caching off for a model.
   */
  models?: Record<string, ModelOverride>;
  /**
   * When your own checkpoints make the request invalid (more than four, or a 1h after a
   * 5m), repair them: keep the tools and system ones and then the latest message ones
   * (four in all), lower a 1h that follows a 5m, and say what changed in a warning.
   * Default true; `false` leaves them as written and adds nothing.
   */
  repairCheckpoints?: boolean;
  /**
   * The cache ledger: the middleware's model of what Bedrock holds, a prefix tree per model
   * whose nodes are the places a checkpoint can sit (keyed hashes of the prompt up to there,
   * times, TTLs, token counts and visit counts; never prompt text). It explains each miss
   * (`cacheMiss` in onCacheUsage) and stops writing where writes would not be read. Default:
   * on, in memory (`maxKeys` nodes, default 20,000; `maxBytes`, default 8 MB; each node
   * expires 2 h after its last update, prompt nodes after 24 h), keyed with a random secret
   * per process. `false` turns it off; `{ store }` shares it across instances (see
   * `LedgerStore`; instances sharing a store share its `secret`).
   */
  ledger?: boolean | { store?: LedgerStore; maxKeys?: number; maxBytes?: number };
  /**
   * OpenTelemetry: the cache counts are set on the AI SDK's model-call span whenever its
   * `experimental_telemetry` is on. `openInference: true` also sets OpenInference's
   * `llm.token_count.prompt_details.cache_read` / `cache_write` (Arize Phoenix); off by
   * default, as they repeat the `gen_ai.*` counts.
   */
  telemetry?: CacheTelemetryOptions;
  /**
   * Your own prices (USD per million tokens), for a model the built-in table lacks or a
   * negotiated rate: `{ 'anthropic.claude-opus-9': { input: 5, output: 25, cacheRead: 0.5, cacheWrite5m: 6.25 } }`.
   * Keyed like `models`. Costs appear in onCacheUsage, `providerMetadata.bedrockCache` and
   * getBedrockCacheUsage.
   */
  prices?: Record<string, PriceOverride>;
  /** The clock (ms) the ledger measures TTLs with. Default `Date.now`; for tests on an emulator's clock. */
  now?: () => number;
  /**
   * Called after every model call (generate or stream) with its normalized cache usage,
   * for metrics (CloudWatch, OpenTelemetry, logs). It can't break a call: a throw or a
   * rejected promise is reported once with `console.error` and otherwise ignored.
   */
  onCacheUsage?: (report: BedrockCacheReport) => unknown;
  /**
   * When Bedrock rejects a request because of its cache checkpoints (HTTP 400/403 with
   * one of its cache error texts), send it once more without the middleware's
   * checkpoints (the caller's stay), with a warning saying why. Default true. No other
   * error is ever retried.
   */
  retryOnCacheError?: boolean;
  /**
   * Explain each placement decision: `true` logs with `console.debug`, a function
   * receives the decisions as data. Never includes prompt text, only positions,
   * token estimates, counts and the model id. A debug function that throws is reported
   * once with `console.error` and otherwise ignored.
   */
  debug?: boolean | ((event: CacheDebugEvent) => unknown);
}

/**
 * Per-call control, as `providerOptions: { bedrockCache: { … } }` of `generateText` /
 * `streamText` (removed before the provider sees it). Invalid values throw an
 * `InvalidArgumentError` naming the option.
 */
export interface BedrockCacheCallOptions {
  /** `false`: this call is sent as written, with no checkpoint added or repaired. */
  enabled?: boolean;
  /** This call's TTL, as the `ttl` option. */
  ttl?: CacheTtl | 'auto' | Partial<Record<CacheSection, CacheTtl>>;
  /** This call's sections, as the `cache` option (merged over it). */
  cache?: Partial<Record<CacheSection, boolean>>;
  /**
   * Set by `warmBedrockCache`: the call is a warm-up of the prefix through this section,
   * skipped (the call rejects with a `BedrockCacheWarmUpSkipped`) when the ledger knows it is cached.
   */
  warmUp?: 'system' | 'messages';
}

/** {@link BedrockCacheOptions} with every default filled in and per-section TTLs. */
export interface ResolvedOptions {
  ttl: Record<CacheSection, CacheTtl>;
  /** `ttl: 'auto'`: the ledger chooses per call (`ttl` then holds 5m, the fallback). */
  ttlAuto: boolean;
  coalesce: false | { maxWaitMs: number };
  minMessagesToCache: number;
  unsupportedModelBehavior: UnsupportedModelBehavior;
  cache: Record<CacheSection, boolean>;
  modelFamily: ModelFamily | undefined;
  models: Record<string, ModelOverride> | undefined;
  repairCheckpoints: boolean;
  ledger: false | { store?: LedgerStore; maxKeys?: number; maxBytes?: number };
  telemetry: CacheTelemetryOptions;
  prices: Record<string, PriceOverride> | undefined;
  now: () => number;
  /** Never throws (see `isolate`). */
  onCacheUsage: ((report: BedrockCacheReport) => void) | undefined;
  retryOnCacheError: boolean;
  /** Never throws (see `isolate`). */
  debug: ((event: CacheDebugEvent) => void) | undefined;
}

/** One call's resolved options. */
export type CallOptions = ResolvedOptions & {
  enabled: boolean;
  /** A warm-up (see warm/) of the prefix through this section: skipped when it is known to be cached. */
  warmUp?: 'system' | 'messages';
  /** From the ledger (see plan/plan-checkpoints.ts `PlanOptions`). */
  unreadableFrom?: 'tools' | 'system' | { message: number };
  unreadableWhy?: string;
  lastTurnDropped?: boolean;
};
