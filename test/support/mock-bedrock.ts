/**
 * Bedrock at the network boundary for the middleware's tests: msw answers the real
 * provider's real HTTP requests (Converse, ConverseStream, InvokeModel and
 * InvokeModelWithResponseStream) and records each body exactly as it would reach AWS.
 */
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { createBedrockAnthropic } from '@ai-sdk/amazon-bedrock/anthropic';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { validateAnthropicRequest, validateConverseRequest, type ValidateOptions } from '../../src/emulator';
import { encodeEventFrame } from '../../src/emulator/event-stream';

export interface RecordedRequest {
  operation: 'converse' | 'converse-stream' | 'invoke' | 'invoke-with-response-stream';
  modelId: string;
  body: Record<string, any>;
}

export interface MockUsage {
  inputTokens: number;
  outputTokens?: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
  cacheDetails?: Array<{ ttl: string; inputTokens: number }>;
}

/** A scripted reply: text, or tool uses (several = parallel tool calls). */
export type MockReply = { text: string } | { toolUses: Array<{ name: string; input: Record<string, unknown> }> };

/** A scripted failure: an HTTP error, or (streams) an exception event after `afterText`, if given. */
export type MockFailure = { error: { status: number; type: string; message: string; inStream?: boolean; afterText?: string } };

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const REGION = 'us-east-1';
const HOST = `https://bedrock-runtime.${REGION}.amazonaws.com`;
const credentials = { region: REGION, accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

/** One event frame, encoded the way the emulator (and Bedrock) does. */
const eventFrame = (eventType: string, payload: unknown): Uint8Array => encodeEventFrame({ eventType, payload });

function eventStream(frames: Uint8Array[]): Response {
  return new HttpResponse(
    new ReadableStream({
      start(controller) {
        for (const frame of frames) controller.enqueue(frame);
        controller.close();
      },
    }),
    { headers: { 'content-type': 'application/vnd.amazon.eventstream' } },
  );
}

let toolUseCounter = 0;

function exceptionFrame(type: string, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'exception' },
      ':exception-type': { type: 'string', value: type.charAt(0).toLowerCase() + type.slice(1) },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify({ message })),
  });
}

function failure({ error }: MockFailure, operation: RecordedRequest['operation']): Response {
  if (error.inStream && operation === 'converse-stream') {
    const frames = [eventFrame('messageStart', { role: 'assistant' })];
    if (error.afterText) frames.push(eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: error.afterText } }));
    frames.push(exceptionFrame(error.type, error.message));
    return eventStream(frames);
  }
  return HttpResponse.json({ message: error.message }, { status: error.status, headers: { 'x-amzn-errortype': `${error.type}:http://internal.amazon.com/coral/com.amazon.bedrock/` } });
}

function converseContent(reply: MockReply) {
  return 'text' in reply
    ? [{ text: reply.text }]
    : reply.toolUses.map((use) => ({ toolUse: { toolUseId: `tooluse_${++toolUseCounter}`, name: use.name, input: use.input } }));
}

function converseUsage(usage: MockUsage) {
  const outputTokens = usage.outputTokens ?? 5;
  return {
    inputTokens: usage.inputTokens,
    outputTokens,
    totalTokens: usage.inputTokens + (usage.cacheReadInputTokens ?? 0) + (usage.cacheWriteInputTokens ?? 0) + outputTokens,
    ...(usage.cacheReadInputTokens !== undefined && { cacheReadInputTokens: usage.cacheReadInputTokens }),
    ...(usage.cacheWriteInputTokens !== undefined && { cacheWriteInputTokens: usage.cacheWriteInputTokens }),
    ...(usage.cacheDetails && { cacheDetails: usage.cacheDetails }),
  };
}

function anthropicUsage(usage: MockUsage) {
  const fiveMinutes = usage.cacheDetails?.find((d) => d.ttl === '5m')?.inputTokens ?? usage.cacheWriteInputTokens ?? 0;
  const oneHour = usage.cacheDetails?.find((d) => d.ttl === '1h')?.inputTokens ?? 0;
  return {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens ?? 5,
    ...(usage.cacheReadInputTokens !== undefined && { cache_read_input_tokens: usage.cacheReadInputTokens }),
    ...(usage.cacheWriteInputTokens !== undefined && { cache_creation_input_tokens: usage.cacheWriteInputTokens }),
    ...(usage.cacheDetails && { cache_creation: { ephemeral_5m_input_tokens: fiveMinutes, ephemeral_1h_input_tokens: oneHour } }),
  };
}

/**
 * Starts msw for the calling test file and returns the mock: providers pointed at it,
 * the recorded requests, and setters for the next replies and usage. Each request is
 * first checked by the emulator's validator and rejected as Bedrock would reject it;
 * `options.models` maps ids the validator can't read (application-profile ARNs).
 */
