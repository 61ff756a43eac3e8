import type { WirePoint } from '../ledger/cache-ledger';
import type { LedgerStore } from '../ledger/ledger-store';
import type { PromptFingerprint } from '../ledger/prompt-fingerprint';
import { coalescingKey } from './coalescing-key';
import { createFanOutCoordinator, type FanOutTurn } from './fan-out-coordinator';

/**
 * Fan-out coalescing as the middleware uses it: a key per call from plain data (model id,
 * prefix hashes, the checkpoints on the wire, what the ledger knows to be live), and a turn
 * per call. Instances coordinate through the ledger store's lease when it has one.
 */
export function createCallCoordination(options: { coalesce: false | { maxWaitMs: number }; now: () => number; store: LedgerStore | undefined }) {
  const { coalesce, now, store } = options;
  if (!coalesce) return { keyOf: () => undefined, enter: async () => undefined };
  const lease =
    store?.acquireLease && store.releaseLease
      ? { acquireLease: store.acquireLease.bind(store), releaseLease: store.releaseLease.bind(store) }
      : undefined;
  const coordinator = createFanOutCoordinator({ maxWaitMs: coalesce.maxWaitMs, now, ...(lease && { lease }) });
  return {
    keyOf: (modelId: string, head: PromptFingerprint, wirePoints: readonly WirePoint[], liveBlocks: number): string | undefined =>
      coalescingKey(modelId, head, wirePoints, liveBlocks),
    /** Waits, when a concurrent call is writing this call's prefix, until its response begins. */
    enter: async (key: string | undefined, signal: AbortSignal | undefined): Promise<FanOutTurn | undefined> =>
      key === undefined ? undefined : coordinator.enter(key, signal),
  };
}
