/**
 * A small smoke run of both benchmarks (the benchmarks themselves are never part of
 * `npm test`): one tiny workload through every strategy, priced and bounded exactly as
 * `npm run bench:cache` does, and the overhead check that file data is shared.
 */
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { clairvoyant } from '../bench/cache/clairvoyant';
import { lowerBound } from '../bench/cache/lower-bound';
import { measureWorkload, SERIES } from '../bench/cache/measure';
import { chartSvg, defaultsTable, definitions, jsonSummary, restTable, summarizeSuite, workloadTable } from '../bench/cache/report';
import { tinyWorkload } from '../bench/cache/workloads';
import { bedrockCacheMiddleware } from '../src';

describe('bench:cache smoke run', () => {
  it('replays a tiny workload under every strategy and reports the JSON shape', async () => {
    const result = await measureWorkload(tinyWorkload());
    const summary = summarizeSuite([result]);
    const json = JSON.parse(JSON.stringify(jsonSummary([result], summary)));

    expect(Object.keys(json)).toEqual(['workloads', 'suite', 'targets']);
    const [workload] = json.workloads;
    expect(workload).toMatchObject({ name: 'tiny-chat', family: 'claude', requests: 3 });
    for (const field of ['cost', 'cachedShare', 'hitRatio', 'ratioToClairvoyant', 'ratioToLowerBound']) {
      expect(Object.keys(workload[field])).toEqual(['none', 'lastMessage', 'langchain', 'ours', 'clairvoyant', 'lowerBound']);
      for (const value of Object.values(workload[field])) expect(typeof value).toBe('number');
    }
    expect(workload.cost.none).toBeGreaterThan(workload.cost.ours);
    expect(workload.cost.ours).toBeGreaterThanOrEqual(workload.cost.clairvoyant);
    // above the model's minimum from the first request, the clairvoyant bound only drops unread writes
    expect(workload.cost.clairvoyant).toBeLessThan(workload.cost.lowerBound);
    expect(workload.ratioToClairvoyant.clairvoyant).toBe(1);
    expect(workload.ratioToLowerBound.lowerBound).toBe(1);
    expect(json.suite.oursToClairvoyant).toBeCloseTo(workload.cost.ours / workload.cost.clairvoyant, 3);
    expect(json.targets.map((t: { name: string }) => t.name)).toHaveLength(3);
    expect(workload.cachedShare.none).toBe(0);
    expect(workload.hitRatio.ours).toBe(1);
    // ours with default options against the bound that may use 1h (never above the 5m bound)
    expect(workload.defaults.ours).toBeGreaterThan(0);
    expect(workload.defaults.hourBound).toBeLessThanOrEqual(workload.cost.clairvoyant);
    expect(workload.defaults.oursToHourBound).toBeCloseTo(workload.defaults.ours / workload.defaults.hourBound, 3);
    expect(json.suite.defaults).toEqual(workload.defaults);
    expect(defaultsTable([result])).toContain('| tiny-chat | 3 |');

    // every series has one cost per request, and the chart and table render them
    for (const key of SERIES) expect(result.series[key].costs).toHaveLength(3);
    expect(chartSvg([result], 'smoke')).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
    expect(workloadTable(result)).toContain('| bedrockCacheMiddleware (ours) |');
    expect(restTable([result])).toContain('| tiny-chat |');
    expect(definitions([result])).toMatch(/Claude Sonnet 4\.5 \(`us\.anthropic[^)]*\): input 3\.3, read 0\.33, 5m write 4\.125, 1h write 6\.6/);
  });
});

describe('the clairvoyant bound', () => {
  // Emulator tokens with hidden tokens on, as the benchmark runs it (src/emulator/tokenizer.ts): a word
  // of at most 8 letters is one token, a message adds 3, a Claude request without tools 1 before
  // everything (cached with the first block) and 3 after the last block (never cached).
  const words = (n: number, word: string) => `${Array(n).fill(word).join(' ')}.`;
  const system = [{ text: Array(2000).fill('alpha').join(' ') }]; // 2,000 (+1 leading)
  const user = (k: number) => ({ role: 'user', content: [{ text: words(100, `q${k}`) }] }); // 101 + 3
  const assistant = (k: number) => ({ role: 'assistant', content: [{ text: words(200, `a${k}`) }] }); // 201 + 3
  const bodies = [
    { system, messages: [user(1)] }, // blocks end at 2,001 | 2,105; billed 2,108
    { system, messages: [user(1), assistant(1), user(2)] }, // … 2,309 | 2,413; billed 2,416
    { system, messages: [user(1), assistant(1), user(2), assistant(2), user(3)] }, // … 2,617 | 2,721; billed 2,724
  ];
  const at = (times: number[]) => bodies.map((body, i) => ({ body, time: times[i]!, total: [2108, 2416, 2724][i]! }));
  const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
  const MINUTE = 60_000;
  const split = (uncached: number, read: number, write: number) => ({ uncached, read, write: { '5m': write, '1h': 0 } });

  it('writes only what a later request reads before it expires, and bills the rest uncached', () => {
    // #1 reads #0's prefix at 1 min; #2 comes 6 min after #1 (its entries expired): nothing #1 wrote is read
    const bound = clairvoyant(at([0, MINUTE, 7 * MINUTE]), SONNET, 'converse', '5m');
    expect(bound.map((r) => r.split)).toEqual([split(3, 0, 2105), split(311, 2105, 0), split(2724, 0, 0)]);
    expect(bound.map((r) => r.checkpoints)).toEqual([1, 1, 0]);
    // the lower bound writes everything, read or not
    expect(lowerBound(at([0, MINUTE, 7 * MINUTE]), SONNET, 'converse', '5m')).toEqual([split(3, 0, 2105), split(3, 2105, 308), split(3, 0, 2721)]);
  });

  it('counts the TTL from the start of the request that last read an entry', () => {
    // #2 at 5.5 min: #0's entry was refreshed by #1's read at 1 min (alive until 6 min), and #1's own entry lives until 6 min
    const bound = clairvoyant(at([0, MINUTE, 5.5 * MINUTE]), SONNET, 'converse', '5m');
    expect(bound.map((r) => r.split)).toEqual([split(3, 0, 2105), split(3, 2105, 308), split(311, 2413, 0)]);
    // #1 reads at block 2 and leaves an entry at block 4: within the lookback, one checkpoint does both
    expect(bound[1]!.checkpoints).toBe(1);
  });

  it("honours the model's minimum: below Haiku 4.5's 4,096 tokens nothing is cached", () => {
    const bound = clairvoyant(at([0, MINUTE, 2 * MINUTE]), 'global.anthropic.claude-haiku-4-5-20251001-v1:0', 'converse', '5m');
    expect(bound.map((r) => r.split)).toEqual([split(2108, 0, 0), split(2416, 0, 0), split(2724, 0, 0)]);
  });
});

describe('bench:overhead smoke check', () => {
  it('shares file data and unmarked messages with the caller instead of copying them', async () => {
    const image = new Uint8Array(2 * 1024 * 1024);
    const params: LanguageModelV3CallOptions = {
      prompt: [
        { role: 'system', content: 'x '.repeat(5000) },
        { role: 'user', content: [{ type: 'text', text: 'Look.' }, { type: 'file', mediaType: 'image/png', data: image }] },
        { role: 'assistant', content: [{ type: 'text', text: 'A cat.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Sure?' }] },
      ],
    };
    const model = createAmazonBedrock({ region: 'us-east-1', accessKeyId: 'AKIA', secretAccessKey: 'x' })('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    const next = await bedrockCacheMiddleware().transformParams!({ params, type: 'generate', model });
    const file = next.prompt[1]!.content[1] as { type: string; data: unknown };
    expect(file.data).toBe(image);
    // the message holding the image gets no checkpoint here: it is the caller's own object
    expect(next.prompt[1]).toBe(params.prompt[1]);
    // every message and part that gained no checkpoint is shared, not copied
    type Part = { providerOptions?: unknown };
    const partsOf = (message: (typeof params.prompt)[number]): Part[] => (typeof message.content === 'string' ? [] : message.content);
    next.prompt.forEach((message, i) => {
      const original = params.prompt[i]!;
      const before = partsOf(original);
      const unmarkedParts = partsOf(message).map((part, k) => part.providerOptions === before[k]?.providerOptions);
      unmarkedParts.forEach((same, k) => same && expect(partsOf(message)[k]).toBe(before[k]));
      if (message.providerOptions === original.providerOptions && unmarkedParts.every(Boolean)) expect(message).toBe(original);
    });
  });
});
