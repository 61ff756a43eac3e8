import { InvalidArgumentError } from '@ai-sdk/provider';
import { z } from 'zod/v4';
import { COALESCE_DEFAULTS } from './coordination/fan-out-coordinator';
import type { CoalescedReport } from './coordination/fan-out-coordinator';
import type { AutoTtlChoice } from './ledger/auto-ttl';
import type { CacheMiss } from './ledger/explain-miss';
import type { LedgerStore } from './ledger/ledger-store';
import type { PriceOverride } from './pricing';
import type { CacheTelemetryOptions } from './telemetry/cache-attributes';
import type { ModelOverride } from './model/model-profile';
import type { CacheTtl, ModelFamily } from './model/model-table';
import type { PlanDecision } from './plan/plan-checkpoints';
import type { CacheUsageReport } from './usage/read-cache-usage';

/** What the middleware decided for one call (see the `debug` option). Holds no prompt text. */
export interface CacheDebugEvent {
  modelId: string;
  /** False when the model can't cache; `reason` says why. */
  supported: boolean;
  reason?: string;
  /** Set when some of the model's figures are inferred from its family, not published for it. */
  inferred?: string;
  /** Each candidate checkpoint: placed, kept (the caller's) or skipped, and why. */
  decisions: PlanDecision[];
  /** After the response: why the call read less than it could have (see the ledger option). */
  cacheMiss?: CacheMiss;
}

/** What `onCacheUsage` receives: the call's cache usage, and what the middleware did about its timing. */
export interface BedrockCacheReport extends CacheUsageReport {
  /**
   * Set when the call shared its prefix with concurrent calls (fan-out coalescing, the
   * `coalesce` option): the leader went first, a follower waited `waitedMs` for the leader's
   * response to begin, then read what it wrote.
   */
  coalesced?: CoalescedReport;
  /** With `ttl: 'auto'`: the TTLs chosen for this call's checkpoints and why. */
  autoTtl?: Pick<AutoTtlChoice, 'ttl' | 'longGapShare' | 'reuses' | 'why'>;
}

/** A prompt section that can end in a cache checkpoint, in Bedrock's prefix order. */
export type CacheSection = 'tools' | 'system' | 'messages';

