import type { ValidationFailure } from './types.js';

/**
 * Bedrock's error texts. Cache-related texts are verbatim from shared doc §1 (where the doc
 * elides a prefix with "...", the Converse wording "The model returned the following errors: "
 * is used, as seen in real Bedrock traces). The sanity-check texts are Bedrock's / Anthropic's
 * published wording as best known; they are marked `approx` where the exact text is unverified.
 */
export const BEDROCK_ERROR_TEXT = {
  /** Prefix Bedrock puts before errors the model itself raises (Converse). */
  modelErrorPrefix: 'The model returned the following errors: ',
  /** shared doc §1 */
  tooManyCheckpoints: (found: number) => `A maximum of 4 blocks with cache_control may be provided. Found ${found}.`,
  /** shared doc §1 */
  ttlOrder:
    "a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. Note that blocks are processed in the following order: tools, system, messages.",
  /** shared doc §1 */
  nothingToCache: 'There is nothing available to cache. Please remove the invalid cache point and try again.',
  /** shared doc §1 */
  afterReasoning: 'Cache point cannot be inserted after reasoning block.',
  /** shared doc §1 */
  unsupportedModel: 'You invoked an unsupported model or your request did not allow prompt caching.',
  /** Nova 1h TTL (seen in the wild; shared doc §3 only says "No 1h TTL"). */
  extendedTtlNotSupported: 'Extended TTL prompt caching is only supported for Anthropic models',
  /**
   * Nova cachePoint in toolConfig.tools (shared doc §3 quotes the key part; aws/aws-sdk-go-v2
   * #3060 has the whole text) and, contested, in a Nova 2 Lite message (zeroclaw-labs/zeroclaw
   * #8720: "The model returned the following errors: Malformed input request:
   * #/messages/6/content/0: extraneous key [cachePoint] is not permitted, …").
   */
  extraneousKey: (path: string, key: string) =>
    `Malformed input request: ${path}: extraneous key [${key}] is not permitted, please reformat your input and try again.`,
  /** CountTokens on a model that can't count (alchemy.run's Bedrock CountTokens page; see count-tokens.ts). */
  countTokensNotSupported: "The provided model doesn't support counting tokens.",
  /** Missing required key in a model body (approx). */
  requiredKey: (path: string, key: string) =>
    `Malformed input request: ${path}: required key [${key}] not found, please reformat your input and try again.`,
  /** A union block with two members (shared doc §1 quotes "can only set one of the following keys"). */
  oneKeyOnly: (object: string, path: string, keys: readonly string[]) =>
    `${object} object at ${path} can only set one of the following keys: ${keys.join(', ')}.`,
  /** AWS (Coral) enum validation. Indices are 1-based ("member") in these messages. */
  enumValue: (value: unknown, path: string, allowed: readonly string[]) =>
    `1 validation error detected: Value '${String(value)}' at '${path}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
  /** AWS (Coral) missing member. */
  notNull: (path: string) => `1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`,
  alternate:
    'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.',
  startWithUser: 'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
  emptyContent: (index: number) =>
    `The content field in the Message object at messages.${index} is empty. Add a ContentBlock object to the content field and try again.`,
  blankText: (path: string) => `The text field in the ContentBlock object at ${path} is blank. Add text to the text field, and try again.`,
  toolConfigMissing: 'The toolConfig field must be defined when using toolUse and toolResult content blocks.',
  tooManyToolResults: (index: number) =>
    `The number of toolResult blocks at messages.${index}.content exceeds the number of toolUse blocks of previous turn.`,
  missingToolResults: (index: number, ids: readonly string[]) =>
    `Expected toolResult blocks at messages.${index}.content for the following Ids: ${ids.join(', ')}`,
  /** approx: the model-side error for a trailing assistant toolUse. */
  toolUseWithoutResult: (index: number, ids: readonly string[]) =>
    `messages.${index}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${ids.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
  unexpectedToolResult: (path: string, ids: readonly string[]) =>
    `${path}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${ids.join(', ')}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
  trailingWhitespace: 'final assistant content cannot end with trailing whitespace',
  /** Anthropic Messages API wording (InvokeModel). */
  anthropicAlternate: (role: string) =>
    `messages: roles must alternate between "user" and "assistant", but found multiple "${role}" roles in a row`,
  anthropicFirstUser: 'messages: first message must use the "user" role',
  anthropicEmptyContent: (index: number) =>
    `messages.${index}: all messages must have non-empty content except for the optional final assistant message`,
  anthropicEmptyText: 'messages: text content blocks must be non-empty',
  anthropicExtraInput: (path: string) => `${path}: Extra inputs are not permitted`,
  anthropicLiteral: (path: string, allowed: readonly string[]) =>
    `${path}: Input should be ${allowed.map((value) => `'${value}'`).join(' or ')}`,
  /**
   * A prompt beyond the model's context window, as the model words it (Converse prefixes it
   * with `modelErrorPrefix`): daisuke-awaji/moca #254 ("The model returned the following
   * errors: prompt is too long: 200049 tokens > 200000 maximum", Converse), anomalyco/models.dev
   * #1221 ("prompt is too long: 1000032 tokens > 1000000 maximum", Sonnet 4.6 / Opus 4.6), and
   * CountTokens, which answers it beyond 200,000 whatever the model (boto/botocore #3707).
   */
  promptTooLong: (tokens: number, maximum: number) => `prompt is too long: ${tokens} tokens > ${maximum} maximum`,
  /**
   * The same on InvokeModel: anthropics/claude-code #8637 and #760 (Claude Code on Bedrock, which
   * uses InvokeModelWithResponseStream: "400 Input is too long for requested model."),
   * aws-samples/bedrock-chat #95 (InvokeModelWithResponseStream). Converse users saw it too
   * (continuedev/continue #9592); which text Bedrock picks when is not known: the emulator
   * answers Converse with the model's text above, InvokeModel with this one.
   */
  inputTooLong: 'Input is too long for requested model.',
  /** shared doc §1 2026-12 (iOfficeAI/AionCore #377, earendil-works/pi #4993, Pydantic AI's count-tokens cassette). */
  invalidModelId: 'The provided model identifier is invalid.',
  /**
   * A checkpoint directly after a text-extracted document (shared doc §1 2026-12:
   * aws/aws-sdk-java-v2 #6277, strands-agents/harness-sdk #1966): the path names the
   * checkpoint's own block (`messages.N.content.M.type`); Converse prefixes it with
   * `modelErrorPrefix`.
   */
  fieldRequired: (path: string) => `${path}: Field required`,
  /**
   * A 1h TTL on a Claude without extended TTL (shared doc §1 2026-12: earendil-works/pi #1570,
   * openclaw/openclaw #47121 quote only "Extra inputs are not permitted"). The path format,
   * `<block path>.<block type>.cache_control.ephemeral.ttl`, is Anthropic's validation path as
   * Bedrock users recorded it for a `ttl` it didn't accept (BerriAI/litellm #15880:
   * `tools.20.custom.cache_control.ephemeral.ttl`, #34248:
   * `messages.0.content.0.text.cache_control.ephemeral.ttl`).
   */
  ttlNotPermitted: (blockPath: string) => `${blockPath}.cache_control.ephemeral.ttl: Extra inputs are not permitted`,
  /**
   * Anthropic's top-level (automatic) `cache_control` on InvokeModel (shared doc §5 2026-12:
   * UKGovernmentBEIS/inspect_ai #3851, BerriAI/litellm #26320).
   */
  topLevelCacheControl: 'cache_control: Extra inputs are not permitted',
  /** Authentication (AWS-wide texts). */
  missingAuth: 'Missing Authentication Token',
  invalidSignature:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  unrecognizedClient: 'The security token included in the request is invalid.',
  wrongService: (service: string) => `Credential should be scoped to correct service: '${service}'.`,
  /** Bedrock API key rejected (seen in the wild; the body key is capitalised `Message`). */
  invalidApiKey: 'Authentication failed: Please make sure your API Key is valid.',
  /**
   * A request body over the size limit. InvokeModel's text is Bedrock's, seen in the wild
   * (langchain-ai/langchain-aws #419: "1 validation error detected: Value at 'body' failed to
   * satisfy constraint: Member must have length less than or equal to 25000000", a
   * ValidationException; the 25,000,000 bound is InvokeModel's `body` length constraint in the
   * API reference). Converse and CountTokens answer the same here: a guess, no rejection of
   * theirs was ever recorded.
   */
  bodyTooLong: (maxBytes: number) =>
    `1 validation error detected: Value at 'body' failed to satisfy constraint: Member must have length less than or equal to ${maxBytes}`,
  unknownOperation: 'Unknown operation',
  serialization: 'Unexpected token in JSON body',
} as const;

/** Builds a `ValidationFailure` (HTTP 400 ValidationException unless told otherwise). */
export function failure(message: string, errorType = 'ValidationException', status = 400): ValidationFailure {
  return { ok: false, status, errorType, message };
}

/**
 * Bedrock's JSON error response: `x-amzn-errortype` header and `{"message": …}` body.
 * (Real Bedrock appends `:http://internal.amazon.com/coral/…` to the header value; the AWS
 * SDK strips it. The emulator sends the bare type.)
 */
export function errorResponse(error: ValidationFailure, requestId: string, bodyKey: 'message' | 'Message' = 'message'): Response {
  return new Response(JSON.stringify({ [bodyKey]: error.message }), {
    status: error.status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': error.errorType,
      'x-amzn-requestid': requestId,
    },
  });
}
