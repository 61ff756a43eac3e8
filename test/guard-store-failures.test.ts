/**
 * The store guard (C3): one `timeoutMs` budget per call, a back-off after a failure or a
 * timeout (30 s doubling to 5 min, reset by an answer), one log line per outage. On fake
 * timers (Date and setTimeout together): the deadlines are asserted on the fake clock, never
 * on real time. The stores here are plain objects standing in for a user's store; the Redis
 * stores are tested against a real redis-server in redis-store.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { guardStoreFailures, STORE_BACKOFF } from '../src/ledger/guard-store-failures';

/** A store's work that answers after `ms` on the fake clock (or never), counting how often it was asked. */
function slowStore() {
  let asked = 0;
  return {
    get asked() {
      return asked;
    },
    answerAfter: (ms: number, value = 'nodes') => () => {
      asked++;
      return new Promise<string>((resolve) => setTimeout(() => resolve(value), ms));
    },
    never: () => () => {
      asked++;
      return new Promise<string>(() => {});
    },
    failing: (message = 'ECONNREFUSED 127.0.0.1:6379') => () => {
      asked++;
      return Promise.reject(new Error(message));
    },
  };
}

/** A run's outcome, observed without awaiting (the fake clock decides when it settles). */
function watch<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T } = { settled: false };
  void promise.then((value) => Object.assign(state, { settled: true, value }));
  return state;
}

describe('guardStoreFailures', () => {
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 3) });
    lines.length = 0;
  });
  afterEach(() => vi.useRealTimers());

  it('all the store work of one call shares one timeoutMs: a read that took 300 of 500 ms leaves the write 200', async () => {
    const guard = guardStoreFailures({ timeoutMs: 500, log });
    const store = slowStore();
    const budget = guard.budget();
    const read = watch(guard.run(store.answerAfter(300), budget));
    await vi.advanceTimersByTimeAsync(300);
    expect(read).toEqual({ settled: true, value: 'nodes' });
    expect(budget.remainingMs).toBe(200);
    const write = watch(guard.run(store.never(), budget));
    await vi.advanceTimersByTimeAsync(199);
    expect(write.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(write).toEqual({ settled: true, value: undefined });
    expect(budget.remainingMs).toBe(0);
    // spent: the call's further work isn't even asked
    expect(await guard.run(store.answerAfter(1), budget)).toBeUndefined();
    expect(store.asked).toBe(2);
    // running out of the call's budget is not the store's failure: the next call asks it
    expect(lines).toEqual([]);
    expect(guard.skipping).toBe(false);
    const next = watch(guard.run(store.answerAfter(10), guard.budget()));
    await vi.advanceTimersByTimeAsync(10);
    expect(next.value).toBe('nodes');
  });

  it('a store that never answers: the call waits timeoutMs once; calls during the back-off are not asked and wait nothing', async () => {
    const guard = guardStoreFailures({ timeoutMs: 500, log });
    const store = slowStore();
    const budget = guard.budget();
    const read = watch(guard.run(store.never(), budget));
    await vi.advanceTimersByTimeAsync(500);
    expect(read).toEqual({ settled: true, value: undefined });
    // the same call's write: skipped at once
    expect(watch(guard.run(store.never(), budget))).toEqual({ settled: false });
    await vi.advanceTimersByTimeAsync(0);
    for (let call = 0; call < 20; call++) {
      const skipped = watch(guard.run(store.never(), guard.budget()));
      await vi.advanceTimersByTimeAsync(0); // settles with no time passing
      expect(skipped).toEqual({ settled: true, value: undefined });
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(store.asked).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[bedrock-cache\] the cache ledger's store failed \(no answer within 500 ms\); calls go on without it\. It is asked again in 30 s, then at doubling intervals up to 300 s/);
  });

  it('back-off: 30 s, then one call asks again (the others keep skipping); a failure doubles it up to 5 min; an answer resets it', async () => {
    const guard = guardStoreFailures({ timeoutMs: 500, log });
    const store = slowStore();
    expect(await guard.run(store.failing())).toBeUndefined();
    expect(guard.skipping).toBe(true);
    await vi.advanceTimersByTimeAsync(STORE_BACKOFF.firstMs - 1);
    expect(await guard.run(store.failing())).toBeUndefined();
    expect(store.asked).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    // one retry at a time: a call during it skips
    const retry = watch(guard.run(store.answerAfter(100)));
    expect(await guard.run(store.answerAfter(1))).toBeUndefined();
    await vi.advanceTimersByTimeAsync(100);
    expect(retry.value).toBe('nodes');
    expect(store.asked).toBe(2);
    expect(guard.skipping).toBe(false);

    // a new outage: 30 s, 60 s, 120 s, 240 s, 300 s, 300 s
    const backoffs: number[] = [];
    for (let failure = 0; failure < 6; failure++) {
      expect(await guard.run(store.failing())).toBeUndefined();
      let waited = 0;
      while (guard.skipping) {
        await vi.advanceTimersByTimeAsync(1000);
        waited += 1000;
      }
      backoffs.push(waited / 1000);
    }
    expect(backoffs).toEqual([30, 60, 120, 240, 300, 300]);
    expect(lines).toHaveLength(2); // one per outage
    expect(await guard.run(() => 'answered')).toBe('answered');
    expect(await guard.run(store.failing())).toBeUndefined();
    let waited = 0;
    while (guard.skipping) {
      await vi.advanceTimersByTimeAsync(1000);
      waited += 1000;
    }
    expect(waited).toBe(STORE_BACKOFF.firstMs);
  });

  it('calls that fail together in one outage count once (the back-off is not doubled by concurrency)', async () => {
    const guard = guardStoreFailures({ timeoutMs: 500, log });
    const store = slowStore();
    const runs = Array.from({ length: 8 }, () => watch(guard.run(store.never(), guard.budget())));
    await vi.advanceTimersByTimeAsync(500);
    expect(runs.every((run) => run.settled && run.value === undefined)).toBe(true);
    expect(lines).toHaveLength(1);
    // 30 s from the failure, not 60
    await vi.advanceTimersByTimeAsync(STORE_BACKOFF.firstMs - 1);
    expect(guard.skipping).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(guard.skipping).toBe(false);
  });

  it('the budget counts the wait for the store, not synchronous work before it (hashing a large prompt)', async () => {
    const guard = guardStoreFailures({ timeoutMs: 500, log });
    const budget = guard.budget();
    const value = await guard.run(async () => {
      vi.setSystemTime(Date.now() + 800); // 800 ms of computing before the first await
      return 'nodes';
    }, budget);
    expect(value).toBe('nodes');
    expect(budget.remainingMs).toBe(500);
  });

  it('a synchronous store (the in-memory one) answers without a timer; a throw is a failure; a late rejection is swallowed', async () => {
    const guard = guardStoreFailures({ timeoutMs: 500, log });
    expect(await guard.run(() => 42)).toBe(42);
    expect(vi.getTimerCount()).toBe(0);
    let reject!: (error: Error) => void;
    const late = watch(guard.run(() => new Promise((_, r) => (reject = r))));
    await vi.advanceTimersByTimeAsync(500);
    expect(late).toEqual({ settled: true, value: undefined });
    reject(new Error('too late')); // dropped: no unhandled rejection
    const other = guardStoreFailures({ timeoutMs: 500, log });
    expect(
      await other.run(() => {
        throw new Error('store bug');
      }),
    ).toBeUndefined();
    expect(other.skipping).toBe(true);
    expect(lines.at(-1)).toContain('(store bug)');
  });
});
