/**
 * The miss corpus's ground truth: did a call miss the cache, by the emulator's own cache and
 * the prompts that reached it? "No false miss, no missed miss" is judged against this.
 *
 * For a request R (one model, one API: Converse or InvokeModel), in the emulator's units (content blocks, tokens with
 * the hidden ones, as the emulator billed them):
 *
 * - `read`: the tokens R read from the cache (its usage).
 * - `live`: the longest prefix of R's prompt live in the emulator's cache when R arrived
 *   (`liveAtArrival`, contract C5), whatever R's checkpoints: what R could have read at best.
 * - `sent`: the longest prefix of R's prompt that an earlier request to the same model sent
 *   (arrived before R), cut back to the last block boundary where a checkpoint can cache:
 *   where one can take effect at all (bench/cache/wire-prompt.ts `cacheable`: the provider's
 *   and Nova's hard rules) and whose prefix reaches the model's minimum tokens. Below the
 *   minimum Bedrock caches nothing, so no placement could have let R read there.
 *
 * R **missed** when `read < max(live, sent)`: it read less than was live for it (an
 * unexplained miss, or a live entry its checkpoints did not reach: lookback), or an earlier
 * call sent a longer cacheable prefix that is not live any more or never was (expired, not
 * written, written below the minimum, edited away from). A call that read all that was live
 * and shared with earlier calls has no miss; so has the first call of a prefix, and a call
 * that shares with earlier ones only what no checkpoint could cache (different conversations
 * diverging at their first message, a timestamp inside the system block: blocks differ).
 *
 * The middleware **claims** a miss when its report has a `cacheMiss` (any reason). A call
 * agrees when claim and truth are the same.
 */
import type { CacheMiss } from '../../../src';
import type { EmulatorRequestLogEntry } from '../../../src/emulator';
import { readWirePrompt, type WirePrompt } from '../../../bench/cache/wire-prompt';

export interface Verdict {
  /** Tokens the request read. */
  read: number;
  /** Tokens of the longest prefix live when it arrived (`liveAtArrival`). */
  live: number;
  /** Tokens of the longest cacheable prefix an earlier request sent. */
  sent: number;
  /** The truth: `read < max(live, sent)`. */
  missed: boolean;
  /** The middleware reported a `cacheMiss`. */
  claimed: boolean;
  agrees: boolean;
}

/** Blocks two prompts share from the start. */
function sharedBlocks(a: WirePrompt, b: WirePrompt): number {
  const n = Math.min(a.units, b.units);
  let p = 0;
  while (p < n && a.hashes[p + 1] === b.hashes[p + 1]) p++;
  return p;
}

/** Tokens of the longest prefix of at most `blocks` blocks where a checkpoint can cache. */
function cacheableTokens(prompt: WirePrompt, blocks: number): number {
  for (let p = blocks; p > 0; p--) {
    const tokens = prompt.sums[p]!;
    if (prompt.cacheable[p] && tokens > 0 && tokens >= prompt.spec.minTokens) return tokens;
  }
  return 0;
}

/** The truth for each request of a sequence, in arrival order, and whether `claimOf` agrees with it. */
export function judge(
  requests: ReadonlyArray<{ entry: EmulatorRequestLogEntry; modelId: string; api: 'converse' | 'invoke' }>,
  claimOf: (entry: EmulatorRequestLogEntry) => CacheMiss | undefined,
): Verdict[] {
  const prompts = requests.map(({ entry, modelId, api }) => readWirePrompt(entry.body, modelId, api));
  return requests.map(({ entry, modelId, api }, i) => {
    const prompt = prompts[i]!;
    let shared = 0;
    for (let j = 0; j < i; j++) if (requests[j]!.modelId === modelId && requests[j]!.api === api) shared = Math.max(shared, sharedBlocks(prompt, prompts[j]!));
    const read = entry.usage!.cacheReadInputTokens;
    const live = entry.liveAtArrival?.tokens ?? 0;
    // The truth counts in the emulator's units: what it billed and found live must end at block boundaries we see.
    const ends = [read, read + entry.usage!.cacheWriteInputTokens, live];
    if (ends.some((end) => !prompt.sums.includes(end)) || (entry.liveAtArrival && prompt.sums[entry.liveAtArrival.blocks] !== live)) {
      throw new Error(`miss corpus: request ${i} read ${read} / wrote up to ${ends[1]} / had ${live} live, not at block boundaries the truth sees`);
    }
    const sent = cacheableTokens(prompt, shared);
    const missed = read < Math.max(live, sent);
    const claimed = claimOf(entry) !== undefined;
    return { read, live, sent, missed, claimed, agrees: missed === claimed };
  });
}
