/**
 * startBedrockEmulator as a server no client can stall: protocol detection, the header,
 * request and idle timeouts, the body limit, requests Fetch can't represent, and the bounded
 * request log. Raw sockets play the broken clients; short timeouts keep it quick (nothing
 * asserts on how long anything took).
 */
import http2 from 'node:http2';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BEDROCK_ERROR_TEXT, createBedrockEmulator, startBedrockEmulator, type RunningBedrockEmulator, type StartBedrockEmulatorOptions } from '../../src/emulator';
import { SONNET } from './helpers';

const BODY = { messages: [{ role: 'user', content: [{ text: 'Hello' }] }] };
const converse = (url: string, model = SONNET) => `${url}/model/${encodeURIComponent(model)}/converse`;

const running: RunningBedrockEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
});
async function start(options: StartBedrockEmulatorOptions = {}) {
  const emulator = await startBedrockEmulator({ headersTimeoutMs: 300, requestTimeoutMs: 600, idleTimeoutMs: 300, ...options });
  running.push(emulator);
  return emulator;
}

/** Opens a raw connection, writes `data` (and half-closes if `end`); resolves with what came back once the server closes it. */
function rawExchange(port: number, data: string | Buffer, { end = false } = {}): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    const socket = net.connect(port, '127.0.0.1', () => {
      if (data.length > 0) socket.write(data);
      if (end) socket.end();
    });
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => {});
    socket.on('close', () => resolve(received));
  });
}

const post = (url: string, body: unknown = BODY) => fetch(converse(url), { method: 'POST', body: JSON.stringify(body) });

