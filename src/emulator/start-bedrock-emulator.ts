import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { createBedrockEmulator, type BedrockEmulator } from './create-bedrock-emulator.js';
import type { BedrockEmulatorOptions } from './types.js';

/** Options of `startBedrockEmulator`: the emulator's options plus where to listen. */
export interface StartBedrockEmulatorOptions extends BedrockEmulatorOptions {
  /** TCP port; `0` (default) picks a free one. */
  port?: number;
  /** Interface to bind; default `127.0.0.1` (loopback only). */
  host?: string;
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

/** What the listener needs of node's http / http2-compat request and response. */
interface IncomingRequest extends AsyncIterable<Buffer | string> {
  headers: Record<string, string | string[] | undefined>;
  url?: string;
  method?: string;
}
interface OutgoingResponse {
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(chunk: Uint8Array): unknown;
  end(): unknown;
}

/** HTTP/2 connection preface starts with "PRI * HTTP/2.0". */
const H2_PREFACE_START = 'PRI';

/** Converts a node request into a Fetch `Request` (HTTP/2 `:authority` becomes `host`). */
async function toFetchRequest(req: IncomingRequest, fallbackHost: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith(':') || value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const authority = String(req.headers[':authority'] ?? req.headers.host ?? fallbackHost);
  if (!headers.has('host')) headers.set('host', authority);
  const method = req.method ?? 'GET';
  const body = method === 'GET' || method === 'HEAD' ? undefined : new Uint8Array(Buffer.concat(chunks));
  return new Request(`http://${authority}${req.url ?? '/'}`, { method, headers, body });
}

/** Writes a Fetch `Response` to a node response, streaming the body. */
async function writeFetchResponse(response: Response, res: OutgoingResponse): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  const reader = response.body?.getReader();
  for (let next = await reader?.read(); next && !next.done; next = await reader?.read()) res.write(next.value);
  res.end();
}

/**
 * Starts the emulator as a real HTTP server on loopback. One port serves HTTP/1.1 (node:http,
 * what fetch / the AI SDK use) and cleartext HTTP/2 with prior knowledge (node:http2, what the
 * AWS SDK v3's default `NodeHttp2Handler` of bedrock-runtime speaks to an `http://` endpoint):
 * the first bytes of each connection pick the protocol.
 */
export async function startBedrockEmulator(options: StartBedrockEmulatorOptions = {}): Promise<RunningBedrockEmulator> {
  const emulator = createBedrockEmulator(options);
  const host = options.host ?? '127.0.0.1';
  let fallbackHost = host;

  const listener = (req: IncomingRequest, res: OutgoingResponse): void => {
    toFetchRequest(req, fallbackHost)
      .then((request) => emulator.handle(request))
      .catch((error: unknown) =>
        Response.json(
          { message: `Emulator failure: ${error instanceof Error ? error.message : String(error)}` },
          { status: 500, headers: { 'x-amzn-errortype': 'InternalServerException' } },
        ),
      )
      .then((response) => writeFetchResponse(response, res))
      .catch(() => res.end());
  };
  const http1Server = http.createServer(listener);
  const http2Server = http2.createServer(listener);

  const sockets = new Set<net.Socket>();
  const detectProtocol = (socket: net.Socket): void => {
    const chunk = socket.read() as Buffer | null;
    if (chunk === null) {
      socket.once('readable', () => detectProtocol(socket));
      return;
    }
    socket.unshift(chunk);
    if (chunk.length < H2_PREFACE_START.length && !socket.readableEnded) {
      socket.once('readable', () => detectProtocol(socket));
      return;
    }
    const isHttp2 = chunk.subarray(0, H2_PREFACE_START.length).toString('latin1') === H2_PREFACE_START;
    (isHttp2 ? http2Server : http1Server).emit('connection', socket);
  };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    detectProtocol(socket);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  fallbackHost = `${urlHost}:${port}`;

  return {
    handle: emulator.handle,
    fetch: emulator.fetch,
    get requests() {
      return emulator.requests;
    },
    reset: emulator.reset,
    url: `http://${urlHost}:${port}`,
    port,
    async close() {
      for (const socket of sockets) socket.destroy();
      http1Server.close();
      http2Server.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
