import { BEDROCK_ERROR_TEXT as T, failure } from './errors.js';
import { asArray, isRecord } from './json-utils.js';
import type { EmulatorModelSpec, ValidationFailure } from './types.js';

/**
 * The beta that gave Sonnet 4 and 4.5 a 1M-token window on Bedrock (`anthropic_beta` in the
 * InvokeModel body or Converse's `additionalModelRequestFields`: AWS's Claude Messages
 * parameters page; anomalyco/opencode #12452 used it on Bedrock Sonnet 4.5). Claude 4.6 and
 * later have 1M without it (NousResearch/hermes-agent #31277).
 */
const CONTEXT_1M_BETA = 'context-1m-2025-08-07';

/** Whether a request body asks for the 1M-context beta. */
function asksForLongContext(body: Record<string, unknown>): boolean {
  const fields = isRecord(body.additionalModelRequestFields) ? body.additionalModelRequestFields : body;
  return (asArray(fields.anthropic_beta) ?? []).includes(CONTEXT_1M_BETA);
}

/**
 * Bedrock's answer to a prompt longer than the model's context window (`spec.contextWindow`,
 * counted over every input token, hidden ones included), or `undefined` when it fits. The
 * output budget (`maxTokens`) doesn't count: every recorded rejection names the prompt's size
 * alone. Converse answers with the model's text, InvokeModel with Bedrock's (errors.ts). Nova's
 * wording is not recorded: it gets the same texts (a guess).
 */
export function checkContextWindow(
  spec: EmulatorModelSpec,
  inputTokens: number,
  api: 'converse' | 'anthropic',
  body: Record<string, unknown>,
): ValidationFailure | undefined {
  if (spec.contextWindow === undefined) return undefined;
  const window = spec.family === 'claude' && asksForLongContext(body) ? Math.max(spec.contextWindow, 1_000_000) : spec.contextWindow;
  if (inputTokens <= window) return undefined;
  return failure(api === 'converse' ? T.modelErrorPrefix + T.promptTooLong(inputTokens, window) : T.inputTooLong);
}
