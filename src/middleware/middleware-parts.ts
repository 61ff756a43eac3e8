import type { SharedV3Warning } from '@ai-sdk/provider';
import { createCallCoordination } from '../coordination/call-coordination';
import { createCacheLedger, type CacheLedger } from '../ledger/cache-ledger';
import { guardStoreFailures } from '../ledger/guard-store-failures';
import { memoryLedgerStore } from '../ledger/ledger-store';
import { createModelMemory } from '../model/model-memory';
import type { ResolvedOptions } from '../options/types';

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
  /** Runs store work so that a failing store costs the explanations, never the call. */
  guarded: ReturnType<typeof guardStoreFailures>;
  /** Model ids already told that they have no 1h TTL (a property of the model: said once). */
  ttlWarned: Set<string>;
}

export function createMiddlewareParts(resolved: ResolvedOptions): MiddlewareParts {
  const ledger = resolved.ledger
    ? createCacheLedger({ now: resolved.now, store: resolved.ledger.store ?? memoryLedgerStore({ ...resolved.ledger, now: resolved.now }) })
    : undefined;
  return {
    resolved,
    models: createModelMemory(resolved),
    ledger,
    coordination: createCallCoordination({ coalesce: resolved.coalesce, now: resolved.now, store: resolved.ledger ? resolved.ledger.store : undefined }),
    guarded: guardStoreFailures(),
    ttlWarned: new Set<string>(),
  };
}
