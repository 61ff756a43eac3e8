import { cacheCost } from '../pricing';
import type { BedrockCacheReport } from '../report/bedrock-cache-report';
import { recordCacheAttributes } from '../telemetry/record-cache-attributes';
import type { readCacheUsage } from '../usage/read-cache-usage';
import type { CallContext } from './call-context';
import type { MiddlewareParts } from './middleware-parts';

/**
 * After the response: the ledger settles and explains, the call is priced, and the report
 * goes to debug, the telemetry span and onCacheUsage. Returns what the response's
 * `providerMetadata` gains beyond the usage (costs, the miss).
 */
export async function reportCall(
  parts: MiddlewareParts,
  context: CallContext,
  modelId: string,
  callType: 'generate' | 'stream',
  usage: ReturnType<typeof readCacheUsage>,
) {
  const { resolved, ledger, guard } = parts;
  const { ledgerCall, sent } = context;
  const settled =
    ledger && ledgerCall && sent
      ? await guard.run(
          () =>
            ledger.settle(
              ledgerCall,
              sent.points,
              { read: usage.cacheReadInputTokens, written: usage.cacheWriteInputTokens, total: usage.totalInputTokens },
              { lookbackBlocks: sent.lookbackBlocks, minTokens: sent.minTokens },
            ),
          context.storeBudget,
        )
      : undefined;
  const cacheMiss = settled?.miss;
  const prices = parts.pricesOf(modelId);
  const findings = { ...(prices && cacheCost(usage, prices)), ...(cacheMiss && { cacheMiss }) };
  const coalesced = context.turn?.report();
  const cacheReport: BedrockCacheReport = {
    ...usage,
    ...findings,
    modelId,
    callType,
    checkpoints: context.checkpoints,
    ...(context.recovered && { recoveredFrom: context.recovered }),
    ...(coalesced && { coalesced }),
    ...(context.autoTtl && { autoTtl: context.autoTtl }),
    ...(context.blockChange && { blockChange: context.blockChange }),
    ...(settled && { prefix: settled.prefix }),
  };
  if (cacheMiss) resolved.debug?.({ modelId, supported: true, decisions: [], cacheMiss });
  recordCacheAttributes(context.span, cacheReport, resolved.telemetry);
  resolved.onCacheUsage?.(cacheReport);
  return findings;
}
