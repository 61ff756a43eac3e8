/**
 * Our span attribute names are copies (see src/telemetry/attribute-names.ts): each must equal
 * the constant its convention's own package defines.
 */
import {
  LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_READ as OPENINFERENCE_CACHE_READ,
  LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_WRITE as OPENINFERENCE_CACHE_WRITE,
} from '@arizeai/openinference-semantic-conventions';
import {
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
} from '@opentelemetry/semantic-conventions/incubating';
import { describe, expect, it } from 'vitest';
import {
  GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_READ,
  LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_WRITE,
} from '../src/telemetry/attribute-names';

describe('attribute names', () => {
  it("equal OpenTelemetry's GenAI semantic conventions (incubating)", () => {
    expect(GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS).toBe(ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS);
    expect(GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS).toBe(ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS);
  });

  it("equal OpenInference's", () => {
    expect(LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_READ).toBe(OPENINFERENCE_CACHE_READ);
    expect(LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_WRITE).toBe(OPENINFERENCE_CACHE_WRITE);
  });
});
