/**
 * A small smoke run of both benchmarks (the benchmarks themselves are never part of
 * `npm test`): one tiny workload through every strategy, priced and bounded exactly as
 * `npm run bench:cache` does, and the overhead check that file data is shared.
 */
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { measureWorkload, SERIES } from '../bench/cache/measure';
import { chartSvg, jsonSummary, summarizeSuite, workloadTable } from '../bench/cache/report';
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
    for (const field of ['cost', 'cachedShare', 'hitRatio', 'ratioToLowerBound']) {
      expect(Object.keys(workload[field])).toEqual(['none', 'lastMessage', 'langchain', 'ours', 'lowerBound']);
      for (const value of Object.values(workload[field])) expect(typeof value).toBe('number');
    }
    expect(workload.cost.none).toBeGreaterThan(workload.cost.ours);
    expect(workload.cost.ours).toBeGreaterThanOrEqual(workload.cost.lowerBound);
    expect(workload.ratioToLowerBound.lowerBound).toBe(1);
    expect(workload.cachedShare.none).toBe(0);
    expect(workload.hitRatio.ours).toBe(1);

    // every series has one cost per request, and the chart and table render them
    for (const key of SERIES) expect(result.series[key].costs).toHaveLength(3);
    expect(chartSvg([result], 'smoke')).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
    expect(workloadTable(result)).toContain('| bedrockCacheMiddleware (ours) |');
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
    expect(next.prompt[1]!.content).toBe(params.prompt[1]!.content);
    expect(next.prompt[2]).toBe(params.prompt[2]);
  });
});
