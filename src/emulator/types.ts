/**
 * Types shared by the Bedrock emulator modules.
 * (Node-only test tooling; never imported by the middleware core.)
 */

/** A cache TTL as Bedrock spells it (`cachePoint.ttl` / `cache_control.ttl`). */
export type CacheTtl = '5m' | '1h';

/** The four Bedrock runtime inference operations the emulator answers. */
export type EmulatorOperation =
  | 'Converse'
  | 'ConverseStream'
  | 'InvokeModel'
  | 'InvokeModelWithResponseStream';

/** Every operation the emulator answers: the inference operations and CountTokens. */
export type EmulatorRequestOperation = EmulatorOperation | 'CountTokens';

/** Caching capabilities of one model (shared doc §3). */
export interface EmulatorModelSpec {
  /** Model family: decides lookback, Nova-only rules and the InvokeModel body format. */
  family: 'claude' | 'nova' | 'other';
  /** Whether the model supports prompt caching at all. `false` rejects every checkpoint. */
  caching: boolean;
  /** Minimum cumulative tokens (tools + system + messages up to the checkpoint) for a checkpoint to cache anything. */
  minTokens: number;
  /** TTLs the model supports. */
  ttls: readonly CacheTtl[];
  /** Whether a checkpoint may stand in `toolConfig.tools` (Nova: no). */
  toolCheckpoints: boolean;
  /** How many content-block boundaries before a checkpoint are searched for a hit (Claude: 20; 0 = exact match only). */
  lookbackBlocks: number;
  /** Largest cumulative prefix a checkpoint may cache; checkpoints beyond it cache nothing (Nova: 20,000). */
  maxCachedTokens?: number;
  /**
   * What Bedrock does with a checkpoint in a message: `'accept'` (default) or `'reject'` with
   * Nova's `extraneous key [cachePoint] is not permitted` (the contested Nova 2 Lite reading,
   * shared doc §3: set it per model to test a client's recovery).
   */
  messageCheckpoints?: 'accept' | 'reject';
  /**
   * Largest prompt the model takes, in input tokens (hidden ones included): a longer one is
   * rejected as Bedrock rejects it ("prompt is too long: N tokens > M maximum" on Converse,
   * "Input is too long for requested model." on InvokeModel). `undefined`: not enforced.
   */
  contextWindow?: number;
  /**
   * `true` when the figures come from the model's family, not from a row with published
   * figures (an id newer than the emulator's table).
   */
  inferred?: boolean;
}

/**
 * Override / extension of the model table: either a full or partial spec, or the id of
 * another model to alias (e.g. an application-inference-profile ARN → a model id).
 */
export type EmulatorModelOverride = string | Partial<EmulatorModelSpec>;

/** AWS credentials the emulator verifies SigV4 signatures against. */
export interface EmulatorCredentials {
  /** Access key id (`AKIA…`). A request signed with another key id gets UnrecognizedClientException. */
  accessKeyId: string;
  /** Secret key used to recompute the signature. */
  secretAccessKey: string;
  /** If set, the request must carry this `x-amz-security-token`. */
  sessionToken?: string;
}

/** One tool call of a scripted reply. */
export interface ScriptedToolUse {
  /** Tool name (as declared in the request). */
  name: string;
  /** Tool input object. */
  input: Record<string, unknown>;
  /** Tool-use id; a deterministic id is generated when omitted. */
  id?: string;
}

/** A scripted model reply. Provide `text`, `toolUses`, or both (text first, then the tool calls). */
export interface ScriptedReply {
  /** Assistant text. */
  text?: string;
  /** Tool calls (several = parallel tool calls); makes the stop reason `tool_use`. */
  toolUses?: ScriptedToolUse[];
  /** Reasoning text emitted as a (signed) reasoning / thinking block before everything else. */
  reasoning?: string;
}

