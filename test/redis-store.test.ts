/**
 * The Redis ledger store (ai-sdk-bedrock-cache/redis) against a real redis-server (Debian's
 * package), started here on a free loopback port with persistence off and stopped after,
 * through node-redis: records round trip, expiry (PX), the record bound, the lease, and two
 * middleware instances sharing one Redis on the emulator. Without redis-server the file is
 * skipped with a message; with CI=true it fails instead (CI installs it: .ci/run).
 */
import type { ChildProcess } from 'node:child_process';
import { isBuiltin } from 'node:module';
import { fileURLToPath } from 'node:url';
import { generateText, streamText, wrapLanguageModel } from 'ai';
import { build } from 'esbuild';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bedrockCacheMiddleware, type CacheUsageReport } from '../src';
import type { LedgerRecord } from '../src/ledger/ledger-store';
import { redisLedgerStore } from '../src/stores';
import { redisServerAvailable, startRedis } from './support/redis-server';
import { LONG_SYSTEM, SONNET, weatherTools } from './support/fixtures';
import { cachePointsOf } from './support/mock-bedrock';
import { useEmulatedBedrock } from './support/emulator-bedrock';

const MINUTE = 60_000;
const hasRedisServer = redisServerAvailable('test/redis-store.test.ts');
const connect = (url: string) => createClient({ url }).connect();
type Client = Awaited<ReturnType<typeof connect>>;



