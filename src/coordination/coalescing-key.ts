import type { WirePoint } from '../ledger/cache-ledger';
import type { Keyer } from '../ledger/keyed-hash';
import type { PromptFingerprint } from '../ledger/prompt-fingerprint';
import { modelSeed, prefixId } from '../ledger/prompt-path';

/**
 * The key calls of one fan-out share, or undefined when this call has nothing to coordinate:
 * the ledger's key of the node that ends its tools + system prefix on this model (`n:` and a
 * keyed hash), when a checkpoint closes that prefix on the wire (the planner placed or kept
 * one there, so it reaches the model's minimum by the estimate) and the ledger doesn't already
 * know it to be cached (`liveBlocks`: how many leading blocks are). It reaches a shared store
 * as a lease's name, so it is keyed with the store's secret like everything the ledger stores
 * (no guessing the prompt back from it) and printable ASCII.
 */
export function coalescingKey(modelId: string, head: PromptFingerprint, wirePoints: readonly WirePoint[], liveBlocks: number, keyer: Keyer): string | undefined {
  const end = head.systemEnd;
  if (end === 0 || liveBlocks >= end) return undefined;
  if (!wirePoints.some((point) => point.section !== 'messages')) return undefined;
  return `n:${prefixId(modelSeed(modelId), head, end, keyer)}`;
}
