/**
 * The clairvoyant bounds (src/economics: clairvoyant-bound.ts, and clairvoyant-bound-with-hour.ts
 * for 1h chosen in hindsight) over the benchmark's logged wire requests: each body read as the
 * emulator bills it (wire-prompt.ts), every block boundary a boundary of the abstract prompt,
 * `cacheable` where a checkpoint can take effect at all. The same code prices the `report`
 * command's what-if.
 */
import type { BoundModel, BoundRequest, InputSplit } from '../../src/economics/bound-request';
import { clairvoyantBound, type ClairvoyantRequest } from '../../src/economics/clairvoyant-bound';
import { clairvoyantBoundWithHour } from '../../src/economics/clairvoyant-bound-with-hour';
import { readWirePrompt, type WireRequest } from './wire-prompt';
import type { Api, Ttl } from './workloads';

/** The sequence as the bound sees it, and the model's figures as the emulator has them. */
function boundInput(requests: readonly WireRequest[], modelId: string, api: Api): { bound: BoundRequest[]; model: BoundModel } {
  const prompts = requests.map((request) => readWirePrompt(request.body, modelId, api));
  const bound = requests.map(({ time, total }, i) => {
    const { sums, hashes, cacheable } = prompts[i]!;
    return { time, total, ids: hashes.slice(1), tokens: sums.slice(1), cacheable: cacheable.slice(1) };
  });
  const spec = prompts[0]?.spec;
  return { bound, model: { minTokens: spec?.minTokens ?? 0, ttls: spec?.ttls ?? [], lookbackBlocks: spec?.lookbackBlocks ?? 0 } };
}

/**
 * The clairvoyant token split of every request of a sequence (one model, one API).
 * `lookbackBlocks` overrides the model's lookback (it only decides how many checkpoints a
 * request needs, as the emulator's `--lookback` run uses it).
 */
export function clairvoyant(requests: readonly WireRequest[], modelId: string, api: Api, ttl: Ttl, lookbackBlocks?: number): ClairvoyantRequest[] {
  const { bound, model } = boundInput(requests, modelId, api);
  return clairvoyantBound(bound, lookbackBlocks === undefined ? model : { ...model, lookbackBlocks }, ttl);
}

/** Token splits of every request under the 1h-allowed clairvoyant rule (one model, one API). */
export function clairvoyantWithHour(requests: readonly WireRequest[], modelId: string, api: Api): InputSplit[] {
  const { bound, model } = boundInput(requests, modelId, api);
  return clairvoyantBoundWithHour(bound, model);
}
