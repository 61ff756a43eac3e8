/**
 * `npm run bench:store-outage`
 *
 * What a shared ledger store costs each call, healthy and down: the real provider against the
 * in-process emulator, the ledger in a real redis-server (Debian's; started here on a loopback
 * port), `timeoutMs` at its default (500). Per call: the store wait (the wall-clock union of
 * the store calls the model call awaited: what the store added), and as a cross-check the
 * call's time next to the same call through a middleware with `ledger: false` right after
 * (their difference is noisy on a loaded machine), with the Redis round trips it sent:
 *
 * 1. Redis up: the round trips per call.
 * 2. Redis hung (SIGSTOP: connected, never answers): the first call waits out its budget,
 *    then the back-off skips the store (no round trip, nothing added).
 * 3. Redis killed (SIGKILL: the client reconnects and queues): the same.
 * 4. Past the back-off (30 s later, Redis still down): one call asks again, pays at most
 *    `timeoutMs` once, and the back-off doubles. `--quick` skips this phase.
 */
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { generateText, wrapLanguageModel, type LanguageModel } from 'ai';
import { createClient } from 'redis';
import { bedrockCacheMiddleware } from '../../src/index';
import { createBedrockEmulator } from '../../src/emulator';
import { redisLedgerStore } from '../../src/stores';
import { startRedis, countingRedisClient } from '../../test/support/redis-server';
import { prose } from '../cache/text';

const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const credentials = { region: 'us-east-1', accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' };
const SYSTEM = `You are a support agent. ${prose(4000, 1)}`;
const TIMEOUT_MS = 500;
const quick = process.argv.includes('--quick');

const emulator = createBedrockEmulator({ credentials });
const bedrock = createAmazonBedrock({ ...credentials, fetch: emulator.fetch });
const baseline = wrapLanguageModel({ model: bedrock(SONNET), middleware: bedrockCacheMiddleware({ ledger: false }) });

const connect = (url: string) => createClient({ url }).connect();


async function timed(model: LanguageModel, prompt: string): Promise<number> {
  const start = performance.now();
  await generateText({ model, system: SYSTEM, prompt });
  return performance.now() - start;
}

let calls = 0;
/** One call with the store, one without; prints the added time and the round trips it sent. */
async function call(label: string, model: LanguageModel, sent: string[]) {
  const prompt = `Question ${++calls}: ${prose(20, calls)}`;
  const before = sent.length;
  const since = performance.now();
  const withStore = await timed(model, prompt);
  const waited = storeWait(since);
  const without = await timed(baseline, prompt);
  const commands = sent.slice(before);
  const added = withStore - without;
  console.log(
    `${label.padEnd(24)} call ${String(calls).padStart(2)}  store wait ${waited.toFixed(1).padStart(6)} ms  (with store ${withStore.toFixed(1).padStart(6)} ms, ledger:false ${without.toFixed(1).padStart(6)} ms, difference ${added.toFixed(1).padStart(7)} ms)  round trips ${commands.length}${commands.length ? ` (${commands.join(', ')})` : ''}`,
  );
  return { added: waited, roundTrips: commands.length };
}

/** Wall-clock intervals during which a call awaited the store (releaseLease is not awaited by the call). */
const waits: Array<[number, number]> = [];
function timedStore<S extends object>(store: S): S {
  return new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function' || name === 'releaseLease') return value;
      return (...args: unknown[]) => {
        const start = performance.now();
        const result = (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        const end = () => waits.push([start, performance.now()]);
        void Promise.resolve(result).then(end, end);
        return result;
      };
    },
  });
}
/** The union of the store waits that began since `since`: the time the store held the call. */
function storeWait(since: number): number {
  const spans = waits.filter(([start]) => start >= since).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let reach = -Infinity;
  for (const [start, end] of spans) {
    if (end <= reach) continue;
    total += end - Math.max(start, reach);
    reach = end;
  }
  return total;
}

async function instance(url: string, prefix: string) {
  const client = await connect(url);
  client.on('error', () => {}); // reconnect attempts while down
  const { client: counted, sent } = countingRedisClient(client);
  const store = timedStore(redisLedgerStore({ client: counted, secret: 'bench-store-outage-secret-0123456789', prefix, timeoutMs: TIMEOUT_MS }));
  const model = wrapLanguageModel({ model: bedrock(SONNET), middleware: bedrockCacheMiddleware({ ledger: { store } }) });
  return { client, model, sent };
}

const logged: string[] = [];
const consoleError = console.error;
console.error = (...args: unknown[]) => logged.push(args.map(String).join(' '));

console.log(`Store outage: Claude Sonnet 4.5 on the emulator, ~6K-token system prompt, redisLedgerStore({ timeoutMs: ${TIMEOUT_MS} }), node ${process.version}\n`);
// warm up the provider and the baseline
for (let i = 0; i < 3; i++) await timed(baseline, `warm-up ${i}`);

const summary: Array<[string, number[]]> = [];

// 1. up
{
  const redis = await startRedis();
  const up = await instance(redis.url, 'bench-up:');
  const added: number[] = [];
  const trips: number[] = [];
  for (let i = 0; i < 8; i++) {
    const result = await call('redis up', up.model, up.sent);
    added.push(result.added);
    trips.push(result.roundTrips);
  }
  summary.push(['redis up', added]);
  console.log(`  round trips per call: ${trips.join(', ')}\n`);
  await up.client.quit();
  redis.process.kill('SIGKILL');
}

// 2. hung, 3. killed
for (const [label, signal] of [
  ['redis hung (SIGSTOP)', 'SIGSTOP'],
  ['redis killed (SIGKILL)', 'SIGKILL'],
] as const) {
  const redis = await startRedis();
  const down = await instance(redis.url, 'bench-down:');
  await call(`${label.split(' ')[0]} up, before`, down.model, down.sent);
  const reconnecting = signal === 'SIGKILL' ? new Promise((resolve) => down.client.once('reconnecting', resolve)) : undefined;
  redis.process.kill(signal);
  await reconnecting;
  const added: number[] = [];
  for (let i = 0; i < 8; i++) added.push((await call(label, down.model, down.sent)).added);
  summary.push([label, added]);
  console.log(`  log lines so far: ${logged.length}\n`);
  if (signal === 'SIGKILL' && !quick) {
    // 4. past the back-off, still down
    const waitMs = 30_000;
    console.log(`  waiting ${waitMs / 1000} s (the first back-off), Redis still down...`);
    await new Promise((resolve) => setTimeout(resolve, waitMs + 100));
    const after: number[] = [];
    for (let i = 0; i < 4; i++) after.push((await call('past the back-off', down.model, down.sent)).added);
    summary.push(['past the back-off (30 s)', after]);
    console.log(`  log lines so far: ${logged.length}\n`);
  }
  if (signal === 'SIGSTOP') redis.process.kill('SIGKILL');
  down.client.destroy();
}

console.error = consoleError;
const fmt = (values: number[]) => `max ${Math.max(...values).toFixed(1).padStart(6)} ms, median ${[...values].sort((a, b) => a - b)[values.length >> 1]!.toFixed(1).padStart(6)} ms`;
console.log(`Store wait per call, the time a call awaited the store (timeoutMs ${TIMEOUT_MS}; the difference with ledger:false is printed per call above, noisy on a shared machine):`);
for (const [label, values] of summary) console.log(`  ${label.padEnd(26)} ${fmt(values)}  (${values.map((v) => v.toFixed(0)).join(', ')})`);
console.log(`\nLog lines: ${logged.length}`);
for (const line of logged) console.log(`  ${line}`);
process.exit(0);
