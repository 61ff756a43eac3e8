import type { SharedV3Warning } from '@ai-sdk/provider';
import { createCallCoordination } from '../coordination/call-coordination';
import { createCacheLedger, type CacheLedger } from '../ledger/cache-ledger';
import { guardStoreFailures, STORE_TIMEOUT_MS, type StoreGuard } from '../ledger/guard-store-failures';
import { memoryLedgerStore, storeKeyer } from '../ledger/ledger-store';
import { createModelMemory } from '../model/model-memory';
import type { ResolvedOptions } from '../options/types';
import { modelPrices, type ModelPrices } from '../pricing';

/** The feature name the middleware's warnings carry. */
export const FEATURE = 'bedrock prompt caching';

/** A warning of the middleware's, as the AI SDK carries it in a call's `warnings`. */
export const cacheWarning = (message: string): SharedV3Warning => ({ type: 'other', message: `${FEATURE}: ${message}` });

/** What the middleware reads of the wrapped model to plan a call. */
export type ModelIdentity = { provider: string; modelId: string };

/** What one middleware instance keeps across its calls. */
export interface MiddlewareParts {
  resolved: ResolvedOptions;
  /** Model profiles, and what Bedrock's rejections taught about them. */
  models: ReturnType<typeof createModelMemory>;
  ledger: CacheLedger | undefined;
  coordination: ReturnType<typeof createCallCoordination>;
  /**
   * Runs store work so that a failing store costs the explanations, never the call: one
   * budget of the store's `timeoutMs` per call, a back-off after a failure (guard-store-failures.ts).
   */
  guard: StoreGuard;
  /** Model ids already told that they have no 1h TTL (a property of the model: said once). */
  ttlWarned: Set<string>;
  /** The model's prices with the caller's overrides (`modelPrices`), looked up once per model id. */
  pricesOf: (modelId: string) => ModelPrices | undefined;
}

export function createMiddlewareParts(resolved: ResolvedOptions): MiddlewareParts {
  const store = resolved.ledger ? (resolved.ledger.store ?? memoryLedgerStore({ ...resolved.ledger, now: resolved.now })) : undefined;
  // one keyer for the ledger's nodes and the fan-out leases: both reach the store
  const keyer = storeKeyer(store);
  const ledger = store && createCacheLedger({ now: resolved.now, store, keyer });
  // the Redis stores state their timeoutMs; a store that states none gets the default
  const guard = guardStoreFailures({ timeoutMs: store?.timeoutMs ?? STORE_TIMEOUT_MS });
  return {
    resolved,
    models: createModelMemory(resolved),
    ledger,
    coordination: createCallCoordination({ coalesce: resolved.coalesce, now: resolved.now, store, guard, keyer }),
    guard,
    ttlWarned: new Set<string>(),
    pricesOf: remembered((modelId) => modelPrices(modelId, resolved.prices)),
  };
}

/** `lookUp`, remembered per key (at most 64: a middleware usually wraps one model). */
function remembered<T>(lookUp: (key: string) => T): (key: string) => T {
  const known = new Map<string, T>();
  return (key) => {
    if (known.has(key)) return known.get(key)!;
    if (known.size >= 64) known.clear();
    const value = lookUp(key);
    known.set(key, value);
    return value;
  };
}
