/**
 * A real redis-server (Debian's package) for the store tests: started on a free loopback port
 * with nothing written to disk, stopped by the caller. Without redis-server on PATH the tests
 * skip with a message; with CI=true that is an error instead (CI installs it: .ci/run).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { NodeRedisClient } from '../../src/stores';


/** Whether redis-server is installed; throws under CI=true when it is not. */
export function redisServerAvailable(file: string): boolean {
  const available = !spawnSync('redis-server', ['--version']).error;
  if (!available && process.env.CI === 'true') {
    throw new Error('redis-server is not installed; CI installs it with scripts/apt-install.sh redis-server (.ci/run)');
  }
  if (!available) console.warn(`${file} skipped: no redis-server on PATH (apt-get install -y redis-server)`);
  return available;
}

/** A port no one listens on now, on loopback. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts redis-server with persistence off; resolves once it accepts connections. */
export async function startRedis(): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
  });
  return { url: `redis://127.0.0.1:${port}`, process: child };
}

/**
 * A node-redis client that counts the commands each store method sends (a MULTI's `exec` is
 * one round trip, its queued SETs none of their own): what a store asks of Redis, per call.
 */
export function countingRedisClient(client: NodeRedisClient): { client: NodeRedisClient; sent: string[] } {
  const sent: string[] = [];
  const counted: NodeRedisClient = {
    mGet: (keys) => (sent.push('MGET'), client.mGet(keys)),
    set: (key, value, options) => (sent.push('SET'), client.set(key, value, options)),
    eval: (script, options) => (sent.push('EVAL'), client.eval(script, options)),
    multi: () => {
      const multi = client.multi();
      const queued: ReturnType<NodeRedisClient['multi']> = { set: (key, value, options) => (multi.set(key, value, options), queued), exec: () => (sent.push('MULTI/EXEC'), multi.exec()) };
      return queued;
    },
  };
  return { client: counted, sent };
}
