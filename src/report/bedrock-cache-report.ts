import type { CoalescedReport } from '../coordination/fan-out-coordinator';
import type { AutoTtlChoice } from '../ledger/auto-ttl';
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
}
