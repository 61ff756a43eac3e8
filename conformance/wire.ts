import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { ApiName, UsageField } from './schema.js';

/** One request as the runner sends it. */
export interface WireRequest {
  api: ApiName;
  modelId: string;
  body: unknown;
}

/** Bedrock's raw answer: what every target hands back, parsed the same way for all of them. */
export interface WireResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: Uint8Array;
}

/** Normalised usage (Converse naming). */
export type Usage = Record<UsageField, number>;

/** What the runner observed for one request. */
export interface Observed {
  status: number;
  errorType?: string;
  message?: string;
  usage?: Usage;
  /** Bedrock's own usage object (Converse `usage`, InvokeModel `usage`, or `{inputTokens}` of CountTokens). */
  rawUsage?: Record<string, unknown>;
}

/** URL path segment of each operation (shared doc §1 Hidden tokens for CountTokens, §8 for the rest). */
export const OPERATION_PATH: Readonly<Record<ApiName, string>> = {
  converse: 'converse',
  'converse-stream': 'converse-stream',
  invoke: 'invoke',
  'invoke-stream': 'invoke-with-response-stream',
  'count-tokens': 'count-tokens',
};

/** `/model/{id}/{operation}` with the id encoded as the AWS SDK and the AI SDK provider encode it. */
export function requestPath(request: WireRequest): string {
  return `/model/${encodeURIComponent(request.modelId)}/${OPERATION_PATH[request.api]}`;
}

/** HTTP status of an exception raised inside an event stream (the AWS SDK throws these like HTTP errors). */
const STREAM_EXCEPTION_STATUS: Readonly<Record<string, number>> = {
  ValidationException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ThrottlingException: 429,
  ModelStreamErrorException: 424,
  ModelTimeoutException: 408,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** `ValidationException:http://internal.amazon.com/coral/…` → `ValidationException`; `validationException` → `ValidationException`. */
function errorTypeName(raw: string): string {
  const bare = raw.split(':')[0] ?? raw;
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}

function converseUsage(raw: Record<string, unknown>): Usage {
  const input = num(raw.inputTokens);
  const read = num(raw.cacheReadInputTokens);
  const write = num(raw.cacheWriteInputTokens);
  return { inputTokens: input, cacheReadInputTokens: read, cacheWriteInputTokens: write, cachedInputTokens: read + write, totalInputTokens: input + read + write };
}

function anthropicUsage(raw: Record<string, unknown>): Usage {
  const input = num(raw.input_tokens);
  const read = num(raw.cache_read_input_tokens);
  const write = num(raw.cache_creation_input_tokens);
  return { inputTokens: input, cacheReadInputTokens: read, cacheWriteInputTokens: write, cachedInputTokens: read + write, totalInputTokens: input + read + write };
}

/** Decodes an AWS event-stream body into its frames. */
function decodeFrames(bytes: Uint8Array): Array<{ headers: Record<string, string>; payload: unknown }> {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  const frames: Array<{ headers: Record<string, string>; payload: unknown }> = [];
  let offset = 0;
  while (offset + 4 <= bytes.length) {
    const length = new DataView(bytes.buffer, bytes.byteOffset + offset).getUint32(0, false);
    if (length === 0 || offset + length > bytes.length) break;
    const message = codec.decode(bytes.subarray(offset, offset + length));
    const headers: Record<string, string> = {};
    for (const [name, header] of Object.entries(message.headers)) headers[name] = String(header.value);
    let payload: unknown;
    try {
      payload = JSON.parse(toUtf8(message.body));
    } catch {
      payload = toUtf8(message.body);
    }
    frames.push({ headers, payload });
    offset += length;
  }
  return frames;
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

/** Reads a stream's usage or its exception. */
function parseStream(api: ApiName, bytes: Uint8Array): Observed {
  let usage: Record<string, unknown> | undefined;
  for (const frame of decodeFrames(bytes)) {
    const payload = frame.payload;
    if (frame.headers[':message-type'] === 'exception' || frame.headers[':message-type'] === 'error') {
      const type = errorTypeName(frame.headers[':exception-type'] ?? frame.headers[':error-code'] ?? 'UnknownException');
      const message = isRecord(payload) ? String(payload.message ?? payload.Message ?? '') : String(payload);
      return { status: STREAM_EXCEPTION_STATUS[type] ?? 500, errorType: type, message };
    }
    if (!isRecord(payload)) continue;
    if (api === 'converse-stream') {
      if (frame.headers[':event-type'] === 'metadata' && isRecord(payload.usage)) usage = payload.usage;
      continue;
    }
    // InvokeModel stream: `chunk` events carry base64 Anthropic events.
    if (typeof payload.bytes !== 'string') continue;
    const event = parseJson(Buffer.from(payload.bytes, 'base64'));
    if (!isRecord(event)) continue;
    if (event.type === 'message_start' && isRecord(event.message) && isRecord(event.message.usage)) usage = { ...event.message.usage };
    if (event.type === 'message_delta' && isRecord(event.usage)) usage = { ...usage, ...event.usage };
  }
  if (!usage) return { status: 200 };
  return { status: 200, usage: api === 'converse-stream' ? converseUsage(usage) : anthropicUsage(usage), rawUsage: usage };
}

/** Parses a raw Bedrock response the same way for every target. */
export function parseResponse(api: ApiName, response: WireResponse): Observed {
  if (response.status !== 200) {
    const json = parseJson(response.body);
    const message = isRecord(json) ? String(json.message ?? json.Message ?? '') : new TextDecoder().decode(response.body);
    const type = response.headers['x-amzn-errortype'];
    return { status: response.status, errorType: type === undefined ? undefined : errorTypeName(type), message };
  }
  if (api === 'converse-stream' || api === 'invoke-stream') return parseStream(api, response.body);
  const json = parseJson(response.body);
  if (!isRecord(json)) return { status: 200 };
  if (api === 'count-tokens') {
    const raw = { inputTokens: json.inputTokens };
    const input = num(json.inputTokens);
    return { status: 200, usage: { inputTokens: input, cacheReadInputTokens: 0, cacheWriteInputTokens: 0, cachedInputTokens: 0, totalInputTokens: input }, rawUsage: raw };
  }
  if (!isRecord(json.usage)) return { status: 200 };
  return { status: 200, usage: api === 'converse' ? converseUsage(json.usage) : anthropicUsage(json.usage), rawUsage: json.usage };
}
