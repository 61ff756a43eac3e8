/**
 * The Redis ledger stores (ai-sdk-bedrock-cache/redis) against a real redis-server (Debian's
 * package), started here on a free loopback port with persistence off and stopped after,
 * through node-redis: the ledger's nodes (one MGET per read, one MULTI per write, keys
 * without control characters), expiry (PX), the lease, the options (the required
 * secret), two middleware instances sharing one Redis on the emulator, and a Redis killed
 * mid-test (skipped, not asked, during its back-off). Without redis-server the file is
 * skipped with a message; with CI=true it fails instead (CI installs it: .ci/run).
 */
import type { ChildProcess } from 'node:child_process';
import { isBuiltin } from 'node:module';
import { fileURLToPath } from 'node:url';
import { generateText, streamText, wrapLanguageModel } from 'ai';
import { build } from 'esbuild';
import { InvalidArgumentError } from '@ai-sdk/provider';
import { createClient, createCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bedrockCacheMiddleware, type CacheUsageReport } from '../src';
import { redisLedgerStore, upstashLedgerStore, type NodeRedisClient, type UpstashPipeline, type UpstashRedisClient } from '../src/stores';
import { countingRedisClient, redisServerAvailable, startRedis } from './support/redis-server';
import { LONG_SYSTEM, SONNET, weatherTools } from './support/fixtures';
import { useEmulatedBedrock } from './support/emulator-bedrock';

const MINUTE = 60_000;
const hasRedisServer = redisServerAvailable('test/redis-store.test.ts');
const connect = (url: string) => createClient({ url }).connect();
type Client = Awaited<ReturnType<typeof connect>>;
/** The stores' required secret, shared by the fleet (at least 16 characters). */
const SECRET = 'redis-store-test-secret-0123456789';


/**
 * An \`@upstash/redis\`-shaped client over the real server (Upstash speaks HTTP; there is no
 * local Upstash): its reads parse JSON by default, its pipeline sends in one request.
 */
function upstashShaped(client: Client): UpstashRedisClient {
  const parse = (value: string | null) => {
    if (value === null) return null;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  };
  return {
    mget: async (...keys) => (await client.mGet(keys)).map((value) => parse(value as string | null)),
    set: (key, value, options) => client.set(key, value, { PX: options.px, NX: true }),
    eval: (script, keys, args) => client.eval(script, { keys, arguments: args }),
    pipeline: () => {
      const multi = client.multi();
      const pipeline: UpstashPipeline = { set: (key, value, options) => (multi.set(key, value, { PX: options.px }), pipeline), exec: () => multi.execAsPipeline() };
      return pipeline;
    },
  };
}

let prefixes = 0;
/** A prefix of its own per test: no test sees another's keys. */
const freshPrefix = () => `test-${process.pid}-${++prefixes}:`;