/** Options of {@link bedrockCacheMiddleware}. All are optional. */
export interface BedrockCacheOptions {
  /**
   * How long Bedrock keeps what a checkpoint writes: `'auto'` (default), `'5m'` or `'1h'`,
   * for all sections or per section (`{ tools: '1h', system: '1h', messages: '5m' }`). TTLs
   * may not increase along tools → system → messages. Models without 1h get 5m (with a
   * warning when you asked for 1h).
   *
   * `'auto'`: the ledger chooses per call (5m until it has seen this prompt come back; with
   * `ledger: false`, always 5m). A checkpoint gets 1h when this prompt group's
   * conversations came back after more than 5 and at most 60 minutes often enough that 1h
   * saves money: when `p × (w5 − r) > s × (w1h − w5)`, with `p` the share of such reuses
   * (at least one seen), `s` the share of its prefix a call writes (1 for tools and system),
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
  unsupportedModelBehavior?: 'ignore' | 'warn' | 'raise';
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
   * The cache ledger: the middleware's memory of what earlier calls wrote (hashes of the
   * prompt's blocks, times and token counts; never prompt text). It explains each miss
   * (`cacheMiss` in onCacheUsage) and stops writing where nothing can be read. Default: on,
   * in memory (at most 1,000 prompt groups × 32 calls, about 8 MB). `false` turns it off;
   * `{ store }` shares it across instances (see `LedgerStore`).
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
  unsupportedModelBehavior: 'ignore' | 'warn' | 'raise';
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

const ttl = z.enum(['5m', '1h']);
const flag = z.boolean({ error: 'must be true or false' });
const fn = <T>(message: string) => z.custom<T>((value) => typeof value === 'function', { message });
const sections = ['tools', 'system', 'messages'] as const;

const ttlOption = z.union([ttl, z.literal('auto'), z.strictObject({ tools: ttl.optional(), system: ttl.optional(), messages: ttl.optional() })]);
const cacheOption = z.strictObject({ tools: flag.optional(), system: flag.optional(), messages: flag.optional() });
const wholeNumber = z.int({ error: 'must be a whole number ≥ 0' }).min(0, { error: 'must be a whole number ≥ 0' });
const modelRow = z.strictObject({
  family: z.enum(['anthropic', 'nova']).optional(),
  minTokens: wholeNumber.optional(),
  ttls: z.array(ttl).min(1, { error: "must list at least one of '5m', '1h'" }).optional(),
  cachesTools: flag.optional(),
  cachesToolTurns: flag.optional(),
  lookbackBlocks: wholeNumber.optional(),
  caches: flag.optional(),
});

const optionsSchema = z.strictObject({
  ttl: ttlOption.optional(),
  minMessagesToCache: wholeNumber.optional(),
  unsupportedModelBehavior: z.enum(['ignore', 'warn', 'raise']).optional(),
  cache: cacheOption.optional(),
  modelFamily: z.enum(['anthropic', 'nova']).optional(),
  models: z.record(z.string().min(1, { error: 'keys must be model ids or id prefixes' }), modelRow).optional(),
  repairCheckpoints: flag.optional(),
  ledger: z
    .union([flag, z.strictObject({ store: z.custom<LedgerStore>((v) => typeof v === 'object' && v !== null && typeof (v as LedgerStore).get === 'function' && typeof (v as LedgerStore).set === 'function', { message: 'must be an object with get and set' }).optional(), maxKeys: wholeNumber.optional(), maxBytes: wholeNumber.optional() })], { error: 'must be true, false or { store?, maxKeys?, maxBytes? }' })
    .optional(),
  coalesce: z
    .union([flag, z.strictObject({ maxWaitMs: z.number({ error: 'must be a number of milliseconds ≥ 0' }).min(0, { error: 'must be a number of milliseconds ≥ 0' }).optional() })], {
      error: 'must be true, false or { maxWaitMs? }',
    })
    .optional(),
  telemetry: z.strictObject({ openInference: flag.optional() }).optional(),
  prices: z
    .record(
      z.string(),
      z.strictObject({
        input: z.number().min(0).optional(),
        output: z.number().min(0).optional(),
        cacheRead: z.number().min(0).optional(),
        cacheWrite5m: z.number().min(0).optional(),
        cacheWrite1h: z.number().min(0).optional(),
        date: z.string().optional(),
        source: z.string().optional(),
      }),
    )
    .optional(),
  now: fn<() => number>('must be a function returning milliseconds').optional(),
  onCacheUsage: fn<(report: BedrockCacheReport) => void>('must be a function').optional(),
  retryOnCacheError: flag.optional(),
  debug: z.union([flag, fn<(event: CacheDebugEvent) => void>('')], { error: 'must be true, false or a function' }).optional(),
});

const callOptionsSchema = z.strictObject({
  enabled: flag.optional(),
  ttl: ttlOption.optional(),
  cache: cacheOption.optional(),
  warmUp: z.enum(['system', 'messages']).optional(),
});

const MODEL_ROW_KEYS = Object.keys(modelRow.shape);
const CALL_KEYS = Object.keys(callOptionsSchema.shape);

function describeIssue(
  issue: z.core.$ZodIssue,
  topLevel: readonly string[] = Object.keys(optionsSchema.shape),
): { argument: string; message: string } {
  const argument = issue.path.length > 0 ? issue.path.join('.') : 'options';
  switch (issue.code) {
    case 'invalid_value':
      return { argument, message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` };
    case 'unrecognized_keys':
      return {
        argument: issue.keys.length === 1 ? `${argument === 'options' ? '' : `${argument}.`}${issue.keys[0]}` : argument,
        message: `is not a known option (allowed: ${allowedKeys(issue.path, topLevel).join(', ')})`,
      };
    case 'invalid_union': {
      if (issue.path[0] === 'debug') return { argument, message: 'must be true, false or a function' };
      if (issue.path[0] === 'coalesce' && issue.path.length === 1) {
        const inner = issue.errors.flat().find((e) => e.path.length > 0 || e.code === 'unrecognized_keys');
        return inner ? describeIssue({ ...inner, path: [...issue.path, ...inner.path] }, topLevel) : { argument, message: 'must be true, false or { maxWaitMs? }' };
      }
      // an object that fails inside: report its own issue (ttl.system, ttl.history …)
      const nested = issue.errors.flat().find((inner) => inner.path.length > 0 || inner.code === 'unrecognized_keys');
      if (nested) return describeIssue({ ...nested, path: [...issue.path, ...nested.path] }, topLevel);
      return { argument, message: `must be '5m', '1h' or an object { tools?, system?, messages? } of those, or 'auto'` };
    }
    default:
      return { argument, message: issue.message };
  }
}

function allowedKeys(path: PropertyKey[], topLevel: readonly string[]): string[] {
  if (path.length === 0) return [...topLevel];
  if (path[0] === 'models') return MODEL_ROW_KEYS;
  if (path[0] === 'telemetry') return ['openInference'];
  if (path[0] === 'ledger') return ['store', 'maxKeys', 'maxBytes'];
  if (path[0] === 'coalesce') return ['maxWaitMs'];
  return [...sections];
}

/**
 * The TTLs of `ttl: 'auto'` before the ledger decides (and when it can't). Anything that sets
 * a call's TTL itself (the call's own `ttl`, Anthropic's call-level cacheControl) also turns
 * `ttlAuto` off, and `'auto'` then leaves that TTL alone.
 */
const AUTO_TTL_FALLBACK: Readonly<Record<CacheSection, CacheTtl>> = Object.freeze({ tools: '5m', system: '5m', messages: '5m' });

/**
 * Per-section TTLs. A section left out of a per-section object takes the shortest TTL
 * that keeps the order valid: `{ messages: '1h' }` means 1h everywhere.
 */
function resolveTtls(ttl: CacheTtl | 'auto' | Partial<Record<CacheSection, CacheTtl>> | undefined): Record<CacheSection, CacheTtl> {
  if (ttl === 'auto' || ttl === undefined) return AUTO_TTL_FALLBACK;
  if (typeof ttl === 'string') return { tools: ttl, system: ttl, messages: ttl };
  const resolved = { tools: '5m', system: '5m', messages: '5m' } as Record<CacheSection, CacheTtl>;
  let longestLater: CacheTtl = '5m';
  for (const section of [...sections].reverse()) {
    resolved[section] = ttl?.[section] ?? longestLater;
    if (resolved[section] === '1h') longestLater = '1h';
  }
  return resolved;
}

function logDecisions(event: CacheDebugEvent): void {
  const lines = !event.supported
    ? [`  unsupported: ${event.reason}`]
    : [
        ...event.decisions.map((d) => `  ${d.outcome} ${d.role}${d.index === undefined ? '' : ` @${d.index}`}: ${d.why}`),
        ...(event.inferred ? [`  inferred: ${event.inferred}`] : []),
        ...(event.cacheMiss ? [`  miss ${event.cacheMiss.reason}: ${event.cacheMiss.message}`] : []),
      ];
  console.debug(`[bedrock-cache] ${event.modelId}\n${lines.join('\n')}`);
}

/**
 * A callback of the caller's that can't break a call: a throw or a rejected promise is
 * reported once with `console.error` (a paid response must never be lost to a metrics
 * outage) and otherwise ignored.
 */
function isolate<A>(name: string, callback: (arg: A) => unknown): (arg: A) => void {
  let reported = false;
  const report = (error: unknown) => {
    if (reported) return;
    reported = true;
    console.error(
      `[bedrock-cache] ${name} failed (${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}); the call was not affected. Later failures of ${name} are not logged.`,
    );
  };
  return (arg) => {
    try {
      const result = callback(arg);
      if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
        (result as PromiseLike<unknown>).then(undefined, report);
      }
    } catch (error) {
      report(error);
    }
  };
}

