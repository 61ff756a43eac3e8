/**
 * The `report` page in a real browser: a generated day of logged traffic (test/support/
 * cache-log-day.ts: several models, idle gaps, misses, the ledger's prefix paths for the
 * what-if), and a morning of traffic through the middleware against the emulator (Converse
 * and InvokeModel, pauses long enough for the 5-minute cache to expire) logged by
 * cacheUsageJsonlSink, each turned into HTML by the `report` command and opened in Debian's
 * Chromium through playwright-core (no browser download). The page must load nothing but
 * itself, log no error, and draw its charts.
 *
 * CHROMIUM overrides the browser path (default /usr/bin/chromium: apt-get install chromium).
 * Without it the test is skipped locally, saying why; with CI=true it fails instead.
 * REPORT_SCREENSHOT=docs/cache-report.png saves the day's screenshot docs/observability.md shows.
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateText, wrapLanguageModel, type ModelMessage } from 'ai';
import { chromium, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware } from '../src';
import { runCli } from '../src/cli/run-cli';
import { cacheUsageJsonlSink } from '../src/node';
import { reportCommand } from '../src/report/report-command';
import { cacheLogDay } from './support/cache-log-day';
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

/** Opens a page in Chromium: what it requested, what it logged as errors, and the tab. */
async function openPage(page: string, use: (tab: Page, requests: string[], problems: string[]) => Promise<void>) {
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const tab = await browser.newPage({ viewport: { width: 960, height: 800 } });
    const requests: string[] = [];
    const problems: string[] = [];
    tab.on('request', (request) => requests.push(request.url()));
    tab.on('console', (message) => void (message.type() === 'error' && problems.push(message.text())));
    tab.on('pageerror', (error) => problems.push(error.message));
    await tab.goto(pathToFileURL(page).href);
    await use(tab, requests, problems);
  } finally {
    await browser.close();
  }
}

/** Each chart: its width on screen, the points of each drawn path, its dots and its shaded pauses. */
const chartsOf = (tab: Page) =>
  tab.locator('svg').evaluateAll((svgs) =>
    svgs.map((svg) => ({
      title: svg.querySelector('title')!.textContent,
      width: svg.getBoundingClientRect().width,
      lines: [...svg.querySelectorAll('polyline')].map((line) => line.getAttribute('points')!.split(' ').length),
      dots: svg.querySelectorAll('circle').length,
      gaps: svg.querySelectorAll('rect').length,
    })),
  );

describe.skipIf(!hasBrowser)('report page in Chromium', () => {
  it('shows a day of traffic: gaps as gaps, dollars, miss reasons, models and the what-if (the screenshot in docs/)', async () => {
    const log = join(dir, 'day.jsonl');
    writeFileSync(log, `${cacheLogDay().lines.join('\n')}\n`);
    const out: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: (t: string) => void out.push(t) };
    expect(await runCli(['report', '--file', log], io, { report: reportCommand })).toBe(0);
    const page = join(dir, 'day.html');
    await openPage(page, async (tab, requests, problems) => {
      expect(requests).toEqual([pathToFileURL(page).href]);
      expect(problems).toEqual([]);
      const charts = await chartsOf(tab);
      expect(charts.map((c) => c.title)).toEqual([
        'Hit ratio per call and over the last calls',
        'Cumulative input dollars saved by caching',
        'Cumulative input tokens read from and written to the cache',
      ]);
      for (const chart of charts) {
        expect(chart.width).toBeGreaterThan(800);
        // the night batch, the lunch break and the quiet afternoon: shaded, and no line drawn across them
        expect(chart.gaps).toBeGreaterThanOrEqual(5);
        expect(chart.lines.length).toBeGreaterThan(chart.gaps);
      }
      expect(charts[0]!.dots).toBeGreaterThan(400);
      await expect(tab.locator('.whatif .headline').textContent()).resolves.toMatch(/^What-if: you paid \d\.\d\d× the best possible; a fixed 1h would have cost \d\.\d\d×$/);
      await expect(tab.locator('table.reasons td:first-child').allTextContents()).resolves.toEqual(['ttl-expired', 'prefix-changed']);
      await expect(tab.locator('table:not(.reasons) tbody tr').count()).resolves.toBe(3);
      // ticks at round hours, each once
      const ticks = await tab.locator('svg').first().locator('text[text-anchor="middle"]').allTextContents();
      expect(ticks.filter((t) => !t.startsWith('idle'))).toEqual(['03:00', '06:00', '09:00', '12:00', '15:00']);

      const screenshot = process.env.REPORT_SCREENSHOT ? resolve(process.env.REPORT_SCREENSHOT) : join(dir, 'cache-report.png');
      await tab.screenshot({ path: screenshot, fullPage: true });
      expect(statSync(screenshot).size).toBeGreaterThan(20_000);
    });
  });

  it('draws a morning logged by the middleware against the emulator', async () => {
    const log = join(dir, 'cache.jsonl');
    await morningOfTraffic(log);
    const out: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: (t: string) => void out.push(t) };
    expect(await runCli(['report', '--file', log], io, { report: reportCommand })).toBe(0);
    const page = join(dir, 'cache.html');
    expect(out.join('')).toContain(`HTML report: ${page}`);
    await openPage(page, async (tab, requests, problems) => {
      expect(requests).toEqual([pathToFileURL(page).href]);
      expect(problems).toEqual([]);
      const charts = await chartsOf(tab);
      expect(charts).toHaveLength(3); // Sonnet and Haiku are priced: dollars saved too
      for (const chart of charts) {
        expect(chart.width).toBeGreaterThan(800);
        expect(chart.lines.length).toBeGreaterThan(0);
      }
      expect(charts[0]!.dots).toBeGreaterThan(30); // one per call
      await expect(tab.locator('.card .value').first().textContent()).resolves.toMatch(/^\d+$/);
    });
  });
});
