/**
 * A ledger store that fails or is slow (a shared Redis down, a network partition) costs the
 * explanations, never the call, and at most `timeoutMs` of one call's time in all:
 *
 * - **One budget per call.** All store work of one model call goes through one
 *   {@link StoreBudget} of `timeoutMs`: each piece of work may wait what the earlier pieces left,
 *   so the reads before the request, the lease and the writes after its usage together wait at
 *   most `timeoutMs` (time spent on the model, or computing before the first await, doesn't count).
 * - **Back-off.** After a failure or a timeout the store is not asked at all for
 *   `backoffMs` (30 s), then one call asks it again (concurrent calls keep skipping it
 *   meanwhile); each further failure doubles the back-off up to `maxBackoffMs` (5 min), and an
 *   answer resets it. A call during the back-off adds no latency: its store work is skipped.
 * - **One log line per outage**, when it begins; nothing while it lasts.
 *
 * Skipped, failed and timed-out work all read as `undefined`: the ledger goes on without
 * history. Work that timed out may still complete later; its result is dropped. Work cut
 * short only because its call's budget ran out (earlier work of the call was slow) is not a
 * failure: it starts no back-off.
 *
 * @example
 * const guard = guardStoreFailures({ timeoutMs: 500 });
 * const budget = guard.budget(); // one per model call
 * const nodes = await guard.run(() => store.getNodes(keys), budget); // undefined: go on without
 * await guard.run(() => store.setNodes(entries), budget);
 */

/** Back-off defaults. A judgement, not a measured figure: long enough that an outage costs one slow call per 30 s to 5 min instead of one per call, short enough that a restarted Redis is used again within minutes. */
export const STORE_BACKOFF = {
  /** Skip the store this long after its first failure (ms). */
  firstMs: 30_000,
  /** The longest back-off, reached by doubling after each further failure (ms). */
  maxMs: 5 * 60_000,
} as const;

/** The default of `timeoutMs` for stores that state none (a judgement, far above a healthy round trip). */
export const STORE_TIMEOUT_MS = 500;

export interface StoreGuardOptions {
  /** The most one call waits for the store in all (ms): its {@link StoreBudget}. */
  timeoutMs: number;
  /** How long the store is skipped after a first failure (ms). Default {@link STORE_BACKOFF}.firstMs. */
  backoffMs?: number;
  /** The longest back-off (ms). Default {@link STORE_BACKOFF}.maxMs. */
  maxBackoffMs?: number;
  /** The clock (ms) for budgets and back-off. Default `Date.now`. */
  now?: () => number;
  /** Where the one line per outage goes. Default `console.error`. */
  log?: (message: string) => void;
}

/** One call's share of store time: starts at `timeoutMs`, spent by each piece of work it runs. */
export interface StoreBudget {
  /** What is left (ms); work run with none left is skipped. */
  readonly remainingMs: number;
}

export interface StoreGuard {
  /** A fresh budget of `timeoutMs` for one call's store work. */
  budget(): StoreBudget;
  /**
   * Runs `work` unless the store is in back-off or `budget` is spent; gives up when the
   * budget (or, without one, `timeoutMs`) runs out. Never rejects: `undefined` when skipped,
   * failed or timed out. A failure or timeout starts (or lengthens) the back-off.
   */
  run<T>(work: () => T | PromiseLike<T>, budget?: StoreBudget): Promise<T | undefined>;
  /** True while the store is skipped (in back-off, or a retry is already asking it). */
  readonly skipping: boolean;
}

const SKIPPED = Promise.resolve(undefined);

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function guardStoreFailures(options: StoreGuardOptions): StoreGuard {
  const { timeoutMs } = options;
  const firstMs = options.backoffMs ?? STORE_BACKOFF.firstMs;
  const maxMs = options.maxBackoffMs ?? STORE_BACKOFF.maxMs;
  const now = options.now ?? (() => Date.now());
  const log = options.log ?? ((message: string) => console.error(message));
  /** Consecutive failures; 0 while the store answers. */
  let failures = 0;
  /** The store is not asked before this time. */
  let skipUntil = 0;
  /** After a back-off, one call asks again; the others skip until it knows. */
  let retrying = false;

  const skipping = () => now() < skipUntil || retrying;

  const failed = (error: unknown, wasRetry: boolean) => {
    if (wasRetry) retrying = false;
    // concurrent calls that failed in the same outage count once
    else if (failures > 0) return;
    const backoff = Math.min(maxMs, firstMs * 2 ** Math.min(failures, 30));
    if (failures === 0) {
      log(
        `[bedrock-cache] the cache ledger's store failed (${describe(error)}); calls go on without it. ` +
          `It is asked again in ${Math.round(backoff / 1000)} s, then at doubling intervals up to ${Math.round(maxMs / 1000)} s until it answers; not logged again for this outage.`,
      );
    }
    failures++;
    skipUntil = now() + backoff;
  };

  const answered = (wasRetry: boolean) => {
    if (wasRetry) retrying = false;
    failures = 0;
    skipUntil = 0;
  };

  return {
    budget: () => ({ remainingMs: timeoutMs }),
    get skipping() {
      return skipping();
    },
    run<T>(work: () => T | PromiseLike<T>, budget?: StoreBudget): Promise<T | undefined> {
      const allowed = budget ? budget.remainingMs : timeoutMs;
      if (allowed <= 0 || skipping()) return SKIPPED;
      const wasRetry = failures > 0;
      if (wasRetry) retrying = true;
      let result: T | PromiseLike<T>;
      try {
        result = work();
      } catch (error) {
        failed(error, wasRetry);
        return SKIPPED;
      }
      // the budget counts the wait for the store, not the synchronous work before it (hashing a
      // large prompt), which no store can shorten
      const start = now();
      const spend = () => {
        if (budget) (budget as { remainingMs: number }).remainingMs = Math.max(0, budget.remainingMs - (now() - start));
      };
      // a synchronous store (the in-memory one) answers at once: no timer
      if (!isThenable(result)) {
        answered(wasRetry);
        return Promise.resolve(result);
      }
      return new Promise<T | undefined>((resolve) => {
        let settled = false;
        const timer = setTimeout(() => {
          settled = true;
          spend();
          // waiting a whole timeoutMs is a failure; running out of what the call had left is not
          if (allowed >= timeoutMs) failed(new Error(`no answer within ${timeoutMs} ms`), wasRetry);
          else if (wasRetry) retrying = false;
          resolve(undefined);
        }, allowed);
        result.then(
          (value) => {
            if (settled) return;
            clearTimeout(timer);
            spend();
            answered(wasRetry);
            resolve(value);
          },
          (error: unknown) => {
            if (settled) return;
            clearTimeout(timer);
            spend();
            failed(error, wasRetry);
            resolve(undefined);
          },
        );
      });
    },
  };
}
