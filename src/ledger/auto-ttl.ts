import type { CacheTtl } from '../model/model-table';
import type { CacheSection } from '../types';
import type { ModelPrices } from '../pricing';
import type { ReuseHistory } from './cache-ledger';

/**
 * Reuses of a prompt group the ledger must have seen before it bets on 1h. One: on the
 * benchmark (bench/cache/economics.ts) waiting for a second cost every pause workload a
 * second rewrite of the history and saved nothing elsewhere.
 */
export const AUTO_TTL_MIN_REUSES = 1;

/** What `ttl: 'auto'` chose for one call, and why (for onCacheUsage and debug; no prompt text). */
export interface AutoTtlChoice {
  ttl: Record<CacheSection, CacheTtl>;
  /** Share of the observed reuses that came after more than 5 and at most 60 minutes. */
  longGapShare: number;
  /** Reuses observed (gaps between consecutive calls of one conversation of this prompt group). */
  reuses: number;
  /** One line for people. */
  why: string;
}

/**
 * `ttl: 'auto'`, one rule: a checkpoint gets 1h when the expected saving of writing it at 1h
 * instead of 5m is positive. Per token a checkpoint writes, 1h costs `w1h − w5` more (Claude:
 * 2× − 1.25× = 0.75× the input price, shared doc §4). It pays back when the next reuse comes
 * after 5 and before 60 minutes (share `p` of the reuses the ledger saw): then the prefix is
 * read (`r`, 0.1×) instead of written again (`w5`, 1.25×), a saving of `w5 − r` = 1.15× on
 * every token of the prefix, not only the ones this call writes. A checkpoint whose call
 * writes a share `s` of its prefix (the rest it reads) therefore takes 1h when
 *
 *     p × (w5 − r) > s × (w1h − w5)        Claude: p > 0.652 × s
 *
 * `s` is 1 for tools and system (written whole) and the group's measured write share for
 * messages (a chat's turn writes only its new tokens: s ≈ 0.1 late in a chat, so one long
 * pause in ten reuses already pays). Prices are the model's own (src/pricing). Never 1h
 * without a 1h price or on a model without 1h (the caller checks the model); TTL order
 * (§1: no 1h after 5m) is kept by giving the earlier sections 1h too, which costs nothing:
 * every token between the entry read and the last 1h checkpoint is billed at the 1h rate
 * anyway (Anthropic's prompt-caching docs, "Mixing different TTLs": 1h writes for B − A, B
 * the highest 1h checkpoint after the read A, 5m writes for C − B; the same models behind
 * Bedrock, shared doc §1 Timing takes its timing from the same page).
 */
export function chooseAutoTtl(reuse: ReuseHistory, prices: ModelPrices | undefined): AutoTtlChoice {
  const reuses = reuse.within5m + reuse.within1h + reuse.beyond1h;
  const p = reuses > 0 ? reuse.within1h / reuses : 0;
  const five: Record<CacheSection, CacheTtl> = { tools: '5m', system: '5m', messages: '5m' };
  const base = { longGapShare: p, reuses };
  if (prices?.cacheWrite1h === undefined) return { ttl: five, ...base, why: 'no 1h price for this model: 5m' };
  if (reuses < AUTO_TTL_MIN_REUSES) return { ttl: five, ...base, why: `${reuses} reuse(s) of this prompt seen, fewer than ${AUTO_TTL_MIN_REUSES}: 5m` };
  const saving = p * (prices.cacheWrite5m - prices.cacheRead);
  const extra = prices.cacheWrite1h - prices.cacheWrite5m;
  const pays = (share: number) => saving > share * extra;
  const messages = pays(reuse.writeShare);
  const system = messages || pays(1);
  const ttl: Record<CacheSection, CacheTtl> = { tools: system ? '1h' : '5m', system: system ? '1h' : '5m', messages: messages ? '1h' : '5m' };
  const threshold = (share: number) => ((share * extra) / (prices.cacheWrite5m - prices.cacheRead)).toFixed(3);
  const seen = `${reuse.within1h} of ${Math.round(reuses * 10) / 10} reuses came after 5–60 min (p = ${p.toFixed(2)})`;
  const why = messages
    ? `${seen} > ${threshold(reuse.writeShare)} for messages (write share ${reuse.writeShare.toFixed(2)}): 1h`
    : system
      ? `${seen} > ${threshold(1)} for tools and system, ≤ ${threshold(reuse.writeShare)} for messages: 1h, 1h, 5m`
      : `${seen} ≤ ${threshold(reuse.writeShare)}: 5m`;
  return { ttl, ...base, why };
}
