import { InvalidArgumentError } from '@ai-sdk/provider';
import { COALESCE_DEFAULTS } from '../coordination/fan-out-coordinator';
import type { LedgerStore } from '../ledger/ledger-store';
import type { ModelOverride } from '../model/model-profile';
import type { CacheTtl } from '../model/model-table';
import type { CacheDebugEvent } from '../plan/cache-debug-event';
import type { CacheSection } from '../types';
import { parseCallOptions, parseOptions } from './options-schema';
import type { BedrockCacheOptions, CallOptions, ResolvedOptions } from './types';

const sections = ['tools', 'system', 'messages'] as const;

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
  const value = parseOptions(options);
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

/**
 * This call's options: the middleware's, with the call's `providerOptions.bedrockCache`
 * on top. Throws InvalidArgumentError naming the bad value, like the AI SDK's own
 * provider-option checks.
 */
export function resolveCallOptions(resolved: ResolvedOptions, raw: unknown): CallOptions {
  if (raw === undefined) return asCalled(resolved);
  const call = parseCallOptions(raw);
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

/** A call without options of its own: one frozen object per middleware, shared (nothing writes to call options). */
const calledAsConfigured = new WeakMap<ResolvedOptions, CallOptions>();
function asCalled(resolved: ResolvedOptions): CallOptions {
  let options = calledAsConfigured.get(resolved);
  if (!options) {
    options = Object.freeze({ ...resolved, enabled: true });
    calledAsConfigured.set(resolved, options);
  }
  return options;
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
