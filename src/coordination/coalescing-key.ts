import type { WirePoint } from '../ledger/cache-ledger';
import type { PromptFingerprint } from '../ledger/prompt-fingerprint';

/**
 * The key calls of one fan-out share, or undefined when this call has nothing to coordinate:
 * the model id and the hash of its tools + system prefix, when a checkpoint closes that
 * prefix on the wire (the planner placed or kept one there, so it reaches the model's minimum
 * by the estimate) and the ledger doesn't already know it to be cached (`liveBlocks`: how
 * many leading blocks are). No prompt text: a hash.
 */
export function coalescingKey(modelId: string, head: PromptFingerprint, wirePoints: readonly WirePoint[], liveBlocks: number): string | undefined {
  const end = head.systemEnd;
  if (end === 0 || liveBlocks >= end) return undefined;
  if (!wirePoints.some((point) => point.section !== 'messages')) return undefined;
  return `${modelId}\n${head.hashes[end - 1]}`;
}