describe.skipIf(!hasRedisServer)('redisLedgerStore on a real redis-server', () => {
  let server: { url: string; process: ChildProcess };
  // two connections, as two instances of a fleet have
  let first: Client;
  let second: Client;

  beforeAll(async () => {
    server = await startRedis();
    first = await connect(server.url);
    second = await connect(server.url);
  });
  /** Two instances of a fleet: one store each, on their own connections, over the same keys. */
  const twoInstances = () => {
    const prefix = freshPrefix();
    return { prefix, a: redisLedgerStore({ secret: SECRET, client: first, prefix }), b: redisLedgerStore({ secret: SECRET, client: second, prefix }) };
  };
  afterAll(async () => {
    await first?.close();
    await second?.close();
    if (server && server.process.exitCode === null) {
      const exited = new Promise((resolve) => server.process.once('exit', resolve));
      server.process.kill('SIGTERM');
      await exited;
    }
  });

  describe('nodes (the prefix-tree ledger)', () => {
    const node = (at: number) => ({ at, ttl: '5m', tokens: 4096, visits: [1, 2, 3], children: { '9f': 2 }, hash: 2 ** 52 - 1 });

    it('a node one instance writes, another reads: in order, undefined where absent, JSON under the prefix, each with its own TTL', async () => {
      const { a, b, prefix } = twoInstances();
      await a.setNodes([
        { key: 'sonnet:00aa', node: node(1), ttlMs: 60_000 },
        { key: 'sonnet:00bb', node: node(2), ttlMs: 3_600_000 },
        { key: 'sonnet:00cc', node: node(3), ttlMs: 300_000 },
      ]);
      expect(await b.getNodes(['sonnet:00cc', 'sonnet:never', 'sonnet:00aa', 'sonnet:00bb'])).toEqual([node(3), undefined, node(1), node(2)]);
      expect(JSON.parse((await first.get(`${prefix}sonnet:00aa`))!)).toEqual(node(1));
      const ttls = await Promise.all(['00aa', '00bb', '00cc'].map((hex) => first.pTTL(`${prefix}sonnet:${hex}`)));
      expect(ttls[0]).toBeGreaterThan(50_000);
      expect(ttls[0]).toBeLessThanOrEqual(60_000);
      expect(ttls[1]).toBeGreaterThan(3_500_000);
      expect(ttls[2]).toBeLessThanOrEqual(300_000);
      // another prefix is another ledger
      expect(await redisLedgerStore({ secret: SECRET, client: second, prefix: freshPrefix() }).getNodes(['sonnet:00aa'])).toEqual([undefined]);
    });

    it('a read is one MGET and a write one MULTI/EXEC, whatever the number of nodes; nothing at all for none', async () => {
      const prefix = freshPrefix();
      const { client, sent } = countingRedisClient(first);
      const store = redisLedgerStore({ secret: SECRET, client, prefix });
      const keys = Array.from({ length: 12 }, (_, i) => `sonnet:${i.toString(16).padStart(4, '0')}`);
      await store.setNodes(keys.map((key, i) => ({ key, node: node(i), ttlMs: 60_000 })));
      expect(sent).toEqual(['MULTI/EXEC']);
      expect(await store.getNodes(keys)).toEqual(keys.map((_, i) => node(i)));
      expect(sent).toEqual(['MULTI/EXEC', 'MGET']);
      expect(await store.getNodes([])).toEqual([]);
      await store.setNodes([]);
      expect(sent).toHaveLength(2);
      // the server saw them as one MGET of 12 keys and 12 SETs in one transaction
      await first.configResetStat();
      await store.getNodes(keys);
      await store.setNodes(keys.map((key, i) => ({ key, node: node(i), ttlMs: 60_000 })));
      const stats = await first.info('commandstats');
      expect(stats).toMatch(/cmdstat_mget:calls=1,/);
      expect(stats).toMatch(/cmdstat_set:calls=12,/);
      expect(stats).toMatch(/cmdstat_exec:calls=1,/);
    });

    it('a node that expires at once (or never) is not written', async () => {
      const { a, prefix } = twoInstances();
      await a.setNodes([
        { key: 'k:1', node: node(1), ttlMs: 0 },
        { key: 'k:2', node: node(2), ttlMs: Number.POSITIVE_INFINITY },
        { key: 'k:3', node: node(3), ttlMs: 0.4 }, // PX rounds up to 1 ms
      ]);
      expect(await first.exists([`${prefix}k:1`, `${prefix}k:2`])).toBe(0);
    });

    it('a value that is not a node (someone else wrote the key) reads as absent', async () => {
      const { a, prefix } = twoInstances();
      await first.set(`${prefix}garbled`, 'not json {');
      await first.set(`${prefix}list`, '[1,2]');
      await first.set(`${prefix}number`, '42');
      await first.set(`${prefix}null`, 'null');
      expect(await a.getNodes(['garbled', 'list', 'number', 'null'])).toEqual([undefined, undefined, undefined, undefined]);
    });

    it('key names carry no control character or whitespace: anything else is percent-encoded, distinct keys stay distinct', async () => {
      const { a, b, prefix } = twoInstances();
      const keys = ['model\nconversation 42', 'tab\there', 'a b', 'a%20b', 'café', 'bell\u0007', 'plain:00ff'];
      await a.setNodes(keys.map((key, i) => ({ key, node: node(i), ttlMs: 60_000 })));
      expect(await b.getNodes(keys)).toEqual(keys.map((_, i) => node(i)));
      const stored = await first.keys(`${prefix}*`);
      expect(stored).toHaveLength(keys.length);
      for (const key of stored) expect(key).toMatch(/^[\x21-\x7e]+$/);
      expect(stored).toContain(`${prefix}plain:00ff`); // the ledger's own keys are kept as they are
      expect(stored).toContain(`${prefix}model%0Aconversation%2042`);
      expect(stored).toContain(`${prefix}a%2520b`);
      // leases too
      expect(await a.acquireLease('model\nlease 7', 60_000)).toBe(true);
      expect(await first.exists(`${prefix}lease:model%0Alease%207`)).toBe(1);
    });

    it('@upstash/redis-shaped: a pipeline per write, parsed reads; what one client writes the other reads', async () => {
      const prefix = freshPrefix();
      const upstash = upstashLedgerStore({ secret: SECRET, client: upstashShaped(first), prefix });
      const nodeRedis = redisLedgerStore({ secret: SECRET, client: second, prefix });
      await upstash.setNodes([{ key: 'm:01', node: node(1), ttlMs: 60_000 }, { key: 'm:02', node: node(2), ttlMs: 60_000 }]);
      await nodeRedis.setNodes([{ key: 'm:03', node: node(3), ttlMs: 60_000 }]);
      expect(await nodeRedis.getNodes(['m:01', 'm:02'])).toEqual([node(1), node(2)]);
      expect(await upstash.getNodes(['m:03', 'm:04'])).toEqual([node(3), undefined]);
      expect(await upstash.acquireLease('l', 60_000)).toBe(true);
      expect(await nodeRedis.acquireLease('l', 60_000)).toBe(false);
      await upstash.releaseLease('l');
      expect(await nodeRedis.acquireLease('l', 60_000)).toBe(true);
    });
  });

  describe('lease', () => {
    it('two instances race for one lease: exactly one wins, and it is the other\'s once released', async () => {
      const { a, b } = twoInstances();
      const [wonA, wonB] = await Promise.all([a.acquireLease('prefix 7', 60_000), b.acquireLease('prefix 7', 60_000)]);
      expect([wonA, wonB].filter(Boolean)).toHaveLength(1);
      const [winner, loser] = wonA ? [a, b] : [b, a];
      expect(await loser.acquireLease('prefix 7', 60_000)).toBe(false);
      // a lease is a key of its own: a node of the same name is untouched
      expect(await winner.getNodes(['prefix 7'])).toEqual([undefined]);
      await winner.releaseLease('prefix 7');
      expect(await loser.acquireLease('prefix 7', 60_000)).toBe(true);
    });

    it('a release by an instance that does not hold it does nothing', async () => {
      const { a, b } = twoInstances();
      expect(await a.acquireLease('k', 60_000)).toBe(true);
      await b.releaseLease('k');
      expect(await b.acquireLease('k', 60_000)).toBe(false);
    });

    it('expiry frees it, and the old holder\'s late release leaves the new holder\'s lease alone (compare-and-delete)', async () => {
      const { a, b, prefix } = twoInstances();
      expect(await a.acquireLease('k', 150)).toBe(true);
      expect(await b.acquireLease('k', 60_000)).toBe(false);
      // real time: a's lease is gone after twice its TTL
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await b.acquireLease('k', 60_000)).toBe(true);
      await a.releaseLease('k'); // a still thinks it holds it
      expect(await first.exists(`${prefix}lease:k`)).toBe(1);
      expect(await a.acquireLease('k', 60_000)).toBe(false);
    });
  });

  describe('two serverless instances sharing one Redis, on the emulator', () => {
    const bedrock = useEmulatedBedrock();

    /** One instance: its own middleware and its own connection, the fleet's Redis. */
    function instance(client: Client, prefix: string) {
      const reports: CacheUsageReport[] = [];
      const middleware = bedrockCacheMiddleware({ now: bedrock.now, ledger: { store: redisLedgerStore({ secret: SECRET, client, prefix }) }, onCacheUsage: (r) => reports.push(r) });
      return { model: wrapLanguageModel({ model: bedrock.bedrock(SONNET), middleware }), reports };
    }

    it('the second instance explains its miss (ttl-expired) with what the first recorded', async () => {
      const prefix = freshPrefix();
      const a = instance(first, prefix);
      const b = instance(second, prefix);
      await generateText({ model: a.model, system: LONG_SYSTEM, prompt: 'Hi' });
      expect(a.reports[0]!.cacheReadInputTokens).toBe(0);
      // the ledger's TTL math runs on the emulator's clock; Redis keeps the nodes 2 real hours
      bedrock.advance(6 * MINUTE);
      await (streamText({ model: b.model, system: LONG_SYSTEM, prompt: 'Hi' })).consumeStream();
      expect(b.reports[0]!.cacheReadInputTokens).toBe(0);
      expect(b.reports[0]!.cacheMiss).toMatchObject({ reason: 'ttl-expired', gapMs: 6 * MINUTE, ttl: '5m' });
      // within the TTL the first instance reads what the second wrote, nothing to explain
      await generateText({ model: a.model, system: LONG_SYSTEM, prompt: 'Hi' });
      expect(a.reports[1]!.cacheReadInputTokens).toBeGreaterThan(3000);
      expect(a.reports[1]!.cacheMiss).toBeUndefined();
    });

    it('a Redis killed mid-test: the next call gives up on it within its budget, then it is not asked at all (back-off); one log line; every call answered', async () => {
      // a server of its own, killed: its client queues commands while it tries to reconnect
      const down = await startRedis();
      const client = await connect(down.url);
      client.on('error', () => {}); // each failed reconnect reports one
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
      try {
        const { client: counted, sent } = countingRedisClient(client);
        const reports: CacheUsageReport[] = [];
        const model = wrapLanguageModel({
          model: bedrock.bedrock(SONNET),
          middleware: bedrockCacheMiddleware({ now: bedrock.now, ledger: { store: redisLedgerStore({ secret: SECRET, client: counted, timeoutMs: 50, prefix: freshPrefix() }) }, onCacheUsage: (r) => reports.push(r) }),
        });
        await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi' });
        expect(sent.length).toBeGreaterThan(0); // up: asked before and after the call
        const reconnecting = new Promise((resolve) => client.once('reconnecting', resolve));
        down.process.kill('SIGKILL');
        await reconnecting;
        const askedWhileUp = sent.length;
        // the first call after the kill asks (queued while the client reconnects, or failed at
        // once by a socket the kill reset): it gives up, and the store is skipped from then on
        const result = await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi again' });
        expect(result.text).toBeTruthy();
        const askedByFirstCallDown = sent.length - askedWhileUp;
        expect(askedByFirstCallDown).toBeGreaterThan(0);
        // its reads failed: the rest of its store work (lease, writes) was skipped too
        expect(sent.slice(askedWhileUp).every((command) => command === 'MGET')).toBe(true);
        for (const prompt of ['One', 'Two', 'Three']) {
          const text = await generateText({ model, system: LONG_SYSTEM, prompt });
          expect(text.text).toBeTruthy();
          await streamText({ model, system: LONG_SYSTEM, prompt: `${prompt}, streamed` }).consumeStream();
        }
        // a fan-out during the back-off: coalesced within this instance, the lease not asked
        const fanOutSystem = `Another app. ${LONG_SYSTEM}`;
        await Promise.all(['A', 'B', 'C'].map((prompt) => generateText({ model, system: fanOutSystem, prompt })));
        expect(sent.length - askedWhileUp).toBe(askedByFirstCallDown); // not asked during the back-off
        // one writes, the two others read what it wrote (the emulator answers at once: they may
        // enter after its response began, known to this instance, and not wait at all)
        const fanOut = reports.slice(-3);
        expect(fanOut.filter((report) => report.cacheWriteInputTokens > 3000)).toHaveLength(1);
        expect(fanOut.filter((report) => report.cacheReadInputTokens > 3000)).toHaveLength(2);
        reports.splice(-3);
        expect(reports).toHaveLength(8);
        for (const report of reports.slice(1)) expect(report.cacheReadInputTokens).toBeGreaterThan(3000);
        // one line for the outage, naming what failed and the back-off
        const lines = errors.mock.calls.map(([line]) => String(line)).filter((line) => line.includes("cache ledger's store"));
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/took longer than 50 ms|no answer within 50 ms|ECONNRESET|ECONNREFUSED|closed/);
        expect(lines[0]).toMatch(/asked again in 30 s/);
      } finally {
        errors.mockRestore();
        client.destroy();
      }
    });

    it('what two instances leave in Redis: no prompt text, key names of printable ASCII, every key expiring (PX)', async () => {
      const prefix = freshPrefix();
      const a = instance(first, prefix);
      const b = instance(second, prefix);
      const marker = 'SECRET-MARKER-77';
      await generateText({ model: a.model, system: `${marker} v1. ${LONG_SYSTEM}`, tools: weatherTools(), prompt: marker });
      await generateText({ model: b.model, system: `${marker} v2. ${LONG_SYSTEM}`, tools: weatherTools(), prompt: marker });
      await generateText({ model: a.model, system: `${marker} v1. ${LONG_SYSTEM}`, tools: weatherTools(), messages: [{ role: 'user', content: marker }, { role: 'assistant', content: 'ok' }, { role: 'user', content: `${marker} again` }] });
      const keys = await first.keys(`${prefix}*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        expect(key).toMatch(/^[\x21-\x7e]+$/);
        expect(key).not.toContain(marker);
        expect(await first.get(key)).not.toContain(marker);
        // the TTL is the ledger's to choose; none lives forever (-1)
        expect(await first.pTTL(key)).toBeGreaterThan(0);
      }
    });
  });
});

describe('the stores\' options (checked at construction)', () => {
  // a client that is never connected: construction sends nothing
  const client = createClient();
  const errorOf = (build: () => unknown) => {
    try {
      build();
    } catch (error) {
      return error;
    }
    throw new Error('no error');
  };

  it('secret is required, a string of at least 16 characters; the error names the option and how to set it, never the value', () => {
    for (const secret of [undefined, '', 'fifteen-chars-1', 42]) {
      for (const [name, build] of [
        ['redisLedgerStore', () => redisLedgerStore({ client, secret } as never)],
        ['upstashLedgerStore', () => upstashLedgerStore({ client: upstashShaped(client), secret } as never)],
      ] as const) {
        const error = errorOf(build);
        expect(InvalidArgumentError.isInstance(error)).toBe(true);
        expect(error).toMatchObject({ argument: 'secret' });
        expect((error as Error).message).toMatch(new RegExp(`^${name}: option secret must be a string of at least 16 characters`));
        expect((error as Error).message).toContain('process.env.BEDROCK_CACHE_SECRET');
        if (typeof secret === 'string' && secret) expect((error as Error).message).not.toContain(secret);
      }
    }
  });

  it('store.secret is the option, readable by the ledger, left out when the store is serialized or logged', () => {
    const store = redisLedgerStore({ client, secret: SECRET });
    expect(store.secret).toBe(SECRET);
    expect(JSON.stringify(store)).not.toContain(SECRET);
    expect(Object.keys(store)).not.toContain('secret');
    expect(store.timeoutMs).toBe(500);
  });

  it('prefix: printable ASCII without whitespace; on Redis Cluster, with a hash tag (MGET and MULTI need one slot)', () => {
    expect(errorOf(() => redisLedgerStore({ client, secret: SECRET, prefix: 'my app:' }))).toMatchObject({ argument: 'prefix' });
    expect(errorOf(() => redisLedgerStore({ client, secret: SECRET, prefix: 'app\n' }))).toMatchObject({ argument: 'prefix' });
    const cluster = createCluster({ rootNodes: [{ url: 'redis://127.0.0.1:1' }] });
    const error = errorOf(() => redisLedgerStore({ client: cluster as unknown as NodeRedisClient, secret: SECRET }));
    expect(error).toMatchObject({ argument: 'prefix', message: expect.stringContaining("hash tag on Redis Cluster (e.g. '{bedrock-cache}:')") });
    expect(redisLedgerStore({ client: cluster as unknown as NodeRedisClient, secret: SECRET, prefix: '{bedrock-cache}:' }).secret).toBe(SECRET);
  });

  it('timeoutMs: a positive number; client: an object', () => {
    expect(errorOf(() => redisLedgerStore({ client, secret: SECRET, timeoutMs: 0 }))).toMatchObject({ argument: 'timeoutMs' });
    expect(errorOf(() => redisLedgerStore({ secret: SECRET } as never))).toMatchObject({ argument: 'client' });
  });
});

describe('the ai-sdk-bedrock-cache/redis entry', () => {
  it('imports no Node built-in and bundles no Redis client (edge-safe; the client is the app\'s); only @ai-sdk/provider, for its error', async () => {
    // platform 'neutral' resolves no built-in: one anywhere in the graph fails the build
    const { metafile } = await build({
      entryPoints: [fileURLToPath(new URL('../src/stores/index.ts', import.meta.url))],
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'neutral',
      logLevel: 'silent',
    });
    const inputs = Object.keys(metafile.inputs);
    // @ai-sdk/provider (a peer the core needs anyway) for InvalidArgumentError; no Redis client
    expect(inputs.filter((input) => input.includes('node_modules') && !input.includes('node_modules/@ai-sdk/provider/'))).toEqual([]);
    const imports = Object.values(metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
    expect(imports.filter((name) => name.startsWith('node:') || isBuiltin(name))).toEqual([]);
  });
});
