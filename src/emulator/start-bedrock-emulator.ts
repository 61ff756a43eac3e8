import { randomUUID } from 'node:crypto';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { createBedrockEmulator, type BedrockEmulator } from './create-bedrock-emulator.js';
import { BEDROCK_ERROR_TEXT as T, errorResponse, failure } from './errors.js';
import { SERVER_REQUEST_LOG } from './request-log.js';
import type { BedrockEmulatorOptions } from './types.js';

/** Options of `startBedrockEmulator`: the emulator's options plus where to listen and how long to wait. */
export interface StartBedrockEmulatorOptions extends BedrockEmulatorOptions {
  /** TCP port; `0` (default) picks a free one. */
  port?: number;
  /** Interface to bind; default `127.0.0.1` (loopback only). */
  host?: string;
  /**
   * Milliseconds a client has, from opening a connection, to send a request's headers (HTTP/1.1:
   * each request's, counted from the end of the previous one's idle wait; HTTP/2: the first
   * stream's). Also bounds a connection that has not yet sent the three bytes that tell HTTP/1.1
   * from HTTP/2. Then HTTP/1.1 answers 408 and closes; otherwise the connection is closed.
   * Default 10,000.
   */
  headersTimeoutMs?: number;
  /**
   * Milliseconds a client has, from a request's start, to send all of it (headers and body):
   * then it is answered 408 and its connection (HTTP/1.1) or stream (HTTP/2) closed. Not the
   * time to answer: a slow `timeToFirstByteMs` is never cut short. At least `headersTimeoutMs`.
   * Default 60,000.
   */
  requestTimeoutMs?: number;
  /**
   * Milliseconds a connection may stay open with no request in progress (HTTP/1.1 keep-alive,
   * an HTTP/2 session without open streams) before it is closed; also how long an answer may
   * stall because its client stopped reading before the client is disconnected. Default 30,000.
   */
  idleTimeoutMs?: number;
  /** Most connections open at once; further ones are closed as they arrive. Default 4,096. */
  maxConnections?: number;
}

/** A running emulator: the in-process API plus its URL. */
export interface RunningBedrockEmulator extends BedrockEmulator {
  /** Base URL (`http://127.0.0.1:PORT`): the provider's `baseURL`, the AWS SDK's `endpoint`. */
  readonly url: string;
  /** The bound port. */
  readonly port: number;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** Defaults of the server's timeouts and connection bound (documented on the options). */
const SERVER_DEFAULTS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  idleTimeoutMs: 30_000,
  maxConnections: 4096,
} as const;

/** node's http / http2-compat request and response. */
type IncomingRequest = http.IncomingMessage | http2.Http2ServerRequest;
type OutgoingResponse = http.ServerResponse | http2.Http2ServerResponse;

/** HTTP/2 connection preface starts with "PRI * HTTP/2.0". */
const H2_PREFACE_START = Buffer.from('PRI', 'latin1');

/** Methods a Fetch `Request` refuses to carry (Fetch standard: forbidden methods). */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/**
 * A node request body as a Web stream that reads only as fast as it is consumed. Cancelling it
 * (a body over the size limit) discards the rest as it arrives instead of holding it.
 */
function bodyStream(req: IncomingRequest): ReadableStream<Uint8Array> {
  let settled = false;
  const onData = (chunk: Buffer | string, controller: ReadableStreamDefaultController<Uint8Array>) => {
    if (settled) return;
    controller.enqueue(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    if ((controller.desiredSize ?? 0) <= 0) req.pause();
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.pause();
        req.on('data', (chunk: Buffer | string) => onData(chunk, controller));
        req.once('end', () => {
          if (settled) return;
          settled = true;
          controller.close();
        });
        const abort = () => {
          if (settled || req.complete) return;
          settled = true;
          controller.error(new Error('the client closed the request before its body was complete'));
        };
        req.once('error', abort);
        req.once('close', abort);
      },
      pull() {
        req.resume();
      },
      cancel() {
        settled = true;
        req.removeAllListeners('data');
        req.resume();
      },
    },
    { highWaterMark: 1 },
  );
}

/**
 * Converts a node request into a Fetch `Request`: the URL is the listener's own address plus
 * the request's path (the `Host` header is kept as a header, for SigV4, but never parsed), and the
 * body streams. A request Fetch can't represent gets a 4xx `Response` instead.
 */
