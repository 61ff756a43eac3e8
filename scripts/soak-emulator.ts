/**
 * `npm run soak:emulator`: drives the emulator command (a real process, started as users start
 * it) for a bounded time with hostile clients beside well-formed traffic, then prints whether it
 * stayed up, answered every well-formed request, and held its memory bound.
 *
 * Hostile: sockets that send 0–2 bytes and stall, headers sent a byte at a time, bodies over the
 * size limit (declared and streamed), a large body just under it, bodies nested 10,000 deep,
 * a huge unbroken token, unknown model ids (typos, `__proto__`), TRACE and a malformed Host.
 * Well-formed: bursts of 500 concurrent Converse requests over HTTP/1.1 and a steady HTTP/2 trickle.
 *
 * Options: --seconds N (default 60), --json. The command runs with its default header and idle
 * timeouts (10 s, 30 s) and a 15 s request timeout (default 60 s), so that a body stalled at the
 * end of the run is closed soon after it. Stalled sockets are left to the server to close:
 * the run ends once it has closed them all (or 20 s after the traffic stops).
 * Exit code 1 if any verdict fails. Linux only (reads the command's RSS from /proc).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const SECONDS = Number(flag('--seconds') ?? 60);
if (!(SECONDS > 0)) throw new Error(`--seconds must be a positive number (got ${flag('--seconds')})`);
const JSON_OUT = args.includes('--json');
const BURST = 500;
/**
 * The memory bound the command must hold: its peak RSS, and its growth from a third of the way
 * in to the end (V8 keeps the pages of collected garbage, so RSS plateaus rather than falls;
 * a leak keeps climbing).
 */
const PEAK_RSS_BOUND_MB = 768;
const GROWTH_BOUND_MB = 128;
const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const SYSTEM = `You are a support agent. ${'Returns are free within 30 days. '.repeat(300)}`;

const log = (line: string) => {
  if (!JSON_OUT) console.log(line);
};

// --- start the command ------------------------------------------------------------------
const cli = fileURLToPath(new URL('../src/cli/index.ts', import.meta.url));
const child = spawn(
  process.execPath,
  ['--import', 'tsx', cli, 'emulator', '--port', '0', '--request-timeout', '15'],
  { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] },
);
let banner = '';
let stderr = '';
child.stdout.setEncoding('utf8').on('data', (chunk: string) => (banner += chunk));
child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
let alive = true;
void exited.then(() => (alive = false));
const url = await new Promise<string>((resolve, reject) => {
  const timer = setInterval(() => {
    const match = /^export AWS_ENDPOINT_URL_BEDROCK_RUNTIME=(.*)$/m.exec(banner);
    if (match?.[1] && /Ctrl-C/.test(banner)) {
      clearInterval(timer);
      resolve(match[1]);
    } else if (!alive) reject(new Error(`the command exited before listening:\n${stderr}`));
  }, 50);
});
const { port } = new URL(url);

const rssMb = (): number => {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
};

// --- clients -----------------------------------------------------------------------------
const converseUrl = (model = MODEL) => `${url}/model/${encodeURIComponent(model)}/converse`;
const wellFormedBody = (i: number) =>
  JSON.stringify({
    system: [{ text: SYSTEM }, { cachePoint: { type: 'default' } }],
    messages: [{ role: 'user', content: [{ text: `Question ${i}: what is the return window?` }] }],
  });

const stats = {
  wellFormed: { sent: 0, ok: 0, failed: 0, statuses: {} as Record<string, number> },
  hostile: { sent: 0, statuses: {} as Record<string, number>, byKind: {} as Record<string, Record<string, number>>, closedByServer: 0, stillOpenAtEnd: 0 },
  rss: { beforeMb: 0, peakMb: 0, thirdMb: 0, afterMb: 0 },
  http2Sessions: 1,
};
const count = (statuses: Record<string, number>, key: string | number) => {
  statuses[key] = (statuses[key] ?? 0) + 1;
};

async function wellFormed(i: number): Promise<void> {
  stats.wellFormed.sent++;
  try {
    const response = await fetch(converseUrl(), { method: 'POST', body: wellFormedBody(i), signal: AbortSignal.timeout(30_000) });
    await response.arrayBuffer();
    count(stats.wellFormed.statuses, response.status);
    if (response.status === 200) stats.wellFormed.ok++;
    else stats.wellFormed.failed++;
  } catch (error) {
    stats.wellFormed.failed++;
    count(stats.wellFormed.statuses, reason(error));
  }
}