/** Validates the caller's options and fills in defaults; throws InvalidArgumentError. */
export function resolveOptions(options: BedrockCacheOptions | undefined): ResolvedOptions {
  const parsed = optionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const { argument, message } = first ? describeIssue(first) : { argument: 'options', message: 'is invalid' };
    throw new InvalidArgumentError({
      argument,
      message: `bedrockCacheMiddleware: option ${argument} ${message}.`,
    });
  }
  const value = parsed.data;
  const resolved: ResolvedOptions = {
    ttl: resolveTtls(value.ttl),
    ttlAuto: value.ttl === undefined || value.ttl === 'auto',
    coalesce: value.coalesce === false ? false : { maxWaitMs: (typeof value.coalesce === 'object' ? value.coalesce.maxWaitMs : undefined) ?? COALESCE_DEFAULTS.maxWaitMs },
    minMessagesToCache: value.minMessagesToCache ?? 0,
    unsupportedModelBehavior: value.unsupportedModelBehavior ?? 'warn',
    cache: { tools: true, system: true, messages: true, ...value.cache },
    modelFamily: value.modelFamily,
    models: value.models as Record<string, ModelOverride> | undefined,
    repairCheckpoints: value.repairCheckpoints ?? true,
    ledger: value.ledger === false ? false : value.ledger === true || value.ledger === undefined ? {} : (value.ledger as { store?: LedgerStore }),
    telemetry: value.telemetry ?? {},
    prices: value.prices,
    now: value.now ?? Date.now,
    onCacheUsage: value.onCacheUsage && isolate('onCacheUsage', value.onCacheUsage),
    retryOnCacheError: value.retryOnCacheError ?? true,
    debug: value.debug === true ? logDecisions : value.debug === false || value.debug === undefined ? undefined : isolate('debug', value.debug),
  };
  checkTtlOrder(resolved.ttl, 'ttl');
  return resolved;
}

