import type { CacheWhatIf } from './cache-what-if';

const usd = (n: number) => `$${n.toFixed(4)}`;
const times = (n: number, of: number) => `${(n / of).toFixed(2)}×`;

/**
 * The what-if in words, for the terminal and the page: a headline ("you paid 1.04× the best
 * possible; a fixed 1h would have cost 1.31×") and a line of detail (the dollars, the 5m-only
 * bound, how many calls were analysed and why the others weren't).
 */
export function describeWhatIf(whatIf: CacheWhatIf | undefined, calls: number): { headline: string; detail: string } {
  if (!whatIf) {
    return {
      headline: 'not available: no call logged its prefix path on a priced model that caches',
      detail: 'the what-if needs each line\'s "prefix" (logged by the ledger) and a model in the built-in price table',
    };
  }
  const { noPrefix, unpriced } = whatIf.notAnalysable;
  const left = [noPrefix > 0 && `${noPrefix} without a logged prefix`, unpriced > 0 && `${unpriced} on models without a built-in price or caching`].filter(Boolean);
  const over = `over ${whatIf.calls.toLocaleString('en-US')} of ${calls.toLocaleString('en-US')} calls${left.length > 0 ? ` (not analysable: ${left.join(', ')})` : ''}`;
  if (!(whatIf.bestUsd > 0)) return { headline: `nothing to compare: the analysed calls cost ${usd(whatIf.actualUsd)}`, detail: over };
  return {
    headline:
      whatIf.oneHourCalls > 0
        ? `you paid ${times(whatIf.actualUsd, whatIf.bestUsd)} the best possible; a fixed 1h would have cost ${times(whatIf.fixed1hUsd, whatIf.bestUsd)}`
        : `you paid ${times(whatIf.actualUsd, whatIf.bestUsd)} the best possible (no model here takes a 1h TTL)`,
    detail:
      `best possible ${usd(whatIf.bestUsd)} (clairvoyant bound, 1h where it pays; with 5m only ${usd(whatIf.best5mUsd)} = ${times(whatIf.best5mUsd, whatIf.bestUsd)}), ` +
      `yours ${usd(whatIf.actualUsd)}, ${over}`,
  };
}