/** A failed fetch's cause, briefly. */
const reason = (error: unknown): string => {
  const cause = (error as Error).cause as (Error & { code?: string }) | undefined;
  return cause ? (cause.code ?? cause.message.slice(0, 40)) : (error as Error).name;
};

/** A hostile HTTP exchange over fetch; counts the status (or the error's name). */
async function hostileFetch(kind: string, target: string, init: RequestInit): Promise<void> {
  stats.hostile.sent++;
  try {
    const response = await fetch(target, { ...init, signal: AbortSignal.timeout(30_000) });
    await response.arrayBuffer();
    count(stats.hostile.statuses, response.status);
    count((stats.hostile.byKind[kind] ??= {}), response.status);
  } catch (error) {
    count(stats.hostile.statuses, reason(error));
    count((stats.hostile.byKind[kind] ??= {}), reason(error));
  }
}

/** A raw socket that writes `parts` (spaced by `gapMs`) and then waits; resolves when the server closes it. */
const openSockets = new Set<net.Socket>();
function rawSocket(kind: string, parts: string[], gapMs = 0): Promise<string> {
  stats.hostile.sent++;
  return new Promise((resolve) => {
    let received = '';
    const socket = net.connect(Number(port), '127.0.0.1');
    openSockets.add(socket);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      openSockets.delete(socket);
      stats.hostile.closedByServer++;
      const answer = /^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 'closed';
      count(stats.hostile.statuses, answer);
      count((stats.hostile.byKind[kind] ??= {}), answer);
      resolve(received);
    });
    let k = 0;
    const next = () => {
      if (k >= parts.length || socket.destroyed) return;
      socket.write(parts[k++]!);
      setTimeout(next, gapMs);
    };
    socket.on('connect', next);
  });
}

const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const deepToolInput = () =>
  JSON.stringify({
    toolConfig: { tools: [{ toolSpec: { name: 'deep', inputSchema: { json: { type: 'object' } } } }] },
    messages: [
      { role: 'user', content: [{ text: 'call the tool' }] },
      { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'deep', input: JSON.parse('{"x":1}') } }] },
    ],
  }).replace('{"x":1}', nested(10_000));

const hostileRounds: Array<() => Promise<unknown>> = [
  () => rawSocket('1 byte, stalled', ['P']),
  () => rawSocket('2 bytes, stalled', ['PO']),
  () => rawSocket('no bytes', []),
  () => rawSocket('headers a byte per 300 ms', 'POST /model/x/converse HTTP/1.1\r\nHost: localhost\r\n'.split(''), 300),
  () => rawSocket('half an HTTP/2 preface', ['PRI * HTTP/2.0\r\n']),
  () => rawSocket('body stalled', [`POST /model/${encodeURIComponent(MODEL)}/converse HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n{"messages":`]),
  () => rawSocket('TRACE', ['TRACE / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n']),
  () => rawSocket('malformed Host', [`POST /model/${encodeURIComponent(MODEL)}/converse HTTP/1.1\r\nHost: exa mple:99999[\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`]),
  () => hostileFetch('30 MB body', `${url}/model/${encodeURIComponent(MODEL)}/invoke`, { method: 'POST', body: 'x'.repeat(30_000_000) }),
  () =>
    hostileFetch('30 MB streamed body', converseUrl(), {
      method: 'POST',
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 30; i++) controller.enqueue(new Uint8Array(1_000_000).fill(120));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit),
  // just under the limit, not JSON; a 2 MB system prompt; an unbroken 8 MB token
  () => hostileFetch('24 MB, not JSON', converseUrl(), { method: 'POST', body: 'x'.repeat(24_000_000) }),
  () => hostileFetch('2 MB system prompt', converseUrl(), { method: 'POST', body: JSON.stringify({ system: [{ text: 'Returns are free. '.repeat(110_000) }], messages: [{ role: 'user', content: [{ text: 'Hi' }] }] }) }),
  () => hostileFetch('8 MB unbroken token', converseUrl(), { method: 'POST', body: `{"messages":[{"role":"user","content":[{"text":"${'a'.repeat(8_000_000)}"}]}]}` }),
  () => hostileFetch('tool input 10,000 deep', converseUrl(), { method: 'POST', body: deepToolInput() }),
  () => hostileFetch('JSON 50,000 deep', converseUrl(), { method: 'POST', body: nested(50_000) }),
  ...['us.anthropic.claude-sonet-4-5-20250929-v1:0', 'anthropic.claude-nonexistent-9', 'constructor', '__proto__', 'toString', 'x%0A%1B[2J'].map(
    (id) => () => hostileFetch(`model id ${id}`, `${url}/model/${id.includes('%') ? id : encodeURIComponent(id)}/converse`, { method: 'POST', body: wellFormedBody(0) }),
  ),
];