function toFetchRequest(req: IncomingRequest, base: string): Request | Response {
  const method = (req.method ?? 'GET').toUpperCase();
  // Guess (no recorded answer of Bedrock's to TRACE / CONNECT): the same 404 UnknownOperation
  // the emulator gives every method but POST.
  if (FORBIDDEN_METHODS.has(method)) return errorResponse(failure(T.unknownOperation, 'UnknownOperationException', 404), randomUUID());
  try {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (name.startsWith(':') || value === undefined) continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const authority = req.headers[':authority'];
    if (!headers.has('host') && typeof authority === 'string') headers.set('host', authority);
    const url = new URL(req.url ?? '/', base);
    const hasBody = method !== 'GET' && method !== 'HEAD';
    return new Request(url, {
      method,
      headers,
      ...(hasBody && { body: bodyStream(req), duplex: 'half' }),
    } as RequestInit);
  } catch (error) {
    const message = `Malformed request: ${error instanceof Error ? error.message : String(error)}`;
    return errorResponse(failure(message, 'BadRequestException', 400), randomUUID());
  }
}

/**
 * Writes a Fetch `Response` to a node response, streaming the body. A client that stops reading
 * the answer (nothing written for `stallTimeoutMs`) is disconnected: otherwise its connection and
 * the buffered answer would be held for as long as it waits.
 */
async function writeFetchResponse(response: Response, res: OutgoingResponse, stallTimeoutMs: number): Promise<void> {
  // a socket (HTTP/1.1) or stream (HTTP/2) timeout: it restarts whenever bytes leave, so only a stall fires it
  res.setTimeout(stallTimeoutMs, () => res.destroy());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  // one call shape both node response classes accept (their overload sets differ between @types/node versions)
  (res as { writeHead(status: number, headers: Record<string, string>): unknown }).writeHead(response.status, headers);
  const out = res as NodeJS.WritableStream;
  const reader = response.body?.getReader();
  for (let next = await reader?.read(); next && !next.done; next = await reader?.read()) out.write(next.value);
  out.end();
}

/** Checks a timeout or bound option at start: a positive integer, named in the error. */
function positiveInteger(options: StartBedrockEmulatorOptions, name: keyof typeof SERVER_DEFAULTS): number {
  const value = options[name] ?? SERVER_DEFAULTS[name];
  if (!(Number.isInteger(value) && value > 0)) throw new TypeError(`${name} must be a positive integer (got ${String(options[name])})`);
  return value;
}

/**
 * Starts the emulator as a real HTTP server on loopback. One port serves HTTP/1.1 (node:http,
 * what fetch / the AI SDK use) and cleartext HTTP/2 with prior knowledge (node:http2, what the
 * AWS SDK v3's default `NodeHttp2Handler` of bedrock-runtime speaks to an `http://` endpoint):
 * the first three bytes of each connection pick the protocol.
 *
 * No client can stall it: every connection is bounded by the header, request and idle timeouts,
 * bodies by `maxBodyBytes`, connections by `maxConnections`, and the request log by
 * `requestLog` (default here: the last 10,000 entries, at most 64 MiB of bodies).
 */
export async function startBedrockEmulator(options: StartBedrockEmulatorOptions = {}): Promise<RunningBedrockEmulator> {
  const headersTimeoutMs = positiveInteger(options, 'headersTimeoutMs');
  const requestTimeoutMs = positiveInteger(options, 'requestTimeoutMs');
  const idleTimeoutMs = positiveInteger(options, 'idleTimeoutMs');
  const maxConnections = positiveInteger(options, 'maxConnections');
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new TypeError(`headersTimeoutMs (${headersTimeoutMs}) must not exceed requestTimeoutMs (${requestTimeoutMs})`);
  }
  const emulator = createBedrockEmulator({ ...options, requestLog: { ...SERVER_REQUEST_LOG, ...options.requestLog } });
  const host = options.host ?? '127.0.0.1';
  let base = `http://${host.includes(':') ? `[${host}]` : host}`;

  const listener = (req: IncomingRequest, res: OutgoingResponse): void => {
    const request = toFetchRequest(req, base);
    if (req instanceof http2.Http2ServerRequest && res instanceof http2.Http2ServerResponse) limitHttp2Request(req, res, requestTimeoutMs);
    (request instanceof Response ? Promise.resolve(request) : emulator.handle(request))
      .catch((error: unknown) =>
        Response.json(
          { message: `Emulator failure: ${error instanceof Error ? error.message : String(error)}` },
          { status: 500, headers: { 'x-amzn-errortype': 'InternalServerException' } },
        ),
      )
      .then((response) => writeFetchResponse(response, res, idleTimeoutMs))
      .catch(() => {
        try {
          res.end();
        } catch {
          // the connection is gone
        }
      });
  };
  // node's own timers for HTTP/1.1 (408 on a late request); checked every second instead of 30 s
  const http1Server = http.createServer(
    { headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.min(1000, headersTimeoutMs) },
    listener,
  );
  http1Server.keepAliveTimeout = idleTimeoutMs;
  // node starts tracking connections for those timers on 'listening' (lib/_http_server.js
  // setupConnectionsTracking); this server never listens itself, it is handed sockets
  http1Server.emit('listening');
  const http2Server = http2.createServer(listener);
  http2Server.on('session', (session) => limitHttp2Session(session, headersTimeoutMs, idleTimeoutMs));

  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    detectProtocol(socket, headersTimeoutMs, (isHttp2) => (isHttp2 ? http2Server : http1Server).emit('connection', socket));
  });
  server.maxConnections = maxConnections;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  base = `http://${urlHost}:${port}`;

  return {
    handle: emulator.handle,
    fetch: emulator.fetch,
    get requests() {
      return emulator.requests;
    },
    reset: emulator.reset,
    url: base,
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      http1Server.close();
      http2Server.close();
      await closed;
    },
  };
}

