/**
 * The `report` page in a real browser: a morning of traffic through the middleware against
 * the emulator (Converse and InvokeModel, pauses long enough for the 5-minute cache to
 * expire), logged by cacheUsageJsonlSink, turned into HTML by the `report` command, opened
 * in Debian's Chromium through playwright-core (no browser download). The page must load
 * nothing but itself, log no error, and draw both charts.
 *
 * CHROMIUM overrides the browser path (default /usr/bin/chromium: apt-get install chromium).
 * Without it the test is skipped locally, saying why; with CI=true it fails instead.
 * REPORT_SCREENSHOT=docs/cache-report.png saves the screenshot docs/observability.md shows.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateText, wrapLanguageModel, type ModelMessage } from 'ai';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware } from '../src';
import { runCli } from '../src/cli/run-cli';
import { cacheUsageJsonlSink } from '../src/node';
import { reportCommand } from '../src/report/report-command';
import { useEmulatedBedrock } from './support/emulator-bedrock';
import { HAIKU, LONG_SYSTEM, prose, SONNET } from './support/fixtures';

const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const hasBrowser = existsSync(executablePath);
if (!hasBrowser && process.env.CI === 'true') throw new Error(`report page check cannot run in CI: no Chromium at ${executablePath} (apt-get install chromium)`);
if (!hasBrowser) console.warn(`test/report-browser.test.ts skipped: no Chromium at ${executablePath} (apt-get install chromium, or set CHROMIUM)`);

const { bedrock, anthropic, advance } = useEmulatedBedrock();
const dir = mkdtempSync(join(tmpdir(), 'cache-report-page-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a log of support conversations (Sonnet, Converse) and triage calls (Haiku, InvokeModel). */
async function morningOfTraffic(log: string) {
  let elapsed = 0;
  const start = Date.UTC(2026, 11, 1, 8, 0, 0);
  const wait = (ms: number) => {
    elapsed += ms;
    advance(ms);
  };
  const onCacheUsage = cacheUsageJsonlSink(log, { now: () => start + elapsed });
  const middleware = bedrockCacheMiddleware({ onCacheUsage });
  const sonnet = wrapLanguageModel({ model: bedrock(SONNET), middleware });
  const haiku = wrapLanguageModel({ model: anthropic(HAIKU), middleware });
  // Haiku 4.5 caches from 4,096 tokens (shared doc): its triage prompt is longer than that.
  const triage = `${LONG_SYSTEM} ${prose(1000, 3)}`;
  // Seconds between sessions: three pauses past the 5-minute TTL, where the next call writes again.
  const pauses = [40, 90, 420, 60, 150, 30, 600, 120, 45, 380, 75, 200];
  for (const [session, pause] of pauses.entries()) {
    await generateText({ model: haiku, system: triage, prompt: `Triage ticket ${session}` });
    const messages: ModelMessage[] = [];
    for (let turn = 0; turn < 2 + (session % 3); turn++) {
      messages.push({ role: 'user', content: `Session ${session}, question ${turn}: where is my order?` });
      const result = await generateText({ model: sonnet, system: LONG_SYSTEM, messages });
      messages.push(...result.response.messages);
      wait(20_000 + 7_000 * turn);
    }
    wait(pause * 1000);
  }
}

describe.skipIf(!hasBrowser)('report page in Chromium', () => {
  it('loads nothing but itself and draws both charts', async () => {
    const log = join(dir, 'cache.jsonl');
    await morningOfTraffic(log);
    const out: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: (t: string) => void out.push(t) };
    expect(await runCli(['report', '--file', log], io, { report: reportCommand })).toBe(0);
    const page = join(dir, 'cache.html');
    expect(out.join('')).toContain(`HTML report: ${page}`);

    const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    try {
      const tab = await browser.newPage({ viewport: { width: 960, height: 800 } });
      const requests: string[] = [];
      const problems: string[] = [];
      tab.on('request', (request) => requests.push(request.url()));
      tab.on('console', (message) => void (message.type() === 'error' && problems.push(message.text())));
      tab.on('pageerror', (error) => problems.push(error.message));
      const url = pathToFileURL(page).href;
      await tab.goto(url);

      expect(requests).toEqual([url]);
      expect(problems).toEqual([]);
      const charts = await tab.locator('svg').evaluateAll((svgs) =>
        svgs.map((svg) => ({
          width: svg.getBoundingClientRect().width,
          lines: [...svg.querySelectorAll('polyline')].map((line) => line.getAttribute('points')!.split(' ').length),
          dots: svg.querySelectorAll('circle').length,
        })),
      );
      expect(charts).toHaveLength(2);
      for (const chart of charts) {
        expect(chart.width).toBeGreaterThan(800);
        for (const points of chart.lines) expect(points).toBeGreaterThan(30);
      }
      expect(charts[0]!.lines).toHaveLength(1); // rolling hit ratio
      expect(charts[0]!.dots).toBeGreaterThan(30); // one per call
      expect(charts[1]!.lines).toHaveLength(2); // cumulative read and written
      await expect(tab.locator('.card .value').first().textContent()).resolves.toMatch(/^\d+$/);

      const screenshot = process.env.REPORT_SCREENSHOT ? resolve(process.env.REPORT_SCREENSHOT) : join(dir, 'cache-report.png');
      await tab.screenshot({ path: screenshot, fullPage: true });
      expect(statSync(screenshot).size).toBeGreaterThan(20_000);
    } finally {
      await browser.close();
    }
  });
});
