import type { StoreBudget } from '../ledger/guard-store-failures';

/**
 * Fan-out coalescing. Bedrock makes a cache entry readable only once the response that wrote
 * it has begun (shared doc §1 Timing: "If you need cache hits for parallel requests, wait for
 * the first response before sending subsequent requests"), so N calls sent together on a cold
 * prefix each pay a write. Here the first call of a prefix goes at once (the leader) and the
 * others wait until its response begins, then go and read. Plain data in (a prefix key, the
 * caller's abort signal), a wait out; it never sees prompt text.
 */

/** What a coordinated call's report says (onCacheUsage `coalesced`). */
export interface CoalescedReport {
  /** True for the call that went first; its followers waited for its response to begin. */
  leader: boolean;
  /** How long this call waited (ms, on the middleware's clock); 0 for a leader. */
  waitedMs: number;
  /** Leader: how many calls waited for it. */
  followers?: number;
  /** Follower: why it stopped waiting. */
  ended?: 'leader-began' | 'leader-failed' | 'timeout';
}

/** A call's place in its prefix's fan-out. The call must say when its response began or failed. */
export interface FanOutTurn {
  /** Undefined when the call did not share its prefix with a concurrent call. */
  report(): CoalescedReport | undefined;
  /** Its response began (generate: the result; stream: the first part): followers may go. Idempotent. */
  began(): void;
  /** It failed before its response began: followers go on uncoordinated. Idempotent. */
  failed(): void;
}

/** A lease a store shared by instances offers (Redis SET NX PX; see LedgerStore). */
export interface FanOutLease {
  /** `budget`: the calling model call's store budget, for the first ask (see guard-store-failures.ts). */
  acquireLease(key: string, ttlMs: number, budget?: StoreBudget): Promise<boolean>;
  releaseLease(key: string): Promise<void>;
}

export interface FanOutCoordinatorOptions {
  /** The longest a follower waits for its leader's response to begin. */
  maxWaitMs: number;
  /** The clock for the reported waits (the middleware's `now`); waiting itself uses real timers. */
  now: () => number;
  /** Coordinates instances that share a store; without it, the calls of this instance only. */
  lease?: FanOutLease;
}

/** Defaults, documented with the `coalesce` option. */
export const COALESCE_DEFAULTS = {
  /**
   * A judgement, not a measured figure: above the time to first byte of a long cold prompt
   * (seconds on Claude), so a follower normally waits for its leader's response, and short
   * enough that a stuck leader costs a follower little more than the write it would have paid.
   */
  maxWaitMs: 10_000,
  /** How often a follower asks the shared store whether another instance's leader is done. */
  pollMs: 50,
} as const;

/** Prefixes whose leader's response began recently are known to be written: a 5m entry at least (§1). */
const BEGAN_MEMORY_MS = 5 * 60_000;
const MAX_REMEMBERED = 1000;

interface InFlight {
  done: Promise<'leader-began' | 'leader-failed'>;
  settle: (outcome: 'leader-began' | 'leader-failed') => void;
  followers: number;
}

