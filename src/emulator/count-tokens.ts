import { readAnthropicPrompt } from './anthropic-prompt.js';
import { readConversePrompt } from './converse-prompt.js';
import { BEDROCK_ERROR_TEXT as T, failure } from './errors.js';
import { isRecord } from './json-utils.js';
import { isInferenceProfileId } from './models.js';
import { layoutTotalTokens } from './prompt-layout.js';
import type { EmulatorModelSpec, ValidationFailure } from './types.js';

/** The largest prompt CountTokens counts (see below). */
const COUNT_TOKENS_MAXIMUM = 200_000;

/**
 * The JSON an `invokeModel.body` carries. It is a blob, which the AWS SDK sends base64-encoded
 * (@aws-sdk/client-bedrock-runtime: `InvokeModelTokensRequest.body: Uint8Array`). A raw JSON
 * string is accepted too (the emulator's leniency: a JSON text is never valid base64).
 */
function decodeInvokeBody(body: unknown): unknown {
  if (typeof body !== 'string') return undefined;
  const text = body.trimStart().startsWith('{') ? body : Buffer.from(body, 'base64').toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Answers Bedrock's CountTokens (`POST /model/{id}/count-tokens`, shared doc §1 2026-12) with
 * the emulator's own count: the same total the prompt cache uses for the whole prompt (hidden
 * tokens included when the emulator counts them).
 * Request: `{"input": {"converse": {messages, system, toolConfig, …}}}` or
 * `{"input": {"invokeModel": {"body": <base64 JSON>}}}` (CountTokensInput in
 * @aws-sdk/client-bedrock-runtime); answer `{"inputTokens": N}` (recorded: Pydantic AI's
 * `test_bedrock_count_tokens_*` cassettes).
 *
 * Only Claude models addressed by their foundation-model id count tokens: a Nova id or a
 * cross-region inference-profile id gets "The provided model doesn't support counting tokens"
 * (alchemy.run's Bedrock CountTokens page; AWS's count-tokens guide says some Claude models,
 * those launched only with cross-region inference, aren't supported; Pydantic AI sends the
 * bare id for an inference profile, `test_bedrock_inference_profile_count_tokens`).
 */
export function countTokens(
  modelId: string,
  spec: EmulatorModelSpec,
  body: unknown,
  withHiddenTokens: boolean,
): ValidationFailure | { ok: true; inputTokens: number } {
  const hidden = withHiddenTokens ? { modelId } : undefined;
  if (spec.family !== 'claude' || isInferenceProfileId(modelId)) {
    return failure(T.countTokensNotSupported);
  }
  // A malformed body gets Converse's texts for the same faults (the `input` union, the Anthropic
  // body's `messages`): a guess, no recorded CountTokens rejection of a malformed body.
  const input = isRecord(body) ? body.input : undefined;
  if (!isRecord(input)) return failure(T.notNull('input'));
  const members = ['converse', 'invokeModel'].filter((key) => input[key] !== undefined);
  if (members.length !== 1) return failure(T.oneKeyOnly('CountTokensInput', 'input', ['invokeModel', 'converse']));
  let inputTokens: number;
  if (isRecord(input.converse)) {
    inputTokens = layoutTotalTokens(readConversePrompt(input.converse, spec, hidden));
  } else {
    const invokeBody = isRecord(input.invokeModel) ? decodeInvokeBody(input.invokeModel.body) : undefined;
    if (!isRecord(invokeBody)) return failure(T.requiredKey('#', 'messages'));
    inputTokens = layoutTotalTokens(readAnthropicPrompt(invokeBody, spec, hidden));
  }
  // CountTokens stops at 200,000 whatever the model's window (boto/botocore #3707, measured on
  // Sonnet 4.6, a 1M model: "prompt is too long: X tokens > 200000 maximum").
  if (inputTokens > COUNT_TOKENS_MAXIMUM) return failure(T.promptTooLong(inputTokens, COUNT_TOKENS_MAXIMUM));
  return { ok: true, inputTokens };
}