/**
 * Waits for the first three bytes of a connection (HTTP/2's preface starts "PRI"), then hands it
 * to `handOver`. What arrives stays buffered here and goes back into the socket once, so a
 * client that sends one byte and waits (or closes) neither spins this loop nor holds the
 * connection: it is closed at `timeoutMs`, or when it ends first.
 */
function detectProtocol(socket: net.Socket, timeoutMs: number, handOver: (isHttp2: boolean) => void): void {
  let head = Buffer.alloc(0);
  let decided = false;
  const stop = () => {
    decided = true;
    clearTimeout(timer);
    socket.off('readable', onReadable);
    socket.off('end', onEnd);
    socket.off('close', stop);
  };
  const onReadable = () => {
    for (let chunk = socket.read() as Buffer | null; chunk !== null; chunk = socket.read() as Buffer | null) {
      head = Buffer.concat([head, chunk]);
    }
    if (head.length < H2_PREFACE_START.length) return;
    stop();
    socket.unshift(head);
    handOver(head.subarray(0, H2_PREFACE_START.length).equals(H2_PREFACE_START));
  };
  // fewer than three bytes, then the end: nothing to answer
  const onEnd = () => {
    stop();
    socket.destroy();
  };
  // A loop blocked past the deadline runs this timer before reading what arrived meanwhile:
  // the verdict waits for one poll phase (setImmediate runs after it), so bytes sent in time count.
  const timer = setTimeout(() => {
    setImmediate(() => {
      if (decided) return;
      stop();
      socket.destroy();
    });
  }, timeoutMs);
  socket.on('readable', onReadable);
  socket.once('end', onEnd);
  socket.once('close', stop);
}

/**
 * HTTP/2 has no header or idle timeouts of node's own: a session must open its first stream
 * within `headersTimeoutMs` (else it is dropped), and is closed (GOAWAY) after `idleTimeoutMs`
 * without traffic while no stream is open (a stream waiting for its answer keeps it).
 */
function limitHttp2Session(session: http2.ServerHttp2Session, headersTimeoutMs: number, idleTimeoutMs: number): void {
  let openStreams = 0;
  const headersTimer = setTimeout(() => session.destroy(), headersTimeoutMs);
  session.on('stream', (stream) => {
    clearTimeout(headersTimer);
    openStreams++;
    stream.once('close', () => openStreams--);
  });
  session.once('close', () => clearTimeout(headersTimer));
  // idle: a GOAWAY (close), so a client such as the AWS SDK opens a new session rather than reuse this one
  session.setTimeout(idleTimeoutMs, () => {
    if (openStreams === 0) session.close();
  });
}

/** HTTP/2's request timeout (HTTP/1.1's is node's): a body not complete in time gets 408 and its stream closed. */
function limitHttp2Request(req: http2.Http2ServerRequest, res: http2.Http2ServerResponse, requestTimeoutMs: number): void {
  const stream = req.stream;
  if (req.complete) return;
  const timer = setTimeout(() => {
    if (req.complete) return;
    if (!res.headersSent) {
      try {
        res.writeHead(408, { 'content-type': 'application/json', 'x-amzn-errortype': 'RequestTimeoutException' });
        res.end();
      } catch {
        // the stream is already gone
      }
    }
    stream.close(http2.constants.NGHTTP2_CANCEL);
  }, requestTimeoutMs);
  req.once('end', () => clearTimeout(timer));
  stream.once('close', () => clearTimeout(timer));
}
