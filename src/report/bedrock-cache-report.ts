import type { CoalescedReport } from '../coordination/fan-out-coordinator';
import type { AutoTtlChoice } from '../ledger/auto-ttl';
import type { BlockChange } from '../ledger/block-change';
import type { CacheUsageReport } from '../usage/read-cache-usage';

/** What `onCacheUsage` receives: the call's cache usage, and what the middleware did about its timing. */
export interface BedrockCacheReport extends CacheUsageReport {
  /**
   * Set when the call shared its prefix with concurrent calls (fan-out coalescing, the
   * `coalesce` option): the leader went first, a follower waited `waitedMs` for the leader's
   * response to begin, then read what it wrote.
   */
  coalesced?: CoalescedReport;
  /** With `ttl: 'auto'`: the TTLs chosen for this call's checkpoints and why. */
  autoTtl?: Pick<AutoTtlChoice, 'ttl' | 'longGapShare' | 'reuses' | 'why'>;
  /**
   * The prompt's boundaries where a checkpoint can sit, in prompt order: keyed node ids (the
   * ledger's, keyed with its store's secret) and cumulative input tokens (estimated, scaled to
   * Bedrock's total). Same length. For the report's what-if; needs the ledger.
   */
  prefix?: { nodes: string[]; tokens: number[] };
  /**
   * Set when this call's system prompt is new but repeats an earlier one's start and end and
   * differs in a short region: where (characters) and what kind of text, never the text.
   */
  blockChange?: BlockChange;
}
