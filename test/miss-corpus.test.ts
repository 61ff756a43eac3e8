/**
 * The miss corpus (issue 18, item 8): traffic shapes run end to end through the real AI SDK
 * and provider against the emulator, and every call's `cacheMiss` judged against the
 * emulator's truth (test/support/miss-corpus/truth.ts: a call missed when it read less than
 * was live for it, or than the longest cacheable prefix an earlier call sent). No false miss,
 * no missed miss; and ordinary traffic gets no warning. `npm run corpus:misses` prints the
 * agreement table.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { agreementTable, disagreements, runShape, warningLines, type ShapeResult } from './support/miss-corpus/harness';
import { SHAPES } from './support/miss-corpus/shapes';

const shape = (name: string) => SHAPES.find((s) => s.name === name)!;


describe('miss corpus: every cacheMiss agrees with the emulator, ordinary traffic gets no warning', () => {
  // Run once, outside the tests: a harness failure must fail loudly, not pass an `it.fails`.
  const results = new Map<string, ShapeResult>();
  beforeAll(async () => {
    for (const s of SHAPES) results.set(s.name, await runShape(s));
    console.log(`miss corpus, agreement with the emulator's truth:\n${agreementTable([...results.values()])}`);
  }, 120_000);

  it('runs every shape end to end, each request paired with its report', () => {
    expect([...results.keys()]).toEqual(SHAPES.map((s) => s.name));
    for (const { calls } of results.values()) expect(calls.every((c) => c.entry.status === 200 && c.report.totalInputTokens > 0)).toBe(true);
  });

  for (const s of SHAPES) {
    it(`${s.name}: ${s.title}`, () => {
      const result = results.get(s.name)!;
      expect(disagreements(result)).toEqual([]);
      if (s.ordinary) expect(warningLines(result)).toEqual([]);
    });
  }
});

/**
 * The truth itself, on a placement that doesn't depend on the ledger (`ledger: false`, fixed
 * 5m): it must see the misses that are there and none that aren't.
 */
describe("the corpus's truth", () => {
  const fixed = { ledger: false, ttl: '5m' } as const;
  const missed = (result: ShapeResult) => result.calls.filter((c) => c.verdict.missed).map((c) => c.label);

  it('one-shot questions behind one system prompt: no miss; each later call could read, and read, the system prompt', async () => {
    const { calls } = await runShape(shape('one-shot'), fixed);
    expect(calls.map((c) => c.verdict.missed)).toEqual(calls.map(() => false));
    expect(calls[0]!.entry.liveAtArrival).toBeUndefined();
    const system = calls[1]!.verdict.live;
    expect(system).toBeGreaterThan(1700);
    for (const c of calls.slice(1)) expect(c.verdict).toMatchObject({ read: system, live: system, sent: system });
  });

  it('a chat with 7-minute pauses on 5m: the turns after each pause missed (what an earlier call sent expired), no other', async () => {
    const result = await runShape(shape('pause-5m'), fixed);
    expect(missed(result)).toEqual(['chat turn 3', 'chat turn 5']);
    const turn3 = result.calls[2]!.verdict;
    expect(turn3.live).toBe(0);
    expect(turn3.sent).toBeGreaterThan(2000);
  });

  it('a timestamp inside the system block: nothing cacheable is shared, no miss', async () => {
    const result = await runShape(shape('timestamp'), fixed);
    expect(missed(result)).toEqual([]);
    expect(result.calls.map((c) => c.verdict.sent)).toEqual([0, 0, 0, 0, 0]);
  });

  it('below the model minimum: nothing can be cached, so nothing is missed', async () => {
    const result = await runShape(shape('below-minimum'), fixed);
    expect(missed(result)).toEqual([]);
    expect(result.calls.every((c) => c.entry.liveAtArrival === undefined && c.verdict.sent === 0)).toBe(true);
  });

  it('an earlier call sent a longer cacheable prefix and nothing wrote it: missed (minMessagesToCache, checkpoints below the minimum)', async () => {
    expect(missed(await runShape(shape('min-messages'), fixed))).toEqual(['chat turn 2']);
    const regenerated = (await runShape(shape('below-minimum-regenerate'), fixed)).calls[1]!.verdict;
    expect(regenerated).toMatchObject({ missed: true, read: 0, live: 0 });
    expect(regenerated.sent).toBeGreaterThan(4096);
  });

  it('two tenants whose users all say "Hello": a repeated opener reads all of it', async () => {
    const result = await runShape(shape('multi-tenant'), fixed);
    expect(missed(result)).toEqual([]);
    const [a1, , a2] = result.calls;
    expect(a2!.verdict.read).toBe(a1!.entry.usage!.cacheWriteInputTokens);
  });
});