/** What a `reply` function receives. */
export interface ReplyContext {
  /** The operation being answered. */
  operation: EmulatorOperation;
  /** Model id as it appeared in the URL (decoded). */
  modelId: string;
  /** The parsed request body. */
  body: unknown;
  /** Text of the last user message's text blocks (joined by a newline), '' if none. */
  lastUserText: string;
  /** 0-based index of this reply among the replies produced since creation or the last `reset()`. */
  index: number;
}

/** Scripted replies: a list consumed in order (then the default reply), or a function of the request. */
export type ReplyOption = ScriptedReply[] | ((context: ReplyContext) => ScriptedReply);

/** What a `timeToFirstByteMs` function receives. */
export interface TimeToFirstByteContext {
  /** The operation being answered. */
  operation: EmulatorOperation;
  /** Model id as it appeared in the URL (decoded). */
  modelId: string;
  /** Input tokens the model processes: uncached plus written (everything not read from the cache). */
  uncachedInputTokens: number;
  /** The request's usage as the emulator will report it. */
  usage: EmulatorUsage;
}

/** Usage the emulator reported for one request, in Converse naming. */
export interface EmulatorUsage {
  /** Uncached input tokens. */
  inputTokens: number;
  /** Output tokens. */
  outputTokens: number;
  /** Input tokens read from the cache. */
  cacheReadInputTokens: number;
  /** Input tokens written to the cache. */
  cacheWriteInputTokens: number;
  /** Writes by TTL (1h first), only TTLs with tokens. */
  cacheDetails: Array<{ ttl: CacheTtl; inputTokens: number }>;
}

/** One entry of `emulator.requests`. */
export interface EmulatorRequestLogEntry {
  /** Operation, or `undefined` for an unroutable request. */
  operation: EmulatorRequestOperation | undefined;
  /** Decoded model id from the URL ('' if unroutable). */
  modelId: string;
  /**
   * Parsed JSON body. Kept only for an accepted request, with `requestLog.bodies: 'full'` (the
   * library's default; the command keeps none), and while the log's byte bound allows;
   * otherwise absent, and `bodyBytes` is all that is kept of it.
   */
  body?: unknown;
  /** Size of the request body in bytes (for one rejected as too large: its declared size, or what arrived before the limit). */
  bodyBytes: number;
  /** HTTP status returned. */
  status: number;
  /** `x-amzn-errortype` of an error response. */
  errorType?: string;
  /** Error message of an error response. */
  message?: string;
  /** Usage of a successful response. */
  usage?: EmulatorUsage;
  /** Emulator clock (ms) when the request arrived. */
  time: number;
  /** Emulator clock (ms) when its response began (a success only): `time` + time to first byte. */
  firstByteTime?: number;
  /** `inputTokens` of a CountTokens answer. */
  countedInputTokens?: number;
  /**
   * An inference request's ground truth: the longest prefix of its prompt that was live in the
   * emulator's cache when it arrived, before it was served (unexpired, and readable: its
   * writer's response had begun), whether or not the request's checkpoints let it read it.
   * `tokens` up to the end of that prefix, `blocks` the prompt blocks it spans (tools, system
   * blocks, message blocks). `undefined` when nothing of it was live (and on errors and CountTokens).
   */
  liveAtArrival?: { tokens: number; blocks: number } | undefined;
}

/**
 * Bounds of the emulator's request log (`emulator.requests`). Entries beyond either bound are
 * dropped oldest first. In process (`createBedrockEmulator`) both default to `Infinity`: the log
 * keeps everything unless limited; `startBedrockEmulator` defaults to 10,000 entries and 64 MiB.
 */
export interface EmulatorRequestLogOptions {
  /** Most entries kept (`0` keeps none: `onRequest` still sees each; `Infinity`: no bound). */
  maxEntries?: number;
  /** Most request-body bytes the kept entries hold, counted at each body's size on the wire. */
  maxBodyBytes?: number;
  /**
   * `'full'` (default): each accepted request's parsed body, for tests to inspect; `'none'`: only
   * its size (what the command keeps). A rejected request never keeps more than its size.
   */
  bodies?: 'full' | 'none';
}

