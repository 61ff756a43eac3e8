/**
 * The cache-usage log and its report: the JSON Lines sink fed by the middleware against the
 * emulator (lines checked against what the emulator reported), the tolerant reader, the
 * totals, and the `report` command through the CLI dispatcher (summary and HTML page).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateText, streamText, wrapLanguageModel, type ModelMessage } from 'ai';
import { afterAll, describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware } from '../src';
import { runCli } from '../src/cli/run-cli';
import { cacheUsageJsonlSink, type CacheLogEntry } from '../src/node';
import { readCacheLog } from '../src/report/read-cache-log';
import { renderCacheReport } from '../src/report/render-cache-report';
import { reportCommand } from '../src/report/report-command';
import { summarizeCacheLog } from '../src/report/summarize-cache-log';
import { useEmulatedBedrock } from './support/emulator-bedrock';
import { HAIKU, LONG_SYSTEM, SONNET } from './support/fixtures';

const { emulator, bedrock, anthropic, advance } = useEmulatedBedrock();
const dir = mkdtempSync(join(tmpdir(), 'cache-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const START = Date.UTC(2026, 11, 1, 9, 0, 0);

const entry = (over: Partial<CacheLogEntry>): CacheLogEntry => ({
  time: new Date(START).toISOString(),
  modelId: SONNET,
  callType: 'generate',
  cacheReadInputTokens: 0,
  cacheWriteInputTokens: 0,
  uncachedInputTokens: 0,
  totalInputTokens: 0,
  hitRatio: 0,
  cacheDetails: undefined,
  checkpoints: { added: 1, existing: 0 },
  ...over,
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) }, out, err };
}

describe('cacheUsageJsonlSink', () => {
  it('appends one line per call with what Bedrock reported, and no prompt text', async () => {
    const path = join(dir, 'nested', 'sink.jsonl');
    let clock = START;
    const onCacheUsage = cacheUsageJsonlSink(path, { now: () => clock });
    const sonnet = wrapLanguageModel({ model: bedrock(SONNET), middleware: bedrockCacheMiddleware({ onCacheUsage }) });
    const haiku = wrapLanguageModel({ model: anthropic(HAIKU), middleware: bedrockCacheMiddleware({ onCacheUsage }) });
    const messages: ModelMessage[] = [{ role: 'user', content: 'zebra-secret-question' }];
    const first = await generateText({ model: sonnet, system: LONG_SYSTEM, messages });
    clock += 60_000;
    advance(60_000);
    messages.push(...first.response.messages, { role: 'user', content: 'And for shoes?' });
    await streamText({ model: sonnet, system: LONG_SYSTEM, messages }).consumeStream();
    await generateText({ model: haiku, system: LONG_SYSTEM, prompt: 'Hi' });

    const text = readFileSync(path, 'utf8');
    expect(text).not.toMatch(/zebra-secret|support agent/);
    const { entries, skipped } = readCacheLog(text);
    expect(skipped).toBe(0);
    expect(entries.map((e) => [e.time, e.modelId, e.callType])).toEqual([
      ['2026-12-01T09:00:00.000Z', SONNET, 'generate'],
      ['2026-12-01T09:01:00.000Z', SONNET, 'stream'],
      ['2026-12-01T09:01:00.000Z', HAIKU, 'generate'],
    ]);
    entries.forEach((e, i) => {
      const usage = emulator.requests[i]!.usage!;
      expect(e).toMatchObject({
        cacheReadInputTokens: usage.cacheReadInputTokens,
        cacheWriteInputTokens: usage.cacheWriteInputTokens,
        uncachedInputTokens: usage.inputTokens,
      });
    });
    expect(entries[1]!.cacheReadInputTokens).toBeGreaterThan(3000);
  });

  it('never throws into the model call when the file cannot be written', () => {
    const errors: unknown[] = [];
    const sink = cacheUsageJsonlSink(dir, { onError: (error) => errors.push(error) }); // a directory
    expect(() => sink(entry({}))).not.toThrow();
    expect(errors).toHaveLength(1);
    expect((errors[0] as NodeJS.ErrnoException).code).toBe('EISDIR');
  });
});

describe('readCacheLog and summarizeCacheLog', () => {
  it('skips torn and foreign lines, orders by time, and weights the hit ratio by tokens', () => {
    const lines = [
      JSON.stringify(entry({ time: '2026-12-01T09:05:00.000Z', cacheReadInputTokens: 9000, uncachedInputTokens: 1000 })),
      '',
      JSON.stringify(entry({ time: '2026-12-01T09:00:00.000Z', cacheWriteInputTokens: 4000, uncachedInputTokens: 0 })),
      JSON.stringify(entry({ modelId: HAIKU, cacheReadInputTokens: 0, uncachedInputTokens: 1000, recoveredFrom: 'too many cache checkpoints' })),
      '{"level":"info","msg":"not ours"}',
      '{"time":"2026-12-01T09:06:00.000Z","cacheRead', // a crash mid-write
    ];
    const { entries, skipped } = readCacheLog(lines.join('\n'));
    expect(skipped).toBe(2);
    expect(entries.map((e) => e.time)).toEqual(['2026-12-01T09:00:00.000Z', '2026-12-01T09:00:00.000Z', '2026-12-01T09:05:00.000Z']);
    const summary = summarizeCacheLog(entries);
    expect(summary).toMatchObject({
      calls: 3,
      callsWithHit: 1,
      callsWithWrite: 1,
      cacheReadInputTokens: 9000,
      cacheWriteInputTokens: 4000,
      uncachedInputTokens: 2000,
      totalInputTokens: 15000,
      hitRatio: 9000 / 15000,
      from: '2026-12-01T09:00:00.000Z',
      to: '2026-12-01T09:05:00.000Z',
      recoveries: [{ reason: 'too many cache checkpoints', calls: 1 }],
    });
    expect(summary.models.map((m) => [m.modelId, m.calls, m.hitRatio])).toEqual([
      [SONNET, 2, 9000 / 14000],
      [HAIKU, 1, 0],
    ]);
  });
});

describe('dollars and miss reasons', () => {
  it('sums the priced calls and counts the misses, first calls left out', async () => {
    const entries = [
      entry({ time: '2026-12-01T09:00:00.000Z', cacheWriteInputTokens: 4000, uncachedInputTokens: 12, costUsd: 0.0166, costWithoutCacheUsd: 0.0133, cacheMiss: { reason: 'first-call', message: 'x' } }),
      entry({ time: '2026-12-01T09:07:00.000Z', cacheWriteInputTokens: 4000, uncachedInputTokens: 12, costUsd: 0.0166, costWithoutCacheUsd: 0.0133, cacheMiss: { reason: 'ttl-expired', message: 'x', gapMs: 420_000, ttl: '5m' } }),
      entry({ time: '2026-12-01T09:08:00.000Z', cacheReadInputTokens: 4000, uncachedInputTokens: 12, costUsd: 0.0013, costWithoutCacheUsd: 0.0133 }),
      entry({ time: '2026-12-01T09:09:00.000Z', modelId: 'us.unpriced.model-v1', uncachedInputTokens: 50 }),
    ];
    const summary = summarizeCacheLog(entries);
    expect(summary.misses).toEqual([{ reason: 'ttl-expired', calls: 1 }]);
    expect(summary.dollars).toEqual({ costUsd: expect.closeTo(0.0345, 9), costWithoutCacheUsd: expect.closeTo(0.0399, 9), savedUsd: expect.closeTo(0.0054, 9), pricedCalls: 3 });
    const log = join(dir, 'dollars.jsonl');
    writeFileSync(log, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const { io, out } = capture();
    expect(await runCli(['report', '--file', log, '--no-html'], io, { report: reportCommand })).toBe(0);
    const text = out.join('');
    expect(text).toContain('Input cost:       $0.0345 with caching, $0.0399 without: $0.0054 saved (13.5%), over 3 priced calls');
    expect(text).toContain('1 × ttl-expired');
  });
});

describe('report command', () => {
  it('prints the summary and writes one self-contained HTML page', async () => {
    const log = join(dir, 'cache.jsonl');
    const entries = [
      entry({ time: '2026-12-01T09:00:00.000Z', cacheWriteInputTokens: 4000, uncachedInputTokens: 12 }),
      entry({ time: '2026-12-01T09:02:00.000Z', cacheReadInputTokens: 4000, cacheWriteInputTokens: 300, uncachedInputTokens: 12 }),
      entry({ time: '2026-12-01T09:30:00.000Z', modelId: 'arn:aws:bedrock:us-east-1:123:application-inference-profile/<b>x</b>', uncachedInputTokens: 50 }),
    ];
    writeFileSync(log, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const { io, out, err } = capture();
    expect(await runCli(['report', '--file', log], io, { report: reportCommand })).toBe(0);
    const text = out.join('');
    expect(err).toEqual([]);
    expect(text).toContain('Calls:            3 (2026-12-01T09:00:00.000Z … 2026-12-01T09:30:00.000Z)');
    expect(text).toContain(`Hit ratio:        ${((4000 / 8374) * 100).toFixed(1)}% of input tokens read from the cache`);
    expect(text).toContain('Input tokens:     8,374 = 4,000 read + 4,300 written + 74 uncached');
    expect(text).toMatch(new RegExp(`${SONNET.replace(/[.:]/g, '\\$&')}\\s+2\\s+`));
    expect(text).toContain(`HTML report: ${join(dir, 'cache.html')}`);

    const html = readFileSync(join(dir, 'cache.html'), 'utf8');
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toContain('<b>x</b>');
    // self-contained: no script, no stylesheet or image links, no URL at all
    expect(html).not.toMatch(/<script|<link|<img|\bsrc=|\bhref=|https?:\/\//i);
  });

  it('says what is wrong with its command line or its file', async () => {
    const missing = capture();
    expect(await runCli(['report'], missing.io, { report: reportCommand })).toBe(2);
    expect(missing.err.join('')).toMatch(/--file <cache.jsonl> is required/);
    const unreadable = capture();
    expect(await runCli(['report', '--file', join(dir, 'nope.jsonl'), '--no-html'], unreadable.io, { report: reportCommand })).toBe(1);
    expect(unreadable.err.join('')).toMatch(/cannot read .*nope\.jsonl/);
    const empty = capture();
    writeFileSync(join(dir, 'empty.jsonl'), '');
    expect(await runCli(['report', '--file', join(dir, 'empty.jsonl'), '--no-html'], empty.io, { report: reportCommand })).toBe(0);
    expect(empty.out.join('')).toBe('No cache usage entries.\n');
  });
});

describe('numbers the page and the summary can trust', () => {
  it('skips lines with counts out of range, drops bad values and counts both; recomputes the ratio', () => {
    const lines = [
      JSON.stringify(entry({ time: '2026-12-01T09:00:00.000Z', cacheReadInputTokens: 1e308, uncachedInputTokens: 5 })),
      JSON.stringify(entry({ time: '2026-12-01T09:01:00.000Z', cacheReadInputTokens: -4, uncachedInputTokens: 5 })),
      '{"time":"2026-12-01T09:02:00.000Z","cacheReadInputTokens":1e999,"cacheWriteInputTokens":0,"uncachedInputTokens":0}',
      // no hitRatio, no totalInputTokens, a negative cost, a cacheDetails item with a string count, a cacheMiss without a reason
      '{"time":"2026-12-01T09:03:00.000Z","modelId":"m","cacheReadInputTokens":300,"cacheWriteInputTokens":0,"uncachedInputTokens":100,"costUsd":-0.5,"costWithoutCacheUsd":0.1,"cacheDetails":[{"ttl":"5m","inputTokens":"7"}],"cacheMiss":{"why":1}}',
      // a prefix whose lengths differ
      JSON.stringify({ ...entry({ time: '2026-12-01T09:04:00.000Z', uncachedInputTokens: 10 }), prefix: { nodes: ['a', 'b'], tokens: [5] } }),
    ];
    const { entries, skipped, skippedValues } = readCacheLog(lines.join('\n'));
    expect(skipped).toBe(3);
    expect(skippedValues).toBe(4);
    expect(entries[0]).toMatchObject({ hitRatio: 0.75, totalInputTokens: 400, cacheDetails: [] });
    expect(entries[0]).not.toHaveProperty('costUsd');
    expect(entries[0]).not.toHaveProperty('cacheMiss');
    expect(entries[1]).not.toHaveProperty('prefix');
  });

  it('writes no NaN, Infinity or ∞ on the page or in the summary', async () => {
    const log = join(dir, 'hostile.jsonl');
    const lines = [
      '{"time":"2026-12-01T09:00:00.000Z","modelId":"x","cacheReadInputTokens":1e308,"cacheWriteInputTokens":1e308,"uncachedInputTokens":1e308}',
      '{"time":"2026-12-01T09:00:05.000Z","modelId":"x","cacheReadInputTokens":10,"cacheWriteInputTokens":0,"uncachedInputTokens":0,"costUsd":-1e308,"costWithoutCacheUsd":1e308}',
      '{"time":"2026-12-01T09:00:10.000Z","modelId":"x","cacheReadInputTokens":0,"cacheWriteInputTokens":0,"uncachedInputTokens":0}',
      '{"time":"2026-12-01T09:00:20.000Z","modelId":"x","cacheReadInputTokens":5,"cacheWriteInputTokens":5,"uncachedInputTokens":5,"costUsd":0.1,"costWithoutCacheUsd":0.05}',
    ];
    writeFileSync(log, lines.join('\n'));
    const { io, out, err } = capture();
    expect(await runCli(['report', '--file', log, '--out', join(dir, 'hostile.html')], io, { report: reportCommand })).toBe(0);
    const html = readFileSync(join(dir, 'hostile.html'), 'utf8');
    for (const text of [out.join(''), html]) expect(text).not.toMatch(/NaN|Infinity|∞/);
    expect(err.join('')).toContain('skipped 1 line(s)');
    expect(err.join('')).toContain('skipped 1 value(s)');
    expect(html).toContain('Left out of this page: 1 line(s) that were not cache-usage entries; 1 value(s) out of range or malformed.');
    // the one priced call saved −$0.05: the axis goes below zero and says so
    expect(out.join('')).toContain('$-0.0500 saved');
    expect(html).toContain('<div class="value">−$0.0500 (−100.0%)</div><div class="label">Saved by caching</div>');
    expect(html).toContain('>−$0.02</text>');
  });

  it('escapes control characters from the log on the terminal, and keeps lines whole', async () => {
    const log = join(dir, 'controls.jsonl');
    const lines = [
      entry({ time: '2026-12-01T09:00:00.000Z', modelId: 'evil\u001b[2J\u001b[31m', uncachedInputTokens: 5, cacheMiss: { reason: 'first-call', message: 'x' } }),
      entry({ time: '2026-12-01T09:01:00.000Z', modelId: 'evil\u001b[2J\u001b[31m', uncachedInputTokens: 5, cacheMiss: { reason: 'ttl-expired\nCalls:            999' as 'ttl-expired', message: 'x' }, recoveredFrom: 'bad\u0007\u009b\u202e' }),
    ];
    writeFileSync(log, lines.map((e) => JSON.stringify(e)).join('\n'));
    const { io, out } = capture();
    expect(await runCli(['report', '--file', log, '--no-html'], io, { report: reportCommand })).toBe(0);
    const text = out.join('');
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(text).toContain('evil\\u001b[2J\\u001b[31m');
    expect(text).toContain('1 × ttl-expired\\u000aCalls:            999');
    expect(text).toContain('1 × bad\\u0007\\u009b\\u202e');
    expect(text.match(/^Calls:/gm)).toHaveLength(1);
  });

  it('says in one line why it cannot write --out, and exits non-zero', async () => {
    const log = join(dir, 'ok.jsonl');
    writeFileSync(log, `${JSON.stringify(entry({ uncachedInputTokens: 5 }))}\n`);
    for (const out of [join(dir, 'no', 'such', 'folder', 'page.html'), dir]) {
      const { io, err } = capture();
      expect(await runCli(['report', '--file', log, '--out', out], io, { report: reportCommand })).toBe(1);
      const message = err.join('');
      expect(message).toMatch(new RegExp(`^ai-sdk-bedrock-cache report: cannot write ${out.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\((ENOENT|EISDIR)[^\\n]*\\)\\n$`));
      expect(message).not.toMatch(/\n\s+at /);
    }
  });
});

describe('time axis', () => {
  const ticksOf = (html: string) => [...html.split('<svg ')[1]!.matchAll(/text-anchor="middle">([^<]+)</g)].map((m) => m[1]!).filter((label) => !label.startsWith('idle'));
  const render = (times: string[]) => {
    const entries = times.map((time) => entry({ time, cacheReadInputTokens: 10, uncachedInputTokens: 1 }));
    return renderCacheReport({ entries, skipped: 0, skippedValues: 0 }, summarizeCacheLog(entries));
  };

  it('puts ticks at round intervals that fit the span', () => {
    // the 16:26, 16:27, 16:27, 16:27, 16:27: four minutes of calls
    const minutes = render(['2026-12-01T16:26:10.000Z', '2026-12-01T16:27:00.000Z', '2026-12-01T16:29:30.000Z', '2026-12-01T16:30:05.000Z']);
    expect(ticksOf(minutes)).toEqual(['16:27', '16:28', '16:29', '16:30']);
    const day = render(['2026-12-01T02:10:00.000Z', '2026-12-01T09:00:00.000Z', '2026-12-01T17:40:00.000Z']);
    expect(ticksOf(day)).toEqual(['03:00', '06:00', '09:00', '12:00', '15:00']);
    const days = render(['2026-11-28T22:00:00.000Z', '2026-12-01T09:00:00.000Z', '2026-12-03T05:00:00.000Z']);
    expect(ticksOf(days)).toEqual(['11-29', '11-30', '12-01', '12-02', '12-03']);
    const overMidnight = render(['2026-11-30T22:10:00.000Z', '2026-12-01T01:50:00.000Z']);
    expect(ticksOf(overMidnight)).toEqual(['11-30 23:00', '12-01 00:00', '01:00']);
  });

  it('draws no line across an idle gap: the path breaks and the gap is shaded', () => {
    const html = render(['2026-12-01T09:00:00.000Z', '2026-12-01T09:01:00.000Z', '2026-12-01T09:02:00.000Z', '2026-12-01T11:00:00.000Z', '2026-12-01T11:01:00.000Z']);
    const [ratio, tokens] = html.split('<svg ').slice(1);
    for (const chart of [ratio!, tokens!]) {
      expect(chart).toContain('idle 1 h 58 min');
      expect(chart.match(/<rect /g)).toHaveLength(1);
    }
    // one path per run of calls, in each of the ratio line, read and written
    expect(ratio!.match(/<polyline /g)).toHaveLength(2);
    expect(tokens!.match(/<polyline /g)).toHaveLength(4);
    const xs = [...ratio!.matchAll(/<polyline [^>]*points="([^"]+)"/g)].map((m) => m[1]!.split(' ').map((p) => Number(p.split(',')[0])));
    expect(Math.max(...xs[0]!)).toBeLessThan(Math.min(...xs[1]!));
  });
});
