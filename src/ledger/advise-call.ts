import type { PreparedCall } from '../call/prepare-call';
import type { CacheTtl } from '../model/model-table';
import type { ModelPrices } from '../pricing';
import type { BedrockCacheReport } from '../report/bedrock-cache-report';
import { BedrockCacheWarmUpSkipped } from '../warm/warm-up-skipped';
import { chooseAutoTtl } from './auto-ttl';
import type { BlockChange } from './block-change';
import type { CacheLedger, LedgerCall } from './cache-ledger';

/** What the ledger's tree changes about one call before it is planned. */
export interface LedgerAdvice {
  options: PreparedCall['options'];
  warning?: string;
  autoTtl?: BedrockCacheReport['autoTtl'];
  /** A change inside the system prompt, for the report. */
  blockChange?: BlockChange;
}

/**
 * The ledger's advice for a call: where writes would not repay themselves, a dropped last
 * turn, a changing region inside the system prompt and a prompt below the model's minimum
 * (each warned once), `ttl: 'auto'`'s choice
 * (never 1h on a model without it: §1 2026-12, rejected, not downgraded), and a warm-up whose
 * prefix is already cached, which throws {@link BedrockCacheWarmUpSkipped} so that no request
 * is sent.
 */
export function adviseCall(
  ledger: CacheLedger,
  ledgerCall: LedgerCall,
  call: PreparedCall,
  model: { ttls: readonly CacheTtl[]; minTokens: number },
  prices: ModelPrices | undefined,
): LedgerAdvice {
  let options = call.options;
  let autoTtl: LedgerAdvice['autoTtl'];
  // auto only where nothing else set this call's TTL (anything that does turns ttlAuto off)
  if (options.ttlAuto && model.ttls.includes('1h')) {
    const { ttl, longGapShare, reuses, why } = chooseAutoTtl(ledger.reuse(ledgerCall), prices);
    autoTtl = { ttl, longGapShare, reuses, why };
    options = { ...options, ttl };
  }
  // the TTL the message checkpoints will really get (a model without 1h gets 5m)
  const messagesTtl = model.ttls.includes(options.ttl.messages) ? options.ttl.messages : '5m';
  const hints = ledger.hints(ledgerCall, prices, messagesTtl, model.minTokens);
  if (hints.noWriteFrom !== undefined) options = { ...options, unreadableFrom: hints.noWriteFrom, ...(hints.noWriteWhy && { unreadableWhy: hints.noWriteWhy }) };
  if (hints.lastTurnDropped) options = { ...options, lastTurnDropped: true };
  if (options.warmUp) {
    const live = ledger.liveThrough(ledgerCall);
    const wanted = options.warmUp === 'system' ? ledgerCall.fingerprint.systemEnd : ledgerCall.fingerprint.hashes.length;
    if (live > 0 && live >= wanted) throw new BedrockCacheWarmUpSkipped(live);
  }
  // the system prompt's first, else a tool description's
  const blockChange = ledgerCall.blocks.find((b) => b.change)?.change;
  return { options, ...(hints.warning && { warning: hints.warning }), ...(autoTtl && { autoTtl }), ...(blockChange && { blockChange }) };
}
