import type { CacheMiss } from '../ledger/explain-miss';
import type { PlanDecision } from './plan-checkpoints';

/** What the middleware decided for one call (see the `debug` option). Holds no prompt text. */
export interface CacheDebugEvent {
  modelId: string;
  /** False when the model can't cache; `reason` says why. */
  supported: boolean;
  reason?: string;
  /** Set when some of the model's figures are inferred from its family, not published for it. */
  inferred?: string;
  /** Each candidate checkpoint: placed, kept (the caller's) or skipped, and why. */
  decisions: PlanDecision[];
  /** After the response: why the call read less than it could have (see the ledger option). */
  cacheMiss?: CacheMiss;
}
