/**
 * Fan-out coalescing across instances: two middleware instances sharing a real redis-server
 * (Debian's package; skipped without it, failing with CI=true like test/redis-store.test.ts)
 * through redisLedgerStore, whose lease (SET NX PX) lets one call of the whole fleet go
 * first. The emulator runs on its own clock with a time to first byte (shared doc §1 Timing).
 * What reaches Redis is read with MONITOR on a connection of its own.
 */
import type { ChildProcess } from 'node:child_process';
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { generateText, wrapLanguageModel } from 'ai';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { bedrockCacheMiddleware, type BedrockCacheReport } from '../src';
import { createBedrockEmulator } from '../src/emulator';
import { redisLedgerStore } from '../src/stores';
import { redisServerAvailable, startRedis } from './support/redis-server';
import { LONG_SYSTEM, SONNET } from './support/fixtures';

const hasRedisServer = redisServerAvailable('test/fan-out-coalescing-redis.test.ts');
/** The stores' required secret, shared by the fleet (at least 16 characters). */
const SECRET = 'fan-out-test-secret-0123456789';

const credentials = { region: 'us-east-1', accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' };

describe.skipIf(!hasRedisServer)('fan-out coalescing across instances (redis lease)', () => {
  let redis: { url: string; process: ChildProcess };
  const clients: Array<Awaited<ReturnType<typeof connect>>> = [];
  const connect = (url: string) => createClient({ url }).connect();
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit()));
    redis?.process.kill();
  });

  it('two instances sharing one Redis send one call first; the other instance\'s calls wait for its response and read', async () => {
    const emulator = createBedrockEmulator({ credentials, timeToFirstByteMs: 200 });
    const reports: BedrockCacheReport[] = [];
    const instance = async () => {
      const client = await connect(redis.url);
      clients.push(client);
      return wrapLanguageModel({
        model: createAmazonBedrock({ ...credentials, fetch: emulator.fetch })(SONNET),
        middleware: bedrockCacheMiddleware({ ledger: { store: redisLedgerStore({ secret: SECRET, client, prefix: `coalesce-${process.pid}:` }) }, onCacheUsage: (r) => reports.push(r) }),
      });
    };
    const [a, b] = [await instance(), await instance()];
    const prompts = ['Document one.', 'Document two.', 'Document three.', 'Document four.'];
    await Promise.all(prompts.map((prompt, i) => generateText({ model: i % 2 === 0 ? a : b, system: LONG_SYSTEM, prompt })));
    const reads = emulator.requests.filter((r) => r.status === 200).map((r) => r.usage!.cacheReadInputTokens);
    expect(reads.filter((read) => read === 0)).toHaveLength(1);
    expect(reads.filter((read) => read > 3000)).toHaveLength(3);
    // the leader can't know of followers on other instances: its report says nothing (it didn't wait)
    expect(reports.filter((r) => r.coalesced === undefined || r.coalesced.leader)).toHaveLength(1);
    expect(reports.filter((r) => r.coalesced?.leader === false && r.coalesced.ended === 'leader-began')).toHaveLength(3);
  });

  it('a lease reaches Redis under a keyed name: printable ASCII, the same across the fleet, another under another secret', async () => {
    const monitor = await connect(redis.url);
    // a monitoring connection answers no QUIT: destroyed, not quit, at the end
    onTestFinished(() => monitor.destroy());
    const commands: string[][] = [];
    // MONITOR prints each command's arguments quoted, with escapes for anything unprintable
    await monitor.monitor((line) => commands.push([...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!)));
    let runs = 0;
    /** One call on a cold prefix (a prefix of its own per run: the ledger knows nothing), by an instance with `secret`: the lease name it took. */
    const leaseOf = async (secret: string) => {
      const prefix = `lease-${process.pid}-${++runs}:`;
      const client = await connect(redis.url);
      clients.push(client);
      const emulator = createBedrockEmulator({ credentials });
      const model = wrapLanguageModel({ model: createAmazonBedrock({ ...credentials, fetch: emulator.fetch })(SONNET), middleware: bedrockCacheMiddleware({ ledger: { store: redisLedgerStore({ secret, client, prefix }) } }) });
      await generateText({ model, system: LONG_SYSTEM, prompt: 'Hello' });
      const isLease = (command: string[]) => command[0] === 'SET' && command[1]?.startsWith(`${prefix}lease:`) && command.includes('NX');
      await vi.waitFor(() => expect(commands.filter(isLease)).toHaveLength(1));
      const ours = commands.filter((command) => command.slice(1).some((arg) => arg.startsWith(prefix)));
      return { lease: commands.find(isLease)![1]!.slice(prefix.length), keys: ours.flatMap((command) => (command[0] === 'MGET' ? command.slice(1) : command[0] === 'SET' ? [command[1]!] : [])) };
    };
    const first = await leaseOf(SECRET);
    const again = await leaseOf(SECRET);
    const other = await leaseOf('another-secret-0123456789abcdef');
    // `n:` and a 64-bit keyed hash of the model and its tools + system prefix: no model id, no newline
    expect(first.lease).toMatch(/^lease:n:[0-9a-f]{16}$/);
    expect(again.lease).toBe(first.lease);
    expect(other.lease).toMatch(/^lease:n:[0-9a-f]{16}$/);
    expect(other.lease).not.toBe(first.lease);
    for (const key of [...first.keys, ...other.keys]) expect(key).toMatch(/^[\x21-\x7e]+$/);
  });
});
