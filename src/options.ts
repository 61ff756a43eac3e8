import { InvalidArgumentError } from '@ai-sdk/provider';
import { z } from 'zod/v4';
import type { CacheTtl, ModelFamily } from './model/model-table';
import type { PlanDecision } from './plan/plan-checkpoints';
import type { CacheUsageReport } from './usage/read-cache-usage';

/** What the middleware decided for one call (see the `debug` option). Holds no prompt text. */
export interface CacheDebugEvent {
  modelId: string;
  /** False when the model can't cache; `reason` says why. */
  supported: boolean;
  reason?: string;
  /** Each candidate checkpoint: placed, kept (the caller's) or skipped, and why. */
  decisions: PlanDecision[];
}

/** A prompt section that can end in a cache checkpoint, in Bedrock's prefix order. */
export type CacheSection = 'tools' | 'system' | 'messages';

/** Options of {@link bedrockCacheMiddleware}. All are optional. */
export interface BedrockCacheOptions {
  /**
   * How long Bedrock keeps what a checkpoint writes: `'5m'` (default) or `'1h'`, for all
   * sections or per section (`{ tools: '1h', system: '1h', messages: '5m' }`). TTLs may
   * not increase along tools → system → messages. Models without 1h get 5m and a warning.
   */
  ttl?: CacheTtl | Partial<Record<CacheSection, CacheTtl>>;
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
   * Called after every model call (generate or stream) with its normalized cache usage,
   * for metrics (CloudWatch, OpenTelemetry, logs). Errors it throws are not caught.
   */
  onCacheUsage?: (report: CacheUsageReport) => void;
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
   * token estimates, counts and the model id.
   */
  debug?: boolean | ((event: CacheDebugEvent) => void);
}

/** {@link BedrockCacheOptions} with every default filled in and per-section TTLs. */
export interface ResolvedOptions {
  ttl: Record<CacheSection, CacheTtl>;
  minMessagesToCache: number;
  unsupportedModelBehavior: 'ignore' | 'warn' | 'raise';
  cache: Record<CacheSection, boolean>;
  modelFamily: ModelFamily | undefined;
  onCacheUsage: ((report: CacheUsageReport) => void) | undefined;
  retryOnCacheError: boolean;
  debug: ((event: CacheDebugEvent) => void) | undefined;
}

const ttl = z.enum(['5m', '1h']);
const flag = z.boolean({ error: 'must be true or false' });
const fn = <T>(message: string) => z.custom<T>((value) => typeof value === 'function', { message });
const sections = ['tools', 'system', 'messages'] as const;

const optionsSchema = z.strictObject({
  ttl: z.union([ttl, z.strictObject({ tools: ttl.optional(), system: ttl.optional(), messages: ttl.optional() })]).optional(),
  minMessagesToCache: z
    .int({ error: 'must be a whole number ≥ 0' })
    .min(0, { error: 'must be a whole number ≥ 0' })
    .optional(),
  unsupportedModelBehavior: z.enum(['ignore', 'warn', 'raise']).optional(),
  cache: z
    .strictObject({ tools: flag.optional(), system: flag.optional(), messages: flag.optional() })
    .optional(),
  modelFamily: z.enum(['anthropic', 'nova']).optional(),
  onCacheUsage: fn<(report: CacheUsageReport) => void>('must be a function').optional(),
  retryOnCacheError: flag.optional(),
  debug: z.union([flag, fn<(event: CacheDebugEvent) => void>('')], { error: 'must be true, false or a function' }).optional(),
});

function describeIssue(issue: z.core.$ZodIssue): { argument: string; message: string } {
  const argument = issue.path.length > 0 ? issue.path.join('.') : 'options';
  switch (issue.code) {
    case 'invalid_value':
      return { argument, message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` };
    case 'unrecognized_keys':
      return {
        argument: issue.keys.length === 1 ? `${argument === 'options' ? '' : `${argument}.`}${issue.keys[0]}` : argument,
        message: `is not a known option (allowed: ${allowedKeys(issue.path).join(', ')})`,
      };
    case 'invalid_union': {
      if (issue.path[0] === 'debug') return { argument, message: 'must be true, false or a function' };
      // an object that fails inside: report its own issue (ttl.system, ttl.history …)
      const nested = issue.errors.flat().find((inner) => inner.path.length > 0 || inner.code === 'unrecognized_keys');
      if (nested) return describeIssue({ ...nested, path: [...issue.path, ...nested.path] });
      return { argument, message: `must be '5m', '1h' or an object { tools?, system?, messages? } of those` };
    }
    default:
      return { argument, message: issue.message };
  }
}

function allowedKeys(path: PropertyKey[]): string[] {
  if (path.length === 0) return Object.keys(optionsSchema.shape);
  return [...sections];
}

/**
 * Per-section TTLs. A section left out of a per-section object takes the shortest TTL
 * that keeps the order valid: `{ messages: '1h' }` means 1h everywhere.
 */
function resolveTtls(ttl: CacheTtl | Partial<Record<CacheSection, CacheTtl>> | undefined): Record<CacheSection, CacheTtl> {
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
  const lines = event.supported
    ? event.decisions.map(
        (d) => `  ${d.outcome} ${d.role}${d.index === undefined ? '' : ` @${d.index}`}: ${d.why}`,
      )
    : [`  unsupported: ${event.reason}`];
  console.debug(`[bedrock-cache] ${event.modelId}\n${lines.join('\n')}`);
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
    minMessagesToCache: value.minMessagesToCache ?? 0,
    unsupportedModelBehavior: value.unsupportedModelBehavior ?? 'warn',
    cache: { tools: true, system: true, messages: true, ...value.cache },
    modelFamily: value.modelFamily,
    onCacheUsage: value.onCacheUsage,
    retryOnCacheError: value.retryOnCacheError ?? true,
    debug: value.debug === true ? logDecisions : value.debug === false ? undefined : value.debug,
  };
  // Bedrock rejects a 1h checkpoint after a 5m one (shared doc §1), so an order that
  // increases could never be sent as configured.
  for (let i = 1; i < sections.length; i++) {
    const earlier = sections[i - 1]!;
    const later = sections[i]!;
    if (resolved.ttl[earlier] === '5m' && resolved.ttl[later] === '1h') {
      throw new InvalidArgumentError({
        argument: 'ttl',
        message: `bedrockCacheMiddleware: option ttl.${later} '1h' may not follow ttl.${earlier} '5m': Bedrock requires TTLs not to increase along tools → system → messages.`,
      });
    }
  }
  return resolved;
}