describe('connections no client can stall', () => {
  it('a client that sends one byte and closes does not stall the emulator', async () => {
    const emulator = await start();
    // `printf P | nc -N 127.0.0.1 PORT`: one byte, then the end of its input
    expect(await rawExchange(emulator.port, 'P', { end: true })).toBe('');
    expect((await post(emulator.url)).status).toBe(200);
  });

  it('a client that sends one or two bytes and waits is closed at the header timeout; others are answered meanwhile', async () => {
    const emulator = await start();
    const stalled = [rawExchange(emulator.port, 'P'), rawExchange(emulator.port, 'PO'), rawExchange(emulator.port, '')];
    expect((await post(emulator.url)).status).toBe(200);
    expect(await Promise.all(stalled)).toEqual(['', '', '']);
  });

  it('headers that never end: 408 and closed', async () => {
    const emulator = await start();
    const answer = await rawExchange(emulator.port, 'POST /model/x/converse HTTP/1.1\r\nHost: localhost\r\nContent-Le');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('a body that never ends: 408 and closed, and nothing logged of it', async () => {
    const emulator = await start();
    const head = `POST /model/${encodeURIComponent(SONNET)}/converse HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n{"messages":`;
    expect(await rawExchange(emulator.port, head)).toMatch(/^HTTP\/1\.1 408 /);
    expect(emulator.requests).toEqual([]);
    expect((await post(emulator.url)).status).toBe(200);
  });

  it('an idle keep-alive connection is closed after the idle timeout', async () => {
    const emulator = await start();
    const request = `POST /model/${encodeURIComponent(SONNET)}/converse HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${JSON.stringify(BODY).length}\r\n\r\n${JSON.stringify(BODY)}`;
    const answer = await rawExchange(emulator.port, request);
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('an HTTP/2 preface that stops halfway, and an HTTP/2 session that opens no stream, are closed', async () => {
    const emulator = await start();
    await rawExchange(emulator.port, 'PRI * HTTP/2.0\r\n');
    const session = http2.connect(emulator.url);
    session.on('error', () => {});
    await new Promise((resolve) => session.once('close', resolve));
    expect(session.destroyed).toBe(true);
  });

  it('an HTTP/2 session stays open while its stream waits for a slow first byte', async () => {
    const emulator = await start({ timeToFirstByteMs: 900 });
    const session = http2.connect(emulator.url);
    const stream = session.request({ ':method': 'POST', ':path': `/model/${encodeURIComponent(SONNET)}/converse`, 'content-type': 'application/json' });
    stream.end(JSON.stringify(BODY));
    const status = await new Promise((resolve) => stream.once('response', (headers) => resolve(headers[':status'])));
    expect(status).toBe(200);
    session.close();
  });
  it('a client that stops reading its answer is disconnected once nothing moves for the idle timeout; others are answered', async () => {
    const text = 'word '.repeat(200_000);
    const emulator = await start({ reply: [{ text }] });
    // HTTP/2's flow-control window (64 KiB) stalls the answer as soon as the client stops reading
    const session = http2.connect(emulator.url);
    session.on('error', () => {});
    const stream = session.request({ ':method': 'POST', ':path': `/model/${encodeURIComponent(SONNET)}/converse`, 'content-type': 'application/json' });
    stream.on('error', () => {});
    stream.pause();
    stream.end(JSON.stringify(BODY));
    // the server resets the stream (a paused stream emits no 'close' until read, so its state is polled);
    // a bound on a hang, not a timing assertion: the server gives up after 300 ms without progress
    for (let waited = 0; !stream.closed && waited < 4000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stream.closed).toBe(true);
    expect((await post(emulator.url)).status).toBe(200);
    session.destroy();
  });
});

describe('a body over the limit', () => {
  it("is answered 400 ValidationException (Bedrock's InvokeModel text) before it is read, by declared size", async () => {
    const emulator = await start({ maxBodyBytes: 1_000 });
    const answer = await rawExchange(
      emulator.port,
      `POST /model/${encodeURIComponent(SONNET)}/invoke HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2000000\r\nConnection: close\r\n\r\n{`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('x-amzn-errortype: ValidationException');
    expect(answer).toContain(BEDROCK_ERROR_TEXT.bodyTooLong(1_000));
    expect(emulator.requests).toEqual([expect.objectContaining({ operation: 'InvokeModel', status: 400, bodyBytes: 2_000_000 })]);
    expect(emulator.requests[0]).not.toHaveProperty('body');
  });

  it('is stopped as it streams past the limit (no content-length); the connection serves the next request', async () => {
    const emulator = await start({ maxBodyBytes: 1_000 });
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(500)));
        controller.close();
      },
    });
    const response = await fetch(converse(emulator.url), { method: 'POST', body: chunks, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(400);
    expect((await response.json()).message).toBe(BEDROCK_ERROR_TEXT.bodyTooLong(1_000));
    expect(emulator.requests[0]?.bodyBytes).toBeGreaterThan(1_000);
    expect((await post(emulator.url)).status).toBe(200);
  });

  it('the same limit holds in process (fetch, msw)', async () => {
    const emulator = createBedrockEmulator({ maxBodyBytes: 10 });
    const response = await emulator.fetch(converse('http://emulator'), { method: 'POST', body: JSON.stringify(BODY) });
    expect(response.status).toBe(400);
    expect(() => createBedrockEmulator({ maxBodyBytes: -1 })).toThrow(/maxBodyBytes must be a non-negative integer/);
  });
});

describe('requests Fetch cannot represent get 4xx, never 500', () => {
  it.each([
    ['TRACE', 'TRACE / HTTP/1.1\r\nHost: localhost\r\n\r\n', 404],
    ['TRACK, which node\'s parser refuses', 'TRACK / HTTP/1.1\r\nHost: localhost\r\n\r\n', 400],
    ['a malformed Host header', `POST /model/${encodeURIComponent(SONNET)}/converse HTTP/1.1\r\nHost: exa mple:99999[\r\nContent-Length: 2\r\n\r\n{}`, 400],
    ['an absolute URL that is not one', 'POST http://[oops/model/x/converse HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{}', 400],
    ['no Host header', 'POST /model/x/converse HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}', 400],
    ['GET', 'GET /model/x/converse HTTP/1.1\r\nHost: localhost\r\n\r\n', 404],
  ])('%s', async (_name, request, status) => {
    const emulator = await start();
    const answer = await rawExchange(emulator.port, request.replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n'));
    expect(answer).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
  });
});

describe('options are checked at start', () => {
  it.each([
    [{ headersTimeoutMs: 0 }, 'headersTimeoutMs must be a positive integer'],
    [{ idleTimeoutMs: 1.5 }, 'idleTimeoutMs must be a positive integer'],
    [{ headersTimeoutMs: 5_000, requestTimeoutMs: 1_000 }, 'headersTimeoutMs (5000) must not exceed requestTimeoutMs (1000)'],
    [{ maxConnections: -1 }, 'maxConnections must be a positive integer'],
    [{ requestLog: { bodies: 'some' as 'full' } }, "requestLog.bodies must be 'full' or 'none'"],
  ])('%j', async (options, message) => {
    await expect(startBedrockEmulator(options)).rejects.toThrow(message);
  });
});

describe('the request log is bounded', () => {
  const send = (emulator: ReturnType<typeof createBedrockEmulator>, body: unknown = BODY) =>
    emulator.fetch(converse('http://emulator'), { method: 'POST', body: JSON.stringify(body) });

  it('keeps the last maxEntries entries', async () => {
    const emulator = createBedrockEmulator({ requestLog: { maxEntries: 2 } });
    for (const text of ['one', 'two', 'three']) await send(emulator, { messages: [{ role: 'user', content: [{ text }] }] });
    expect(emulator.requests.map((entry) => JSON.stringify(entry.body))).toEqual([expect.stringContaining('two'), expect.stringContaining('three')]);
  });

  it('drops the oldest entries beyond maxBodyBytes; a body larger than the bound is not kept', async () => {
    const size = JSON.stringify(BODY).length;
    const emulator = createBedrockEmulator({ requestLog: { maxBodyBytes: size * 2 } });
    for (let i = 0; i < 3; i++) await send(emulator);
    expect(emulator.requests).toHaveLength(2);
    const small = createBedrockEmulator({ requestLog: { maxBodyBytes: size - 1 } });
    await send(small);
    expect(small.requests).toEqual([expect.objectContaining({ status: 200, bodyBytes: size })]);
    expect(small.requests[0]).not.toHaveProperty('body');
  });

  it("bodies: 'none' keeps sizes only; onRequest sees every entry, maxEntries 0 keeps none", async () => {
    const seen: unknown[] = [];
    const emulator = createBedrockEmulator({ requestLog: { bodies: 'none', maxEntries: 0 }, onRequest: (entry) => seen.push(entry) });
    await send(emulator);
    expect(emulator.requests).toEqual([]);
    expect(seen).toEqual([expect.objectContaining({ status: 200, bodyBytes: JSON.stringify(BODY).length, usage: expect.any(Object) })]);
    expect(seen[0]).not.toHaveProperty('body');
  });

  it('the server keeps the last entries within its bounds (here one); in process, Infinity means no bound', async () => {
    const emulator = await start({ requestLog: { maxEntries: 1 } });
    await post(emulator.url);
    await post(emulator.url, { messages: [{ role: 'user', content: [{ text: 'second' }] }] });
    expect(emulator.requests.map((entry) => JSON.stringify(entry.body))).toEqual([expect.stringContaining('second')]);
    expect(() => createBedrockEmulator({ requestLog: { maxEntries: Number.POSITIVE_INFINITY, maxBodyBytes: Number.POSITIVE_INFINITY } })).not.toThrow();
    expect(() => createBedrockEmulator({ requestLog: { maxEntries: 1.5 } })).toThrow('requestLog.maxEntries must be a non-negative integer or Infinity (got 1.5)');
  });

  it('an unauthenticated request keeps nothing but its size', async () => {
    const emulator = createBedrockEmulator({ apiKey: 'key' });
    expect((await send(emulator)).status).toBe(403);
    expect(emulator.requests).toEqual([expect.objectContaining({ status: 403, bodyBytes: JSON.stringify(BODY).length })]);
    expect(emulator.requests[0]).not.toHaveProperty('body');
  });
});
