import type { LanguageModelV3CallOptions, SharedV3Warning } from '@ai-sdk/provider';
import type { PreparedCall } from '../call/prepare-call';
import type { FanOutTurn } from '../coordination/fan-out-coordinator';
import type { LedgerCall, WirePoint } from '../ledger/cache-ledger';
import type { StoreBudget } from '../ledger/guard-store-failures';
import type { Placement } from '../plan/place-checkpoints';
import type { BedrockCacheReport } from '../report/bedrock-cache-report';
import type { ModelCallSpan } from '../telemetry/capture-active-span';

/** What transformParams decided for one call, read back when its result arrives. */
export interface CallContext {
  /** The call as prepared (before any checkpoint), to plan it again on a retry. */
  call: PreparedCall | undefined;
  warnings: SharedV3Warning[];
  /** Only calls that reach Bedrock get their cache usage normalized. */
  isBedrock: boolean;
  checkpoints: { added: number; existing: number };
  ours: Placement['ours'];
  /** The params sent and their checkpoints on the wire, for the ledger. */
  sent: { params: LanguageModelV3CallOptions; points: WirePoint[]; lookbackBlocks: number; minTokens: number } | undefined;
  ledgerCall?: LedgerCall;
  /** What is left of this call's time for the ledger store (one `timeoutMs` in all; see guard-store-failures.ts). */
  storeBudget?: StoreBudget;
  /** Set when Bedrock rejected our checkpoints and the call was sent again. */
  recovered?: string;
  /** The telemetry span active when the call started (see telemetry/). */
  span?: ModelCallSpan;
  /** Its fan-out's key, when concurrent calls with its prefix should wait for one (coordination/). */
  coalesceKey?: string;
  turn?: FanOutTurn;
  autoTtl?: BedrockCacheReport['autoTtl'];
  blockChange?: BedrockCacheReport['blockChange'];
}