/** A steady HTTP/2 trickle of well-formed requests (what the AWS SDK speaks). */
async function http2Trickle(until: number): Promise<void> {
  let session = http2.connect(url);
  session.on('error', () => {});
  for (let i = 0; Date.now() < until && alive; i++) {
    if (session.closed || session.destroyed) {
      // a client whose session the server closed (idle, or not opening a stream in time) reconnects
      session = http2.connect(url);
      session.on('error', () => {});
      stats.http2Sessions++;
    }
    stats.wellFormed.sent++;
    const status = await new Promise<number | string>((resolve) => {
      const stream = session.request({ ':method': 'POST', ':path': `/model/${encodeURIComponent(MODEL)}/converse`, 'content-type': 'application/json' });
      stream.on('response', (headers) => resolve(Number(headers[':status'])));
      stream.on('error', (error: Error & { code?: string }) => resolve(error.code ?? error.name));
      stream.resume();
      stream.end(wellFormedBody(i));
    });
    count(stats.wellFormed.statuses, `h2 ${status}`);
    if (status === 200) stats.wellFormed.ok++;
    else stats.wellFormed.failed++;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  session.close();
}

// --- the run -----------------------------------------------------------------------------
for (let i = 0; i < 20; i++) await wellFormed(i);
stats.rss.beforeMb = rssMb();
stats.rss.peakMb = stats.rss.beforeMb;
log(`# soaking ${url} (pid ${child.pid}) for ${SECONDS} s; RSS before: ${stats.rss.beforeMb.toFixed(0)} MB`);
const started = Date.now();
const until = started + SECONDS * 1000;
const sampler = setInterval(() => {
  if (alive) stats.rss.peakMb = Math.max(stats.rss.peakMb, rssMb());
}, 250);

const hostileLoop = async () => {
  const pending = new Set<Promise<unknown>>();
  for (let k = 0; Date.now() < until && alive; k++) {
    const round = hostileRounds[k % hostileRounds.length]!();
    pending.add(round);
    void round.finally(() => pending.delete(round));
    // at most 40 hostile exchanges in flight (stalled sockets last until a timeout closes them)
    while (pending.size >= 40) await Promise.race(pending);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Promise.race([Promise.all(pending), new Promise((resolve) => setTimeout(resolve, 20_000))]);
};
const burstLoop = async () => {
  let i = 0;
  while (Date.now() < until && alive) {
    await Promise.all(Array.from({ length: BURST }, () => wellFormed(i++)));
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
};
// RSS a third of the way in: a leak keeps growing after it, retained garbage plateaus
const third = setTimeout(() => {
  if (alive) stats.rss.thirdMb = rssMb();
}, (SECONDS * 1000) / 3);
const progress = setInterval(() => {
  log(
    `  ${((Date.now() - started) / 1000).toFixed(0)} s: well-formed ${stats.wellFormed.ok}/${stats.wellFormed.sent} ok, hostile ${stats.hostile.sent} sent, RSS ${alive ? rssMb().toFixed(0) : '-'} MB`,
  );
}, 10_000);
await Promise.all([hostileLoop(), burstLoop(), http2Trickle(until)]);
clearInterval(progress);
clearTimeout(third);

// the last stalled sockets: the timeouts close them, or they count as still open
const drainUntil = Date.now() + 8_000;
while (openSockets.size > 0 && Date.now() < drainUntil) await new Promise((resolve) => setTimeout(resolve, 100));
stats.hostile.stillOpenAtEnd = openSockets.size;
for (const socket of openSockets) socket.destroy();
await new Promise((resolve) => setTimeout(resolve, 2000));
clearInterval(sampler);
stats.rss.afterMb = alive ? rssMb() : 0;
const finalStatus = alive ? (await fetch(converseUrl(), { method: 'POST', body: wellFormedBody(0) }).then((r) => r.status, () => 0)) : 0;

// stop it as CI does, and time it
const stopStarted = Date.now();
child.kill('SIGTERM');
const exitCode = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('still running after 5 s'), 5_000))]);
const stopMs = Date.now() - stopStarted;
const portFreed = await new Promise<boolean>((resolve) => {
  const server = net.createServer().once('error', () => resolve(false));
  server.listen(Number(port), '127.0.0.1', () => server.close(() => resolve(true)));
});
if (exitCode === 'still running after 5 s') child.kill('SIGKILL');

