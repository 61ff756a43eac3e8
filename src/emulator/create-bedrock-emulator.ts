import { randomUUID } from 'node:crypto';
import { readAnthropicPrompt } from './anthropic-prompt.js';
import {
  anthropicModelName,
  anthropicResponseBody,
  anthropicStreamEvents,
  invokeModelUsageHeaders,
} from './anthropic-response.js';
import { authenticate } from './authenticate.js';
import { readConversePrompt } from './converse-prompt.js';
import {
  converseResponseBody,
  converseStreamEvents,
  reportsCacheCounters,
  reportsCacheDetails,
  toEmulatorUsage,
  type ConverseUsageShape,
} from './converse-response.js';
import { checkContextWindow } from './context-window.js';
import { countTokens } from './count-tokens.js';
import { BEDROCK_ERROR_TEXT as T, errorResponse, failure } from './errors.js';
import { eventStreamResponse } from './event-stream.js';
import { isRecord } from './json-utils.js';
import { limitReply, maxOutputTokens } from './limit-reply.js';
import { lookupModelSpec, toBaseModelId, unwrapModelArn } from './models.js';
import { PromptCache } from './prompt-cache.js';
import { layoutTotalTokens } from './prompt-layout.js';
import { readRequestBody } from './read-request-body.js';
import { lastUserInput, ReplyScript } from './replies.js';
import { checkRequestLogOptions, RequestLog, type NewLogEntry } from './request-log.js';
import type {
  BedrockEmulatorOptions,
  EmulatorRequestLogEntry,
  EmulatorRequestOperation,
  TimeToFirstByteContext,
  ValidationFailure,
} from './types.js';
import { validateAnthropicRequest } from './validate-anthropic.js';
import { validateConverseRequest } from './validate-converse.js';

/** The in-process Bedrock emulator: a Fetch API handler plus test helpers. */
export interface BedrockEmulator {
  /** Answers one Bedrock runtime request (`POST {base}/model/{id}/{operation}`, CountTokens included). */
  handle(request: Request): Promise<Response>;
  /** A fetch function bound to `handle`, usable as the provider's `fetch`. */
  fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  /** The requests handled so far, within the `requestLog` bounds (cleared by `reset`). */
  readonly requests: readonly EmulatorRequestLogEntry[];
  /** Clears the prompt cache and the request log, and rewinds scripted replies to the first. */
  reset(): void;
}

const OPERATIONS: Readonly<Record<string, EmulatorRequestOperation>> = {
  converse: 'Converse',
  'converse-stream': 'ConverseStream',
  invoke: 'InvokeModel',
  'invoke-with-response-stream': 'InvokeModelWithResponseStream',
  // shared doc §1 2026-12: Bedrock's CountTokens (`@aws-sdk/client-bedrock-runtime`: POST /model/{modelId}/count-tokens).
  'count-tokens': 'CountTokens',
};

/**
 * Default `maxBodyBytes`: InvokeModel's `body` length constraint (Bedrock API reference,
 * InvokeModel: "Maximum length of 25000000"; langchain-ai/langchain-aws #419 records Bedrock
 * rejecting a longer one). Applying it to Converse and CountTokens too is a guess.
 */
const DEFAULT_MAX_BODY_BYTES = 25_000_000;

const ROUTE = /\/model\/([^/]+)\/(converse|converse-stream|invoke|invoke-with-response-stream|count-tokens)$/;

/** Waits `ms` real milliseconds. */
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Parses the route of a request URL. */
function parseRoute(url: string): { modelId: string; operation: EmulatorRequestOperation } | undefined {
  const match = ROUTE.exec(new URL(url).pathname);
  const operation = match?.[2] === undefined ? undefined : OPERATIONS[match[2]];
  if (!match?.[1] || !operation) return undefined;
  try {
    return { modelId: decodeURIComponent(match[1]), operation };
  } catch {
    return undefined;
  }
}

/**
 * Creates the pure (in-process) Bedrock emulator. It authenticates (SigV4 / API key),
 * knows Bedrock's model ids by family, validates like Bedrock (shared doc §1, §3, §5), runs
 * the prompt cache (entries readable from their writer's first byte), and answers Converse,
 * ConverseStream, InvokeModel and InvokeModelWithResponseStream (Anthropic Messages format)
 * with Bedrock's usage fields, and CountTokens with its own token count. No network: see `startBedrockEmulator` for an HTTP server and
 * `bedrockEmulatorHandlers` (emulator/msw) for msw.
 */
