import type { Keyer } from './keyed-hash';
import { combine, hashText, type PromptFingerprint } from './prompt-fingerprint';

/** Key domains: what a keyed id names. */
export const DOMAIN = { node: 1, anchor: 2, block: 3 } as const;

/** One place in a prompt where a checkpoint can sit, with its node's key in the tree. */
export interface PathPoint {
  /** Blocks before it (0 for the model's root). */
  block: number;
  section: 'root' | 'tools' | 'system' | 'messages';
  /** Prompt index of the message it ends; its position among non-system messages (undefined outside messages). */
  message: number | undefined;
  position: number | undefined;
  /** Characters up to here (see PromptFingerprint.weights). */
  weight: number;
  /** Keyed id (reported) and store key (`n:` + id). */
  id: string;
  key: string;
  /** A checkpoint can sit here on this API and model (the Converse provider sends no tool checkpoint, §6). */
  cacheable: boolean;
}

/** The model's own seed: the same prompt on two models is two trees. */
export function modelSeed(modelId: string): number {
  return hashText(`model ${modelId}`);
}

/** The keyed id of the node that ends after the prompt's first `block` blocks, on the model of `seed` (block 0: the model's root). */
export function prefixId(seed: number, fp: PromptFingerprint, block: number, keyer: Keyer): string {
  return keyer.id(DOMAIN.node, block === 0 ? seed : combine(seed, fp.hashes[block - 1]!));
}

/**
 * The prompt's path through the tree: the model's root, the end of tools, the end of system,
 * the end of each message (the last `window` of them), in prompt order. Each point's key is a keyed hash of the whole
 * prefix up to it (and the model).
 */
export function promptPath(modelId: string, fp: PromptFingerprint, keyer: Keyer, toolsCacheable: boolean, window = Number.POSITIVE_INFINITY): PathPoint[] {
  const seed = modelSeed(modelId);
  const cumulative: number[] = [];
  let sum = 0;
  for (const weight of fp.weights) cumulative.push((sum += weight));
  // one object shape for every point (a hot path: one point per message on every call)
  const point = (block: number, section: PathPoint['section'], cacheable: boolean, message?: number, position?: number): PathPoint => {
    const id = prefixId(seed, fp, block, keyer);
    return { block, section, message, position, weight: block === 0 ? 0 : cumulative[block - 1]!, id, key: 'n:' + id, cacheable };
  };
  const path = [point(0, 'root', false)];
  if (fp.toolsEnd > 0) path.push(point(fp.toolsEnd, 'tools', toolsCacheable));
  if (fp.systemEnd > fp.toolsEnd) path.push(point(fp.systemEnd, 'system', true));
  // each message ends where the next non-system message starts
  const ends: number[] = [];
  let next = fp.hashes.length;
  for (let index = fp.messageStarts.length - 1; index >= 0; index--) {
    ends[index] = next;
    if (fp.messageStarts[index]! >= 0) next = fp.messageStarts[index]!;
  }
  // with a window, only the last `window` messages' ends (the tree is read where a call can differ from the last)
  let messages = 0;
  for (const start of fp.messageStarts) if (start >= 0) messages++;
  const first = messages - window;
  let position = 0;
  fp.messageStarts.forEach((start, index) => {
    if (start < 0) return;
    if (position >= first && ends[index]! > path.at(-1)!.block) path.push(point(ends[index]!, 'messages', true, index, position));
    position++;
  });
  return path;
}

/** The anchor key of a message: its own content hash at its position among non-system messages. */
export function anchorKey(modelId: string, fp: PromptFingerprint, message: number, position: number, keyer: Keyer): string {
  return `a:${keyer.id(DOMAIN.anchor, combine(combine(modelSeed(modelId), position), fp.messageHashes[message]!))}`;
}