const verdicts = {
  stayedUp: finalStatus === 200,
  answeredEveryWellFormedRequest: stats.wellFormed.failed === 0 && stats.wellFormed.ok === stats.wellFormed.sent,
  neverAnswered5xx: !Object.keys({ ...stats.hostile.statuses, ...stats.wellFormed.statuses }).some((key) => /(^| )5\d\d$/.test(key)),
  closedEveryStalledSocket: stats.hostile.stillOpenAtEnd === 0,
  heldMemoryBound: stats.rss.peakMb <= PEAK_RSS_BOUND_MB && stats.rss.afterMb - stats.rss.thirdMb <= GROWTH_BOUND_MB,
  stoppedOnSigterm: exitCode === 0 && portFreed,
};
const summary = { seconds: SECONDS, ...stats, stop: { exitCode, ms: stopMs, portFreed }, verdicts };
if (JSON_OUT) {
  console.log(JSON.stringify(summary, null, 2));
} else {
  const { wellFormed: w, hostile: h, rss } = stats;
  log(`\nwell-formed requests: ${w.sent} sent (bursts of ${BURST} concurrent over HTTP/1.1, an HTTP/2 trickle), ${w.ok} answered 200, ${w.failed} not`);
  log(`  statuses: ${JSON.stringify(w.statuses)}; HTTP/2 sessions: ${stats.http2Sessions}`);
  log(`hostile clients: ${h.sent} (stalled sockets, slow headers, bodies over the limit, deep and huge bodies, unknown ids, TRACE, bad Host)`);
  log(`  answers: ${JSON.stringify(h.statuses)}; sockets closed by the server: ${h.closedByServer}, still open at the end: ${h.stillOpenAtEnd}`);
  for (const [kind, statuses] of Object.entries(h.byKind)) log(`    ${kind.padEnd(48)} ${JSON.stringify(statuses)}`);
  log(
    `RSS: before ${rss.beforeMb.toFixed(0)} MB, a third in ${rss.thirdMb.toFixed(0)} MB, peak ${rss.peakMb.toFixed(0)} MB, after ${rss.afterMb.toFixed(0)} MB (bound: peak ≤ ${PEAK_RSS_BOUND_MB} MB, growth after the first third ≤ ${GROWTH_BOUND_MB} MB)`,
  );
  log(`SIGTERM: exit ${String(exitCode)} after ${stopMs} ms, port ${portFreed ? 'freed' : 'STILL BOUND'}`);
  log('');
  log(`the command stayed up:                      ${verdicts.stayedUp ? 'yes' : 'NO'}`);
  log(`it answered every well-formed request:      ${verdicts.answeredEveryWellFormedRequest ? 'yes' : 'NO'}`);
  log(`it never answered 5xx:                      ${verdicts.neverAnswered5xx ? 'yes' : 'NO'}`);
  log(`it closed every stalled socket:             ${verdicts.closedEveryStalledSocket ? 'yes' : 'NO'}`);
  log(`it held its memory bound:                   ${verdicts.heldMemoryBound ? 'yes' : 'NO'}`);
  log(`it stopped on SIGTERM, port freed:          ${verdicts.stoppedOnSigterm ? 'yes' : 'NO'}`);
}
process.exitCode = Object.values(verdicts).every(Boolean) ? 0 : 1;