/** A validation verdict: `{ ok: true }` or Bedrock's error answer. */
export type ValidationResult = { ok: true } | ValidationFailure;

/** How Bedrock rejects a request. */
export interface ValidationFailure {
  ok: false;
  /** HTTP status. */
  status: number;
  /** `x-amzn-errortype` header value (e.g. `ValidationException`). */
  errorType: string;
  /** The `message` of the JSON body. */
  message: string;
}

/** Options of `createBedrockEmulator`. */
export interface BedrockEmulatorOptions {
  /**
   * SigV4 credentials to verify. With neither `credentials` nor `apiKey` set, any request is
   * accepted (no authentication).
   */
  credentials?: EmulatorCredentials | EmulatorCredentials[];
  /** Accepted Bedrock API keys (`Authorization: Bearer …`). */
  apiKey?: string | string[];
  /** Clock in ms used for cache TTLs; defaults to `Date.now`. */
  now?: () => number;
  /** Additions / overrides of the model table, keyed by model id, prefixed id or ARN. */
  models?: Record<string, EmulatorModelOverride>;
  /**
   * Answer model ids the emulator's catalogue doesn't know. By default an id must be in the
   * catalogue (the AI SDK provider's ids, the shared doc's table, `models` rows) or parse by
   * Bedrock's id grammar (a real family and a plausible version: `anthropic.claude-opus-5`,
   * `us.amazon.nova-2-pro-v1:0`); anything else gets Bedrock's 400 "The provided model
   * identifier is invalid.", as a typo would on AWS. Set `true` for a model released after
   * this version of the emulator: any id of Bedrock's shape (`vendor.model`) is then answered,
   * a Claude or Nova one with its family's caching figures. Default `false`.
   */
  acceptUnknownModels?: boolean;
  /** Scripted replies; default: a deterministic echo of the last user text. */
  reply?: ReplyOption;
  /**
   * Include `cacheDetails` in ConverseStream `metadata` usage. Default `false`: real Bedrock
   * often omits it on streams (shared doc §2).
   */
  streamCacheDetails?: boolean;
  /**
   * Time from a request's arrival to the start of its response (the first byte of a
   * non-streamed response, the first event of a stream), in ms on the emulator's clock: a
   * number, or a function of the request (e.g. of its uncached input tokens). Default 0.
   *
   * A cache entry becomes readable only at its writer's first byte, so requests that arrive
   * before it each write the prefix again (shared doc §1 Timing). With the default clock the
   * emulator really waits that long before answering; with an injected `now` it never waits
   * (advance your clock instead), which keeps concurrency tests deterministic.
   */
  timeToFirstByteMs?: number | ((context: TimeToFirstByteContext) => number);
  /**
   * Count the tokens a real request costs beyond its content (shared doc §1 Hidden tokens):
   * a few per request and, with tools, the model's tool-use system prompt (the tokenizer's
   * `countRequestOverhead`, calibrated on recorded exchanges). They count toward minimums, are
   * cached by the checkpoints that cover them, and show in usage and CountTokens. Default
   * `true`, so usage is what Bedrock reports (one small tool and a short question count about
   * 375 input tokens, not 54); `false` gives the bare content's round figures, for tests that
   * reason in them.
   */
  hiddenTokens?: boolean;
  /**
   * Largest request body, in bytes. A larger one is answered 400 ValidationException, as Bedrock
   * answers an InvokeModel body over its 25,000,000-byte limit, and is not read further. Default
   * 25,000,000.
   */
  maxBodyBytes?: number;
  /** Bounds of the request log; see `EmulatorRequestLogOptions`. */
  requestLog?: EmulatorRequestLogOptions;
  /** Called with each request-log entry as it is made (whether or not the log keeps it); what it throws is ignored. */
  onRequest?: (entry: EmulatorRequestLogEntry) => void;
}