const NO_TURN: FanOutTurn = { report: () => undefined, began: () => {}, failed: () => {} };

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** Resolves after `ms` (real time), or rejects when `signal` aborts; `cancel` clears the timer. */
function delay(ms: number, signal: AbortSignal | undefined): { promise: Promise<'timeout'>; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const promise = new Promise<'timeout'>((resolve, reject) => {
    timer = setTimeout(() => resolve('timeout'), ms);
    if (signal) {
      onAbort = () => reject(abortError(signal));
      signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  return {
    promise,
    cancel: () => {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * One coordinator per middleware instance: per prefix key, at most one call in flight whose
 * response hasn't begun; later calls with the same key wait for it (bounded by `maxWaitMs`,
 * the caller's abort signal honoured: the wait rejects with the signal's reason). A leader's
 * failure is never passed on: its followers simply go, uncoordinated.
 */
export function createFanOutCoordinator(options: FanOutCoordinatorOptions) {
  const inFlight = new Map<string, InFlight>();
  const began = new Map<string, number>();

  const knownBegun = (key: string) => {
    const at = began.get(key);
    if (at === undefined) return false;
    if (at + BEGAN_MEMORY_MS > options.now()) return true;
    began.delete(key);
    return false;
  };

  const lead = (key: string, leased: boolean): FanOutTurn => {
    let settle!: InFlight['settle'];
    const flight: InFlight = { done: new Promise((resolve) => (settle = resolve)), settle, followers: 0 };
    inFlight.set(key, flight);
    let over = false;
    const end = (outcome: 'leader-began' | 'leader-failed') => {
      if (over) return;
      over = true;
      inFlight.delete(key);
      if (outcome === 'leader-began') {
        began.delete(key);
        began.set(key, options.now());
        if (began.size > MAX_REMEMBERED) began.delete(began.keys().next().value!);
      }
      // a lease that can't be released expires by itself after maxWaitMs
      if (leased) options.lease!.releaseLease(key).catch(() => undefined);
      flight.settle(outcome);
    };
    return {
      report: () => (flight.followers > 0 ? { leader: true, waitedMs: 0, followers: flight.followers } : undefined),
      began: () => end('leader-began'),
      failed: () => end('leader-failed'),
    };
  };

  /** Waits for another instance's leader: until its lease is gone (or ours to take), or the time is up. */
  const followRemote = async (key: string, deadline: number, signal: AbortSignal | undefined): Promise<'leader-began' | 'timeout'> => {
    const lease = options.lease!;
    for (;;) {
      const left = deadline - options.now();
      if (left <= 0) return 'timeout';
      const wait = delay(Math.min(COALESCE_DEFAULTS.pollMs, left), signal);
      try {
        await wait.promise;
      } finally {
        wait.cancel();
      }
      if (await lease.acquireLease(key, options.maxWaitMs)) {
        // the leader let go: its response began (or it failed; either way, go)
        await lease.releaseLease(key);
        return 'leader-began';
      }
    }
  };

  return {
    /**
     * This call's turn for prefix `key`: at once when no call with that key is in flight (it
     * leads) or the prefix is known to be written; otherwise after the leader's response began.
     * `budget` bounds the first ask of the shared lease (the call's store budget); the asks
     * while it follows another instance's leader are bounded by `maxWaitMs`.
     */
    async enter(key: string, signal?: AbortSignal, budget?: StoreBudget): Promise<FanOutTurn> {
      if (signal?.aborted) throw abortError(signal);
      if (knownBegun(key)) return NO_TURN;
      const start = options.now();
      const local = inFlight.get(key);
      if (local) {
        local.followers++;
        const wait = delay(options.maxWaitMs, signal);
        try {
          const ended = await Promise.race([local.done, wait.promise]);
          const report: CoalescedReport = { leader: false, waitedMs: Math.max(0, options.now() - start), ended };
          return { ...NO_TURN, report: () => report };
        } finally {
          wait.cancel();
        }
      }
      if (!options.lease) return lead(key, false);
      let acquired: boolean;
      try {
        acquired = await options.lease.acquireLease(key, options.maxWaitMs, budget);
      } catch {
        return lead(key, false); // the shared store is down: coordinate this instance only
      }
      if (acquired) return lead(key, true);
      // Another instance leads. Calls of this one wait behind this call, which watches the lease.
      const proxy = lead(key, false);
      let ended: CoalescedReport['ended'];
      try {
        ended = await followRemote(key, start + options.maxWaitMs, signal);
      } catch (error) {
        proxy.failed();
        if (signal?.aborted) throw error;
        ended = 'leader-failed'; // the store failed while we waited: go
      }
      if (ended === 'leader-began') proxy.began();
      else proxy.failed();
      const report: CoalescedReport = { leader: false, waitedMs: Math.max(0, options.now() - start), ended };
      return { ...NO_TURN, report: () => report };
    },
  };
}

export type FanOutCoordinator = ReturnType<typeof createFanOutCoordinator>;
