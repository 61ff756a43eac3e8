import type { PreparedCall } from '../call/prepare-call';
import type { CacheTtl } from '../model/model-table';
import type { ModelPrices } from '../pricing';
import type { BedrockCacheReport } from '../report/bedrock-cache-report';
import { BedrockCacheWarmUpSkipped } from '../warm/warm-up-skipped';
import { chooseAutoTtl } from './auto-ttl';
import { fingerprintPrompt } from './prompt-fingerprint';
import type { CacheLedger, LedgerCall } from './cache-ledger';

/** What the ledger's history changes about one call before it is planned. */
export interface LedgerAdvice {
  options: PreparedCall['options'];
  warning?: string;
  autoTtl?: BedrockCacheReport['autoTtl'];
}

/**
 * The ledger's advice for a call: sections nothing can be read from, a dropped last turn,
 * a repeating miss's warning, `ttl: 'auto'`'s choice (never 1h on a model without it: §1
 * 2026-12, rejected, not downgraded), and a warm-up whose prefix is already cached, which
 * throws {@link BedrockCacheWarmUpSkipped} so that no request is sent.
 */
export function adviseCall(
  ledger: CacheLedger,
  ledgerCall: LedgerCall,
  call: PreparedCall,
  modelTtls: readonly CacheTtl[],
  prices: ModelPrices | undefined,
): LedgerAdvice {
  const hints = ledger.hints(ledgerCall);
  let options = call.options;
  if (hints.unstableFrom) options = { ...options, unreadableFrom: hints.unstableFrom };
  if (hints.lastTurnDropped) options = { ...options, lastTurnDropped: true };
  if (options.warmUp) {
    const whole = options.warmUp === 'system' ? ledgerCall.head : fingerprintPrompt(call.params);
    const live = ledger.liveThrough(ledgerCall, whole);
    const wanted = options.warmUp === 'system' ? ledgerCall.head.systemEnd : whole.hashes.length;
    if (live > 0 && live >= wanted) throw new BedrockCacheWarmUpSkipped(live);
  }
  let autoTtl: LedgerAdvice['autoTtl'];
  // auto only where nothing else set this call's TTL (anything that does turns ttlAuto off)
  if (options.ttlAuto && modelTtls.includes('1h')) {
    const { ttl, longGapShare, reuses, why } = chooseAutoTtl(hints.reuse, prices);
    autoTtl = { ttl, longGapShare, reuses, why };
    options = { ...options, ttl };
  }
  return { options, ...(hints.warning && { warning: hints.warning }), ...(autoTtl && { autoTtl }) };
}