/** One call's resolved options. */
export type CallOptions = ResolvedOptions & {
  enabled: boolean;
  /** A warm-up (see warm/) of the prefix through this section: skipped when it is known to be cached. */
  warmUp?: 'system' | 'messages';
  /** From the ledger (see plan/plan-checkpoints.ts `PlanOptions`). */
  unreadableFrom?: 'tools' | 'system';
  lastTurnDropped?: boolean;
};

/**
 * This call's options: the middleware's, with the call's `providerOptions.bedrockCache`
 * on top. Throws InvalidArgumentError naming the bad value, like the AI SDK's own
 * provider-option checks.
 */
export function resolveCallOptions(resolved: ResolvedOptions, raw: unknown): CallOptions {
  if (raw === undefined) return { ...resolved, enabled: true };
  const parsed = callOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const { argument, message } = first ? describeIssue(first, CALL_KEYS) : { argument: 'options', message: 'is invalid' };
    const name = `providerOptions.bedrockCache${argument === 'options' ? '' : `.${argument}`}`;
    throw new InvalidArgumentError({ argument: name, message: `bedrockCacheMiddleware: ${name} ${message}.` });
  }
  const call = parsed.data;
  const next = {
    ...resolved,
    enabled: call.enabled ?? true,
    ttl: call.ttl === undefined ? resolved.ttl : resolveTtls(call.ttl),
    ttlAuto: call.ttl === undefined ? resolved.ttlAuto : call.ttl === 'auto',
    cache: { ...resolved.cache, ...call.cache },
    ...(call.warmUp && { warmUp: call.warmUp }),
  };
  if (call.ttl !== undefined) checkTtlOrder(next.ttl, 'providerOptions.bedrockCache.ttl');
  return next;
}

function checkTtlOrder(ttls: Record<CacheSection, CacheTtl>, name: string): void {
  // Bedrock rejects a 1h checkpoint after a 5m one (shared doc §1), so an order that
  // increases could never be sent as configured.
  for (let i = 1; i < sections.length; i++) {
    const earlier = sections[i - 1]!;
    const later = sections[i]!;
    if (ttls[earlier] === '5m' && ttls[later] === '1h') {
      throw new InvalidArgumentError({
        argument: name,
        message: `bedrockCacheMiddleware: ${name === 'ttl' ? 'option ' : ''}${name}.${later} '1h' may not follow ${name}.${earlier} '5m': Bedrock requires TTLs not to increase along tools → system → messages.`,
      });
    }
  }
}