export function createBedrockEmulator(options: BedrockEmulatorOptions = {}): BedrockEmulator {
  const now = options.now ?? Date.now;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!(Number.isInteger(maxBodyBytes) && maxBodyBytes >= 0)) {
    throw new TypeError(`maxBodyBytes must be a non-negative integer number of bytes (got ${String(options.maxBodyBytes)})`);
  }
  checkRequestLogOptions(options.requestLog);
  const cache = new PromptCache(now);
  const replies = new ReplyScript(options.reply);
  const log = new RequestLog(options.requestLog, options.onRequest);
  const toList = <V>(value: V | V[] | undefined): V[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
  const auth = { credentials: toList(options.credentials), apiKeys: toList(options.apiKey) };
  let messageCounter = 0;
  // Bedrock's counts unless told otherwise (see `hiddenTokens`).
  const hiddenTokens = options.hiddenTokens ?? true;

  const timeToFirstByte = (context: TimeToFirstByteContext): number => {
    const option = options.timeToFirstByteMs ?? 0;
    return typeof option === 'function' ? option(context) : option;
  };

  const reject = (
    entry: Omit<NewLogEntry, 'status' | 'time'>,
    time: number,
    error: ValidationFailure,
    requestId: string,
    bodyKey: 'message' | 'Message' = 'message',
  ): Response => {
    log.add({ ...entry, status: error.status, errorType: error.errorType, message: error.message, time });
    return errorResponse(error, requestId, bodyKey);
  };

  async function handle(request: Request): Promise<Response> {
    // shared doc §1 Timing: lookups and cache lifetimes count from the request's arrival.
    const time = now();
    const requestId = randomUUID();
    const route = parseRoute(request.url);
    const read = await readRequestBody(request, maxBodyBytes);
    if (!read.ok) {
      // nothing of an oversized body is kept: it was never read past the limit
      const entry = { operation: route?.operation, modelId: route?.modelId ?? '', bodyBytes: read.bytes };
      return reject(entry, time, failure(T.bodyTooLong(maxBodyBytes)), requestId);
    }
    const bodyBytes = read.bytes;
    const text = new TextDecoder().decode(bodyBytes);
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // keep the raw text in the log
    }
    const entry = { operation: route?.operation, modelId: route?.modelId ?? '', body, bodyBytes: bodyBytes.byteLength };

    const authFailure = await authenticate(request, bodyBytes, auth);
    if (authFailure) return reject(entry, time, authFailure, requestId, authFailure.bodyKey);
    if (!route || request.method !== 'POST') {
      return reject(entry, time, failure(T.unknownOperation, 'UnknownOperationException', 404), requestId);
    }
    const { modelId, operation } = route;
    // shared doc §1 2026-12: an id Bedrock doesn't know, for every operation, whatever the body.
    const spec = lookupModelSpec(modelId, options.models, options);
    if (!spec) return reject(entry, time, failure(T.invalidModelId), requestId);
    if (!isRecord(body)) {
      return operation.startsWith('Converse') || operation === 'CountTokens'
        ? reject(entry, time, failure(T.serialization, 'SerializationException'), requestId)
        : reject(entry, time, failure(T.requiredKey('#', 'messages')), requestId);
    }
    const headers = { 'x-amzn-requestid': requestId };

    if (operation === 'CountTokens') {
      const counted = countTokens(modelId, spec, body, hiddenTokens);
      if (!counted.ok) return reject(entry, time, counted, requestId);
      log.add({ ...entry, status: 200, countedInputTokens: counted.inputTokens, time });
      return Response.json({ inputTokens: counted.inputTokens }, { headers });
    }

    const isConverse = operation === 'Converse' || operation === 'ConverseStream';
    const verdict = isConverse
      ? validateConverseRequest(modelId, body, options)
      : validateAnthropicRequest(modelId, body, options);
    if (!verdict.ok) return reject(entry, time, verdict, requestId);

    const hidden = hiddenTokens ? { modelId } : undefined;
    const layout = isConverse ? readConversePrompt(body, spec, hidden) : readAnthropicPrompt(body, spec, hidden);
    const api = isConverse ? 'converse' : 'anthropic';
    const tooLong = checkContextWindow(spec, layoutTotalTokens(layout), api, body);
    if (tooLong) return reject(entry, time, tooLong, requestId);
    const reply = limitReply(
      replies.next({ operation, modelId, body, lastUserText: lastUserInput(body).text }, isConverse ? 'tooluse_emu' : 'toolu_bdrk_emu'),
      maxOutputTokens(body, api),
    );
    // One cache key space per API and model / inference profile: `us.x` and `eu.x` don't share
    // entries (different regions); an inference-profile ARN shares with its profile id.
    const scope = `${isConverse ? 'converse' : 'anthropic'}|${unwrapModelArn(modelId)}`;
    // Ground truth for tests (contract C5): what was live for this prompt before serving it.
    const liveAtArrival = cache.liveAt(scope, layout, time);
    const outcome = cache.process(scope, layout, spec, {
      time,
      firstByteDelay: (result) => {
        const usage = toEmulatorUsage(result, reply.outputTokens);
        return timeToFirstByte({ operation, modelId, uncachedInputTokens: usage.inputTokens + usage.cacheWriteInputTokens, usage });
      },
    });
    const usage = toEmulatorUsage(outcome, reply.outputTokens);
    const firstByteTime = time + outcome.firstByteDelayMs;
    log.add({ ...entry, status: 200, usage, time, firstByteTime, liveAtArrival });
    // On its own clock the emulator really waits; on an injected one, that clock is the caller's to advance.
    if (options.now === undefined && outcome.firstByteDelayMs > 0) await sleep(outcome.firstByteDelayMs);

    const messageId = `msg_bdrk_emu${String(++messageCounter).padStart(6, '0')}`;
    const model = anthropicModelName(toBaseModelId(modelId));
    const shape: ConverseUsageShape = {
      cacheDetails: reportsCacheDetails(spec.family) && (operation === 'Converse' || (options.streamCacheDetails ?? false)),
      cacheCounters: reportsCacheCounters(spec.family, layout),
    };
    switch (operation) {
      case 'Converse':
        return Response.json(converseResponseBody(reply, usage, shape), { headers });
      case 'ConverseStream':
        return eventStreamResponse(converseStreamEvents(reply, usage, shape), headers);
      case 'InvokeModel':
        return Response.json(anthropicResponseBody(reply, usage, messageId, model, spec.caching), {
          headers: { ...headers, ...invokeModelUsageHeaders(usage, spec.caching) },
        });
      case 'InvokeModelWithResponseStream':
        return eventStreamResponse(anthropicStreamEvents(reply, usage, messageId, model, spec.caching), headers);
    }
  }

  return {
    handle,
    fetch: (input, init) => handle(new Request(input, init)),
    get requests() {
      return log.entries;
    },
    reset() {
      cache.clear();
      log.clear();
      replies.rewind();
    },
  };
}

