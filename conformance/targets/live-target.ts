import { Readable } from 'node:stream';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  CountTokensCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import type { HttpRequest, HttpResponse, MiddlewareStack } from '@smithy/types';
import type { Target } from '../run-fixture.js';
import type { Fixture } from '../schema.js';
import { parseResponse, type Observed, type WireRequest, type WireResponse } from '../wire.js';

/** Options of the live target. */
export interface LiveTargetOptions {
  /** Really wait through `advanceClockSeconds` steps (TTL fixtures); otherwise they are skipped. */
  wait?: boolean;
  /** Throttling retries per request (exponential backoff from `backoffMs`). */
  retries?: number;
  backoffMs?: number;
  /** Called before each retry (for the progress output). */
  onRetry?: (request: WireRequest, attempt: number, delayMs: number, observed: Observed) => void;
}

/** Answers worth a retry: throttling and short outages. */
const RETRYABLE = new Set(['ThrottlingException', 'ServiceUnavailableException', 'ModelNotReadyException', 'TooManyRequestsException']);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The SDK command for a fixture's API, with a placeholder input (the body is replaced before signing). */
function commandFor(request: WireRequest) {
  const modelId = request.modelId;
  switch (request.api) {
    case 'converse':
      return new ConverseCommand({ modelId, messages: [] });
    case 'converse-stream':
      return new ConverseStreamCommand({ modelId, messages: [] });
    case 'invoke':
      return new InvokeModelCommand({ modelId, body: new Uint8Array(), contentType: 'application/json', accept: 'application/json' });
    case 'invoke-stream':
      return new InvokeModelWithResponseStreamCommand({ modelId, body: new Uint8Array(), contentType: 'application/json', accept: 'application/json' });
    case 'count-tokens':
      return new CountTokensCommand({ modelId, input: { converse: { messages: [] } } });
  }
}

/**
 * Real Bedrock through the installed AWS SDK: credentials, region and endpoint come from the
 * SDK's default chains (so `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` redirects it, e.g. to the
 * emulator). Each fixture body is sent byte for byte as written (a build-step middleware puts
 * it in place of the SDK's serialisation, before SigV4 signing), and the raw answer is captured
 * below the SDK's parser, so every target is judged by the same response parser. The SDK's own
 * retries are off; throttling is retried here with exponential backoff.
 */
export function liveTarget(options: LiveTargetOptions = {}): Target & { client: BedrockRuntimeClient } {
  const client = new BedrockRuntimeClient({ maxAttempts: 1 });

  async function sendOnce(request: WireRequest): Promise<WireResponse> {
    const command = commandFor(request);
    const raw = JSON.stringify(request.body);
    let captured: WireResponse | undefined;
    // the commands' stacks differ only in their input / output types, which these middlewares don't read
    const stack = command.middlewareStack as unknown as MiddlewareStack<object, object>;
    stack.add(
      (next) => async (args) => {
        const http = args.request as HttpRequest;
        http.body = raw;
        http.headers['content-type'] = 'application/json';
        http.headers['content-length'] = String(Buffer.byteLength(raw));
        return next(args);
      },
      { step: 'build', name: 'conformanceRawBody', override: true },
    );
    // deserialize step, low priority: runs inside the SDK's deserializer, so it sees the raw answer first
    stack.add(
      (next) => async (args) => {
        const result = await next(args);
        const response = result.response as HttpResponse;
        const chunks: Buffer[] = [];
        for await (const chunk of response.body as AsyncIterable<Buffer | string>) chunks.push(Buffer.from(chunk));
        const body = Buffer.concat(chunks);
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) headers[name.toLowerCase()] = String(value);
        captured = { status: response.statusCode, headers, body: new Uint8Array(body) };
        response.body = Readable.from([body]);
        return result;
      },
      { step: 'deserialize', priority: 'low', name: 'conformanceCapture', override: true },
    );
    try {
      const output = (await client.send(command as never)) as { stream?: AsyncIterable<unknown>; body?: AsyncIterable<unknown> };
      // drain a stream output so the SDK finishes with the connection
      const stream = request.api === 'converse-stream' ? output.stream : request.api === 'invoke-stream' ? output.body : undefined;
      if (stream) for await (const _event of stream) void _event;
    } catch (error) {
      if (!captured) throw error;
    }
    if (!captured) throw new Error('no response captured');
    return captured;
  }

  return {
    name: 'live',
    client,
    skipFixture: (fixture: Fixture) => fixture.liveSkip,
    unavailable(observed) {
      const message = observed.message ?? '';
      if (observed.status === 403 && observed.errorType === 'AccessDeniedException' && !/prompt caching/.test(message)) {
        return `no access to the model: ${message}`;
      }
      if (observed.status === 404 || observed.errorType === 'ResourceNotFoundException') return `model not found: ${message}`;
      if (observed.errorType === 'ValidationException' && /on-demand throughput|not supported in this region|use case details|model identifier is invalid/i.test(message)) {
        return `model not available here: ${message}`;
      }
      return undefined;
    },
    async open() {
      return {
        send: async (request: WireRequest) => {
          const retries = options.retries ?? 5;
          for (let attempt = 0; ; attempt++) {
            const response = await sendOnce(request);
            const observed = parseResponse(request.api, response);
            if (attempt >= retries || !(RETRYABLE.has(observed.errorType ?? '') || observed.status === 429)) return response;
            const delay = (options.backoffMs ?? 1_000) * 2 ** attempt * (1 + Math.random() / 4);
            options.onRetry?.(request, attempt + 1, delay, observed);
            await sleep(delay);
          }
        },
        ...(options.wait ? { advanceClock: (seconds: number) => sleep(seconds * 1000) } : {}),
      };
    },
  };
}
