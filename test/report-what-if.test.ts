/**
 * The report's what-if: the logged traffic's bill against the clairvoyant bound (the code the
 * benchmarks use, src/economics), from each line's `prefix` path (contract C4), on a small
 * log priced by hand and on a generated day of traffic, through the `report` command.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli';
import type { CacheLogEntry } from '../src/node';
import { cacheWhatIf } from '../src/report/cache-what-if';
import { readCacheLog } from '../src/report/read-cache-log';
import { reportCommand } from '../src/report/report-command';
import { cacheLogDay } from './support/cache-log-day';
import { LLAMA, NOVA, SONNET } from './support/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'cache-what-if-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A logged call: `read`/`write`/`uncached` tokens as Bedrock reported them, and its prefix path. */
const line = (time: string, read: number, write: number, uncached: number, prefix?: CacheLogEntry['prefix'], modelId = SONNET): string =>
  JSON.stringify({ time, modelId, callType: 'generate', cacheReadInputTokens: read, cacheWriteInputTokens: write, uncachedInputTokens: uncached, checkpoints: { added: 1, existing: 0 }, ...(prefix && { prefix }) });

function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  return runCli(args, { out: (t) => void out.push(t), err: (t) => void err.push(t) }, { report: reportCommand }).then((code) => ({ code, out: out.join(''), err: err.join('') }));
}

describe('what-if', () => {
  it('prices two calls ten minutes apart by hand: 5m writes that expired unread, against no caching and a 1h write', async () => {
    // Sonnet 4.5 through a us. profile: $3.30/M input, 0.33 read, 4.125 5m write, 6.6 1h write (the price table, +10% regional).
    const system = { nodes: ['s1'], tokens: [2000] };
    const log = join(dir, 'two.jsonl');
    writeFileSync(
      log,
      [
        line('2026-12-01T09:00:00.000Z', 0, 2000, 100, system),
        line('2026-12-01T09:10:00.000Z', 0, 2000, 100, system),
        line('2026-12-01T09:11:00.000Z', 0, 0, 100), // no prefix logged
        line('2026-12-01T09:12:00.000Z', 0, 0, 3000, { nodes: ['l1'], tokens: [2900] }, LLAMA), // no caching, no price
      ].join('\n'),
    );
    const whatIf = cacheWhatIf(readCacheLog(readFileSync(log, 'utf8')).entries)!;
    // paid: two 5m writes of 2,000 and 200 uncached; best: all 4,200 uncached; fixed 1h: write once at 1h, read once
    const paid = (2 * 2000 * 4.125 + 200 * 3.3) / 1e6;
    const uncached = (4200 * 3.3) / 1e6;
    const hour = (2000 * 6.6 + 100 * 3.3 + 2000 * 0.33 + 100 * 3.3) / 1e6;
    expect(whatIf).toMatchObject({ calls: 2, notAnalysable: { noPrefix: 1, unpriced: 1 } });
    expect(whatIf.actualUsd).toBeCloseTo(paid, 12);
    expect(whatIf.best5mUsd).toBeCloseTo(uncached, 12);
    expect(whatIf.fixed1hUsd).toBeCloseTo(hour, 12);
    expect(whatIf.bestUsd).toBeCloseTo(uncached, 12);

    const { code, out } = await run(['report', '--file', log, '--no-html']);
    expect(code).toBe(0);
    expect(out).toContain(`What-if:          you paid ${(paid / uncached).toFixed(2)}× the best possible; a fixed 1h would have cost ${(hour / uncached).toFixed(2)}×\n`);
    expect(out).toContain('over 2 of 4 calls (not analysable: 1 without a logged prefix, 1 on models without a built-in price or caching)');
  });

  it('calls a bill that matched the bound 1.00×, and says when no line can be analysed', async () => {
    const system = { nodes: ['s1', 's1:q1'], tokens: [2000, 2050] };
    const log = join(dir, 'best.jsonl');
    // write the system prompt's end, read it a minute later: what the bound does (the question isn't read again, so not written)
    writeFileSync(log, [line('2026-12-01T09:00:00.000Z', 0, 2000, 50, system), line('2026-12-01T09:01:00.000Z', 2000, 0, 50, { nodes: ['s1', 's1:q2'], tokens: [2000, 2050] })].join('\n'));
    expect((await run(['report', '--file', log, '--no-html'])).out).toContain('you paid 1.00× the best possible');
    // Nova has no 1h TTL: no fixed-1h figure to offer
    const nova = join(dir, 'nova.jsonl');
    writeFileSync(nova, [line('2026-12-01T09:00:00.000Z', 0, 2000, 50, system, NOVA), line('2026-12-01T09:01:00.000Z', 2000, 0, 50, { nodes: ['s1', 's1:q2'], tokens: [2000, 2050] }, NOVA)].join('\n'));
    expect((await run(['report', '--file', nova, '--no-html'])).out).toContain('What-if:          you paid 1.00× the best possible (no model here takes a 1h TTL)\n');
    const old = join(dir, 'old.jsonl');
    writeFileSync(old, line('2026-12-01T09:00:00.000Z', 0, 2000, 50));
    expect((await run(['report', '--file', old, '--no-html'])).out).toContain('What-if:          not available: no call logged its prefix path');
  });

  it('reads a generated day: several models, pauses, misses, lines without a prefix', async () => {
    const log = join(dir, 'day.jsonl');
    const { lines, entries } = cacheLogDay();
    writeFileSync(log, `${lines.join('\n')}\n`);
    const { code, out, err } = await run(['report', '--file', log, '--out', join(dir, 'day.html')]);
    expect(code).toBe(0);
    expect(err).toContain('skipped 1 line(s)');
    const whatIf = cacheWhatIf(readCacheLog(readFileSync(log, 'utf8')).entries)!;
    expect(whatIf.models.map((m) => m.calls).reduce((a, b) => a + b)).toBe(whatIf.calls);
    expect(whatIf.calls + whatIf.notAnalysable.noPrefix).toBe(entries.length + 1); // the line with a bad cost is a call too
    // the bound is a bound on ordinary traffic: never above what was paid, 1h where it pays never above 5m only nor a fixed 1h
    for (const m of whatIf.models) {
      expect(m.bestUsd).toBeLessThanOrEqual(m.actualUsd);
      expect(m.bestUsd).toBeLessThanOrEqual(m.best5mUsd);
      expect(m.bestUsd).toBeLessThanOrEqual(m.fixed1hUsd);
    }
    expect(out).toMatch(/What-if: {10}you paid \d\.\d\d× the best possible; a fixed 1h would have cost \d\.\d\d×/);
    const html = readFileSync(join(dir, 'day.html'), 'utf8');
    expect(html).toMatch(/What-if: you paid \d\.\d\d× the best possible/);
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).toContain('<td>ttl-expired</td>');
    expect(html).not.toMatch(/NaN|Infinity/);
  });
});
