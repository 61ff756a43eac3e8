import type { WirePoint } from '../ledger/cache-ledger';
import type { StoreBudget, StoreGuard } from '../ledger/guard-store-failures';
import type { Keyer } from '../ledger/keyed-hash';
import type { LedgerStore } from '../ledger/ledger-store';
import type { PromptFingerprint } from '../ledger/prompt-fingerprint';
import { coalescingKey } from './coalescing-key';
import { createFanOutCoordinator, type FanOutLease, type FanOutTurn } from './fan-out-coordinator';

/** The store's lease through its guard: skipped in back-off (a rejection: the coordinator then coordinates this instance only). */
function guardedLease(store: LedgerStore, guard: StoreGuard): FanOutLease | undefined {
  const { acquireLease, releaseLease } = store;
  if (!acquireLease || !releaseLease) return undefined;
  return {
    acquireLease: async (key, ttlMs, budget) => {
      const acquired = await guard.run(() => acquireLease.call(store, key, ttlMs), budget);
      if (acquired === undefined) throw new Error('the ledger store is skipped');
      return acquired;
    },
    releaseLease: async (key) => {
      await guard.run(() => releaseLease.call(store, key));
    },
  };
}

/**
 * Fan-out coalescing as the middleware uses it: a key per call from plain data (model id,
 * prefix hashes keyed with `keyer`, the ledger's, the checkpoints on the wire, what the ledger
 * knows to be live), and a turn per call. Instances coordinate through the ledger store's
 * lease when it has one, asked through the store's guard (its back-off, the call's budget).
 */
export function createCallCoordination(options: { coalesce: false | { maxWaitMs: number }; now: () => number; store: LedgerStore | undefined; guard: StoreGuard; keyer: Keyer }) {
  const { coalesce, now, store, guard, keyer } = options;
  if (!coalesce) return { keyOf: () => undefined, enter: async () => undefined };
  const lease = store && guardedLease(store, guard);
  const coordinator = createFanOutCoordinator({ maxWaitMs: coalesce.maxWaitMs, now, ...(lease && { lease }) });
  return {
    keyOf: (modelId: string, head: PromptFingerprint, wirePoints: readonly WirePoint[], liveBlocks: number): string | undefined =>
      coalescingKey(modelId, head, wirePoints, liveBlocks, keyer),
    /** Waits, when a concurrent call is writing this call's prefix, until its response begins. */
    enter: async (key: string | undefined, signal: AbortSignal | undefined, budget?: StoreBudget): Promise<FanOutTurn | undefined> =>
      key === undefined ? undefined : coordinator.enter(key, signal, budget),
  };
}
