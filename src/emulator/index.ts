/**
 * `ai-sdk-bedrock-cache/emulator`: a local Amazon Bedrock runtime emulator with prompt caching,
 * for tests and demos. Node only; never imported by the middleware core.
 * msw handlers live in `ai-sdk-bedrock-cache/emulator/msw` (needs msw).
 */
export { startBedrockEmulator } from './start-bedrock-emulator.js';
export type { RunningBedrockEmulator, StartBedrockEmulatorOptions } from './start-bedrock-emulator.js';
export { createBedrockEmulator } from './create-bedrock-emulator.js';
export { parseReplyRules, replyFromRules } from './reply-rules.js';
export type { ReplyMatch, ReplyRule } from './reply-rules.js';
export type { BedrockEmulator } from './create-bedrock-emulator.js';
export { validateConverseRequest } from './validate-converse.js';
export type { ValidateOptions } from './validate-converse.js';
export { validateAnthropicRequest, BEDROCK_ANTHROPIC_VERSION } from './validate-anthropic.js';
export { BEDROCK_MODEL_TABLE, lookupModelSpec, resolveModelSpec, toBaseModelId } from './models.js';
export type { ModelLookupOptions } from './models.js';
export { PROVIDER_MODEL_IDS } from './model-catalogue.js';
export { BEDROCK_ERROR_TEXT } from './errors.js';
export { countTextTokens, countJsonTokens, countMediaTokens, MESSAGE_OVERHEAD_TOKENS } from './tokenizer.js';
export type {
  BedrockEmulatorOptions,
  CacheTtl,
  EmulatorCredentials,
  EmulatorModelOverride,
  EmulatorModelSpec,
  EmulatorOperation,
  EmulatorRequestOperation,
  EmulatorRequestLogEntry,
  EmulatorRequestLogOptions,
  EmulatorUsage,
  ReplyContext,
  ReplyOption,
  ScriptedReply,
  ScriptedToolUse,
  TimeToFirstByteContext,
  ValidationFailure,
  ValidationResult,
} from './types.js';