const record = (at: number, extra: Partial<LedgerRecord> = {}): LedgerRecord => ({
  at,
  hashes: [2 ** 52 - 1, 123456789, at], // the ledger's hashes are 52-bit: JSON keeps them exact
  toolsEnd: 0,
  systemEnd: 1,
  checkpoints: [{ block: 1, ttl: '5m' }],
  ...extra,
});

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
    return { prefix, a: redisLedgerStore({ client: first, prefix }), b: redisLedgerStore({ client: second, prefix }) };
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

  describe('records', () => {
    it('round trip: what one connection sets, another reads, every field intact, under the prefix', async () => {
      const prefix = freshPrefix();
      const records = [
        record(1000),
        record(2000, { firstMessage: 42, read: 3100, written: 0, readAt: 1, miss: 'ttl-expired', checkpoints: [{ block: 1, ttl: '1h' }, { block: 3, ttl: '5m' }] }),
      ];
      const key = `${SONNET}\nconversation 42`;
      await redisLedgerStore({ client: first, prefix }).set(key, records, 60_000);
      expect(await redisLedgerStore({ client: second, prefix }).get(key)).toEqual(records);
      expect(JSON.parse((await first.get(prefix + key))!)).toEqual(records);
      expect(await redisLedgerStore({ client: second, prefix: freshPrefix() }).get(key)).toBeUndefined();
      expect(await redisLedgerStore({ client: second, prefix }).get('never set')).toBeUndefined();
    });

    it('a value that is not a record list (someone else wrote the key) reads as no history', async () => {
      const prefix = freshPrefix();
      await first.set(`${prefix}garbled`, 'not json {');
      await first.set(`${prefix}object`, '{"at":1}');
      const store = redisLedgerStore({ client: first, prefix });
      expect(await store.get('garbled')).toBeUndefined();
      expect(await store.get('object')).toBeUndefined();
    });

    it('expires with the TTL the ledger gives (PX)', async () => {
      const prefix = freshPrefix();
      const store = redisLedgerStore({ client: first, prefix });
      await store.set('short', [record(1)], 150);
      const pttl = await first.pTTL(`${prefix}short`);
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(150);
      // real time only here: gone after twice the TTL
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await store.get('short')).toBeUndefined();
      expect(await first.exists(`${prefix}short`)).toBe(0);
    });

    it('keeps the 32 most recent records per key by default, or maxRecordsPerKey', async () => {
      const records = Array.from({ length: 40 }, (_, i) => record(i));
      const prefix = freshPrefix();
      await redisLedgerStore({ client: first, prefix }).set('group', records, 60_000);
      const kept = await redisLedgerStore({ client: first, prefix }).get('group');
      expect(kept!.map((r) => r.at)).toEqual(records.slice(-32).map((r) => r.at));
      await redisLedgerStore({ client: first, prefix, maxRecordsPerKey: 3 }).set('small', records, 60_000);
      expect((await redisLedgerStore({ client: first, prefix }).get('small'))!.map((r) => r.at)).toEqual([37, 38, 39]);
    });
  });

  describe('lease', () => {
    it('two instances race for one lease: exactly one wins, and it is the other\'s once released', async () => {
      const { a, b } = twoInstances();
      const [wonA, wonB] = await Promise.all([a.acquireLease('prefix 7', 60_000), b.acquireLease('prefix 7', 60_000)]);
      expect([wonA, wonB].filter(Boolean)).toHaveLength(1);
      const [winner, loser] = wonA ? [a, b] : [b, a];
      expect(await loser.acquireLease('prefix 7', 60_000)).toBe(false);
      // a lease is a key of its own: the records of the same name are untouched
      expect(await winner.get('prefix 7')).toBeUndefined();
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
      const middleware = bedrockCacheMiddleware({ now: bedrock.now, ledger: { store: redisLedgerStore({ client, prefix }) }, onCacheUsage: (r) => reports.push(r) });
      return { model: wrapLanguageModel({ model: bedrock.bedrock(SONNET), middleware }), reports };
    }

    it('the second instance explains its miss (ttl-expired) with what the first recorded', async () => {
      const prefix = freshPrefix();
      const a = instance(first, prefix);
      const b = instance(second, prefix);
      await generateText({ model: a.model, system: LONG_SYSTEM, prompt: 'Hi' });
      expect(a.reports[0]!.cacheMiss?.reason).toBe('first-call');
      // the ledger's TTL math runs on the emulator's clock; Redis keeps the records 65 real minutes
      bedrock.advance(6 * MINUTE);
      await (streamText({ model: b.model, system: LONG_SYSTEM, prompt: 'Hi' })).consumeStream();
      expect(b.reports[0]!.cacheReadInputTokens).toBe(0);
      expect(b.reports[0]!.cacheMiss).toMatchObject({ reason: 'ttl-expired', gapMs: 6 * MINUTE, ttl: '5m' });
      // within the TTL the first instance reads what the second wrote, nothing to explain
      await generateText({ model: a.model, system: LONG_SYSTEM, prompt: 'Hi' });
      expect(a.reports[1]!.cacheReadInputTokens).toBeGreaterThan(3000);
      expect(a.reports[1]!.cacheMiss).toBeUndefined();
    });

    it('a Redis that went down costs each call at most timeoutMs, never the call', async () => {
      // a server of its own, killed: its client queues commands while it tries to reconnect
      const down = await startRedis();
      const client = await connect(down.url);
      client.on('error', () => {}); // each failed reconnect reports one
      const reconnecting = new Promise((resolve) => client.once('reconnecting', resolve));
      down.process.kill('SIGKILL');
      await reconnecting;
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
      try {
        const store = redisLedgerStore({ client, timeoutMs: 50 });
        // queued while the client reconnects (the timeout), or failed at once by a socket the kill
        // reset (seen under load): either way a rejection, not a hang
        const downError = /took longer than 50 ms|ECONNRESET|ECONNREFUSED|closed/;
        await expect(store.get('k')).rejects.toThrow(downError);
        await expect(store.acquireLease('k', 1000)).rejects.toThrow(downError);
        const reports: CacheUsageReport[] = [];
        const model = wrapLanguageModel({
          model: bedrock.bedrock(SONNET),
          middleware: bedrockCacheMiddleware({ now: bedrock.now, ledger: { store }, onCacheUsage: (r) => reports.push(r) }),
        });
        const result = await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi' });
        expect(result.text).toBeTruthy();
        expect(reports[0]!.cacheWriteInputTokens).toBeGreaterThan(3000);
        expect(reports[0]!.cacheMiss).toBeUndefined();
        expect(errors).toHaveBeenCalledWith(expect.stringMatching(downError));
      } finally {
        errors.mockRestore();
        client.destroy();
      }
    });

    it('a system prompt changed by another instance: prefix-changed, and no write after it', async () => {
      const prefix = freshPrefix();
      const a = instance(first, prefix);
      const b = instance(second, prefix);
      const secret = 'SECRET-MARKER-77';
      await generateText({ model: a.model, system: `${secret} v1. ${LONG_SYSTEM}`, tools: weatherTools(), prompt: secret });
      await generateText({ model: b.model, system: `${secret} v2. ${LONG_SYSTEM}`, tools: weatherTools(), prompt: secret });
      expect(b.reports[0]!.cacheMiss).toMatchObject({ reason: 'prefix-changed', section: 'system' });
      const [pointsA, pointsB] = bedrock.emulator.requests.map((r) => cachePointsOf(r.body as Record<string, any>));
      expect(pointsA!.some((point) => point.at.startsWith('system'))).toBe(true);
      expect(pointsB!.filter((point) => !point.at.startsWith('tools'))).toEqual([]);
      // what reached Redis: hashes, counts and times, never prompt text; kept for the ledger's 65 minutes
      const keys = await first.keys(`${prefix}*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        expect(await first.get(key)).not.toContain(secret);
        const pttl = await first.pTTL(key);
        expect(pttl).toBeGreaterThan(60 * MINUTE);
        expect(pttl).toBeLessThanOrEqual(65 * MINUTE);
      }
    });
  });
});

describe('the ai-sdk-bedrock-cache/redis entry', () => {
  it('imports no Node built-in and bundles no Redis client (edge-safe; the client is the app\'s)', async () => {
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
    expect(inputs.filter((input) => input.includes('node_modules'))).toEqual([]);
    const imports = Object.values(metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
    expect(imports.filter((name) => name.startsWith('node:') || isBuiltin(name))).toEqual([]);
  });
});
