/**
 * The Next.js chat page (examples/next-chat) in a real browser: Debian's Chromium driven by
 * playwright-core (no browser download), `next start` on a free port, the Bedrock emulator
 * started by the CLI behind AWS_ENDPOINT_URL_BEDROCK_RUNTIME. Three questions typed as a user
 * types them; each answer must appear with its cache usage, answers 2 and 3 reading the cache.
 *
 *   npm run test:browser                                    (after npm run example:next-chat:build)
 *   npm run test:browser -- --screenshot docs/next-chat.png (refresh the screenshot in docs/examples-and-compatibility.md)
 *
 * CHROMIUM overrides the browser path (default /usr/bin/chromium: apt-get install chromium).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { startEmulatorCli } from '../cli-process';

const example = fileURLToPath(new URL('../../examples/next-chat/', import.meta.url));
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const QUESTIONS = ['What is the return window?', 'Do you ship to Canada?', 'Can I exchange shoes for another size?'];
const { values } = parseArgs({ options: { screenshot: { type: 'string' } } });
const screenshot = values.screenshot ?? join(mkdtempSync(join(tmpdir(), 'next-chat-')), 'next-chat.png');

/** Fails the run with a message. */
function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts `next start` and resolves once the page answers. */
async function startNext(port: number, env: Record<string, string>) {
  const child = spawn(join(example, 'node_modules/.bin/next'), ['start', '--port', String(port), '--hostname', '127.0.0.1'], {
    cwd: example,
    env: { ...process.env, ...env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => void (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => void (output += chunk));
  const url = `http://127.0.0.1:${port}/`;
  for (let attempt = 0; ; attempt++) {
    check(child.exitCode === null, `next start exited:\n${output}`);
    try {
      if ((await fetch(url)).ok) return { child, url, output: () => output };
    } catch {
      // not listening yet
    }
    check(attempt < 600, `next start did not answer on ${url}:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

check(existsSync(join(example, '.next/BUILD_ID')), 'examples/next-chat is not built: run npm run example:next-chat:build first');
check(existsSync(executablePath), `no Chromium at ${executablePath}: apt-get install -y chromium (or set CHROMIUM)`);

const emulator = await startEmulatorCli(['--log']);
const next = await startNext(await freePort(), emulator.env);
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 820, height: 400 } });
  await page.goto(next.url);
  const input = page.getByPlaceholder('Ask about an order…');
  // one block per message; an assistant answer carries its cache line ("cache: N read, …")
  const answers = page.locator('main > div').filter({ hasText: /^Assistant:/ });
  const cacheLines = answers.locator('div').filter({ hasText: /^cache: / });

  for (const [index, question] of QUESTIONS.entries()) {
    await input.click();
    await input.pressSequentially(question);
    await input.press('Enter');
    await cacheLines.nth(index).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Send' }).and(page.locator(':enabled')).waitFor({ timeout: 60_000 });

    const answer = (await answers.nth(index).innerText()).trim();
    const usage = /cache: (\d+) read, (\d+) written, (\d+) uncached/.exec(await cacheLines.nth(index).innerText());
    check(usage !== null, `answer ${index + 1} has no cache line: ${answer}`);
    const [read, written] = [Number(usage[1]), Number(usage[2])];
    // the emulator's default reply echoes the question
    check(answer.includes(`Emulated reply to: ${question}`), `answer ${index + 1} is not the reply to "${question}": ${answer}`);
    if (index === 0) check(written > 0 && read === 0, `answer 1 should write the system prompt to the cache: ${usage[0]}`);
    else check(read > 0, `answer ${index + 1} should read the cache: ${usage[0]}`);
    console.log(`answer ${index + 1}: ${usage[0]}`);
  }
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`screenshot: ${screenshot}`);
  console.log('next-chat in Chromium: 3 answers, answers 2 and 3 read the cache');
} catch (error) {
  console.error(`next start output:\n${next.output()}\nemulator log:\n${emulator.stderr()}`);
  throw error;
} finally {
  await browser.close();
  next.child.kill('SIGTERM');
  emulator.child.kill('SIGTERM');
}