export function useMockBedrock(options: ValidateOptions = {}) {
  const requests: RecordedRequest[] = [];
  let replies: Array<MockReply | MockFailure> = [];
  let usage: MockUsage = { inputTokens: 10 };

  const server = setupServer(
    http.post(`${HOST}/model/:modelId/:operation`, async ({ request, params }) => {
      const operation = params.operation as RecordedRequest['operation'];
      const modelId = decodeURIComponent(params.modelId as string);
      const body = (await request.json()) as Record<string, any>;
      requests.push({ operation, modelId, body });
      const next = replies.shift() ?? { text: 'ok' };
      if ('error' in next) return failure(next, operation);
      // Every request must be one Bedrock accepts: the emulator's validator answers as Bedrock would.
      const verdict = operation.startsWith('converse') ? validateConverseRequest(modelId, body, options) : validateAnthropicRequest(modelId, body, options);
      if (!verdict.ok) {
        return failure({ error: { status: verdict.status, type: verdict.errorType, message: verdict.message } }, operation);
      }
      const reply: MockReply = next;

      switch (operation) {
        case 'converse':
          return HttpResponse.json({
            output: { message: { role: 'assistant', content: converseContent(reply) } },
            stopReason: 'text' in reply ? 'end_turn' : 'tool_use',
            usage: converseUsage(usage),
            metrics: { latencyMs: 1 },
          });
        case 'converse-stream': {
          const frames = [eventFrame('messageStart', { role: 'assistant' })];
          converseContent(reply).forEach((block, index) => {
            if ('text' in block) {
              frames.push(eventFrame('contentBlockDelta', { contentBlockIndex: index, delta: { text: block.text } }));
            } else {
              const { toolUseId, name, input } = block.toolUse;
              frames.push(eventFrame('contentBlockStart', { contentBlockIndex: index, start: { toolUse: { toolUseId, name } } }));
              frames.push(eventFrame('contentBlockDelta', { contentBlockIndex: index, delta: { toolUse: { input: JSON.stringify(input) } } }));
            }
            frames.push(eventFrame('contentBlockStop', { contentBlockIndex: index }));
          });
          frames.push(eventFrame('messageStop', { stopReason: 'text' in reply ? 'end_turn' : 'tool_use' }));
          frames.push(eventFrame('metadata', { usage: converseUsage(usage), metrics: { latencyMs: 1 } }));
          return eventStream(frames);
        }
        case 'invoke':
          return HttpResponse.json({
            id: 'msg_1',
            type: 'message',
            role: 'assistant',
            model: modelId,
            content: 'text' in reply ? [{ type: 'text', text: reply.text }] : [],
            stop_reason: 'end_turn',
            stop_sequence: null,
            usage: anthropicUsage(usage),
          });
        case 'invoke-with-response-stream': {
          const text = 'text' in reply ? reply.text : '';
          const { output_tokens, ...startUsage } = anthropicUsage(usage);
          const events = [
            { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: modelId, content: [], stop_reason: null, stop_sequence: null, usage: { ...startUsage, output_tokens: 1 } } },
            { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
            { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } },
            { type: 'content_block_stop', index: 0 },
            { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens } },
            { type: 'message_stop' },
          ];
          return eventStream(
            events.map((event) => eventFrame('chunk', { bytes: Buffer.from(JSON.stringify(event)).toString('base64') })),
          );
        }
      }
    }),
  );

  // Any request no handler answers fails the test: msw 2 reads onUnhandledRequest, msw 3
  // (the ai 7 leg) onUnhandledFrame; each ignores the other's key.
  const unhandled = { onUnhandledRequest: 'error', onUnhandledFrame: 'error' } as const;
  beforeAll(() => server.listen(unhandled));
  afterEach(() => {
    requests.length = 0;
    replies = [];
    usage = { inputTokens: 10 };
  });
  afterAll(() => server.close());

  return {
    requests,
    /** `bedrock()` (Converse) pointed at the mock. */
    bedrock: createAmazonBedrock(credentials),
    /** `@ai-sdk/amazon-bedrock/anthropic` (InvokeModel) pointed at the mock. */
    anthropic: createBedrockAnthropic(credentials),
    /** Replies for the next requests, in order (default: text "ok"). */
    reply: (...next: Array<MockReply | MockFailure>) => {
      replies = next;
    },
    /** Usage every following response reports. */
    usage: (next: MockUsage) => {
      usage = next;
    },
    /** The last request body. */
    last: () => requests.at(-1)!.body,
  };
}

/** Where the cache points are in a Converse body, as [section, message index?, block index]. */
export function cachePointsOf(body: Record<string, any>): Array<{ at: string; ttl: string | undefined }> {
  const points: Array<{ at: string; ttl: string | undefined }> = [];
  (body.toolConfig?.tools ?? []).forEach((tool: any, i: number) => {
    if (tool.cachePoint) points.push({ at: `tools[${i}]`, ttl: tool.cachePoint.ttl });
  });
  (body.system ?? []).forEach((block: any, i: number) => {
    if (block.cachePoint) points.push({ at: `system[${i}]`, ttl: block.cachePoint.ttl });
  });
  (body.messages ?? []).forEach((message: any, m: number) => {
    message.content.forEach((block: any, i: number) => {
      if (block.cachePoint) points.push({ at: `messages[${m}][${i}]`, ttl: block.cachePoint.ttl });
    });
  });
  return points;
}

/** Where `cache_control` is in an Anthropic Messages body. */
export function cacheControlsOf(body: Record<string, any>): Array<{ at: string; ttl: string | undefined }> {
  const points: Array<{ at: string; ttl: string | undefined }> = [];
  (body.tools ?? []).forEach((tool: any, i: number) => {
    if (tool.cache_control) points.push({ at: `tools[${i}]`, ttl: tool.cache_control.ttl });
  });
  (Array.isArray(body.system) ? body.system : []).forEach((block: any, i: number) => {
    if (block.cache_control) points.push({ at: `system[${i}]`, ttl: block.cache_control.ttl });
  });
  (body.messages ?? []).forEach((message: any, m: number) => {
    (Array.isArray(message.content) ? message.content : []).forEach((block: any, i: number) => {
      if (block.cache_control) points.push({ at: `messages[${m}][${i}]`, ttl: block.cache_control.ttl });
    });
  });
  return points;
}
