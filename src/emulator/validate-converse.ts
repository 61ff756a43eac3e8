import { BEDROCK_ERROR_TEXT as T, failure } from './errors.js';
import { asArray, asString, isRecord } from './json-utils.js';
import { resolveModelSpec } from './models.js';
import type { CacheTtl, EmulatorModelOverride, EmulatorModelSpec, ValidationFailure, ValidationResult } from './types.js';

/** Members of Converse's ContentBlock union, in the order Bedrock lists them. */
const CONTENT_KEYS = [
  'text',
  'image',
  'toolUse',
  'toolResult',
  'document',
  'video',
  'cachePoint',
  'reasoningContent',
  'citationsContent',
  'searchResult',
  'guardContent',
] as const;
const SYSTEM_KEYS = ['text', 'guardContent', 'cachePoint'] as const;
const TOOL_KEYS = ['toolSpec', 'systemTool', 'cachePoint'] as const;

/** A checkpoint seen while walking the request in prefix order (tools → system → messages). */
interface SeenCheckpoint {
  ttl: CacheTtl;
  /** Anthropic-style path of the block the checkpoint closes, for model-side errors. */
  modelPath: string;
  section: 'tools' | 'system' | 'messages';
}

/** Options of the pure validators. */
export interface ValidateOptions {
  /** Model-table overrides, as in `BedrockEmulatorOptions.models`. */
  models?: Record<string, EmulatorModelOverride>;
}

const modelError = (message: string): ValidationFailure => failure(T.modelErrorPrefix + message);

/**
 * Checks the union key of a block and, for a `cachePoint`, its `type` / `ttl` (shared doc §1).
 * Returns the error, the key set, and the checkpoint TTL if the block is a checkpoint.
 */
function checkUnionBlock(
  block: unknown,
  objectName: string,
  path: string,
  coralPath: string,
  keys: readonly string[],
): ValidationFailure | { key: string; ttl?: CacheTtl } {
  if (!isRecord(block)) return failure(T.notNull(coralPath));
  const present = keys.filter((key) => block[key] !== undefined);
  const [key] = present;
  if (present.length !== 1 || key === undefined) return failure(T.oneKeyOnly(objectName, path, keys));
  if (key !== 'cachePoint') return { key };
  const cachePoint = block.cachePoint;
  if (!isRecord(cachePoint)) return failure(T.notNull(`${coralPath}.member.cachePoint`));
  if (cachePoint.type !== 'default') {
    return cachePoint.type === undefined
      ? failure(T.notNull(`${coralPath}.member.cachePoint.type`))
      : failure(T.enumValue(cachePoint.type, `${coralPath}.member.cachePoint.type`, ['default']));
  }
  if (cachePoint.ttl !== undefined && cachePoint.ttl !== '5m' && cachePoint.ttl !== '1h') {
    return failure(T.enumValue(cachePoint.ttl, `${coralPath}.member.cachePoint.ttl`, ['5m', '1h']));
  }
  return { key, ttl: (cachePoint.ttl as CacheTtl | undefined) ?? '5m' };
}

/** Ids of the toolUse blocks of a message. */
function toolUseIds(content: readonly unknown[]): string[] {
  return content.flatMap((block) =>
    isRecord(block) && isRecord(block.toolUse) ? [String(block.toolUse.toolUseId)] : [],
  );
}

/** Ids of the toolResult blocks of a message. */
function toolResultIds(content: readonly unknown[]): string[] {
  return content.flatMap((block) =>
    isRecord(block) && isRecord(block.toolResult) ? [String(block.toolResult.toolUseId)] : [],
  );
}

/** Conversation rules a real Bedrock applies before caching matters. */
function checkConversation(
  messages: ReadonlyArray<{ role: string; content: unknown[] }>,
  hasToolConfig: boolean,
): ValidationFailure | undefined {
  const first = messages[0];
  if (first === undefined || first.role !== 'user') return failure(T.startWithUser);
  for (let i = 1; i < messages.length; i++) {
    if (messages[i]?.role === messages[i - 1]?.role) return failure(T.alternate);
  }
  const usesTools = messages.some((m) => toolUseIds(m.content).length + toolResultIds(m.content).length > 0);
  if (usesTools && !hasToolConfig) return failure(T.toolConfigMissing);
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    if (message === undefined || message.role !== 'user') continue;
    const previous = i > 0 ? messages[i - 1] : undefined;
    const expected = previous ? toolUseIds(previous.content) : [];
    const results = toolResultIds(message.content);
    if (results.length > expected.length) return failure(T.tooManyToolResults(i));
    const missing = expected.filter((id) => !results.includes(id));
    if (missing.length > 0) return failure(T.missingToolResults(i, missing));
  }
  return undefined;
}

/** Rules the model raises for a final assistant message (prefill). */
function checkFinalAssistant(
  messages: ReadonlyArray<{ role: string; content: unknown[] }>,
  spec: EmulatorModelSpec,
): ValidationFailure | undefined {
  const lastIndex = messages.length - 1;
  const last = messages[lastIndex];
  if (last === undefined || last.role !== 'assistant') return undefined;
  const pending = toolUseIds(last.content);
  if (pending.length > 0) return modelError(T.toolUseWithoutResult(lastIndex, pending));
  const texts = last.content.filter((block) => isRecord(block) && typeof block.text === 'string');
  const finalText = texts.at(-1);
  if (spec.family === 'claude' && isRecord(finalText) && /\s$/.test(String(finalText.text))) {
    return modelError(T.trailingWhitespace);
  }
  return undefined;
}

/**
 * Validates a Converse / ConverseStream body the way Bedrock does (shared doc §1, §3) and
 * returns `{ ok: true }` or Bedrock's error (status, `x-amzn-errortype`, message).
 *
 * Order of checks (first failure wins): request shape and union keys (`cachePoint` beside
 * `text`, invalid `type` / `ttl`, blank text, empty content) → conversation rules (start with
 * user, alternation, toolConfig, toolResult ↔ toolUse) → caching support of the model → Nova
 * rules → nothing to cache → after a reasoning block → more than 4 checkpoints → TTL order →
 * final-assistant rules. The relative order of unrelated errors is the emulator's choice.
 */
export function validateConverseRequest(modelId: string, body: unknown, options: ValidateOptions = {}): ValidationResult {
  const spec = resolveModelSpec(modelId, options.models);
  if (!isRecord(body)) return failure(T.serialization, 'SerializationException');

  const checkpoints: SeenCheckpoint[] = [];
  const cacheErrors: Array<{ rank: number; error: ValidationFailure }> = [];
  const deferCacheError = (rank: number, error: ValidationFailure) => cacheErrors.push({ rank, error });

  // tools
  const toolConfig = body.toolConfig;
  const tools = isRecord(toolConfig) ? asArray(toolConfig.tools) : undefined;
  let toolCount = 0;
  for (const [i, tool] of (tools ?? []).entries()) {
    const checked = checkUnionBlock(tool, 'Tool', `toolConfig.tools.${i}`, `toolConfig.tools.${i + 1}`, TOOL_KEYS);
    if ('ok' in checked) return checked;
    if (checked.ttl === undefined) {
      toolCount++;
      continue;
    }
    if (!spec.toolCheckpoints && spec.family === 'nova') {
      // shared doc §3: Nova rejects a tool checkpoint.
      deferCacheError(1, failure(T.extraneousKey(`#/toolConfig/tools/${i}`, 'cachePoint')));
    }
    if (toolCount === 0) deferCacheError(3, failure(T.nothingToCache));
    checkpoints.push({ ttl: checked.ttl, modelPath: `tools.${Math.max(0, toolCount - 1)}`, section: 'tools' });
  }

  // system
  const system = body.system === undefined ? [] : asArray(body.system);
  if (system === undefined) return failure(T.notNull('system'));
  let systemCount = 0;
  for (const [i, block] of system.entries()) {
    const checked = checkUnionBlock(block, 'SystemContentBlock', `system.${i}`, `system.${i + 1}`, SYSTEM_KEYS);
    if ('ok' in checked) return checked;
    if (checked.key === 'text' && isRecord(block) && String(block.text).trim() === '') {
      return failure(T.blankText(`system.${i}`).replace('ContentBlock', 'SystemContentBlock'));
    }
    if (checked.ttl === undefined) {
      systemCount++;
      continue;
    }
    if (systemCount === 0) deferCacheError(3, failure(T.nothingToCache));
    checkpoints.push({ ttl: checked.ttl, modelPath: `system.${Math.max(0, systemCount - 1)}`, section: 'system' });
  }

  // messages
  const rawMessages = asArray(body.messages);
  if (rawMessages === undefined) return failure(T.notNull('messages'));
  const messages: Array<{ role: string; content: unknown[] }> = [];
  for (const [i, message] of rawMessages.entries()) {
    if (!isRecord(message)) return failure(T.notNull(`messages.${i + 1}.member`));
    const role = asString(message.role);
    if (role !== 'user' && role !== 'assistant') {
      return failure(T.enumValue(message.role, `messages.${i + 1}.member.role`, ['user', 'assistant']));
    }
    const content = asArray(message.content);
    if (content === undefined) return failure(T.notNull(`messages.${i + 1}.member.content`));
    if (content.length === 0) return failure(T.emptyContent(i));
    let blockCount = 0;
    for (const [j, block] of content.entries()) {
      const path = `messages.${i}.content.${j}`;
      const checked = checkUnionBlock(block, 'ContentBlock', path, `messages.${i + 1}.member.content.${j + 1}`, CONTENT_KEYS);
      if ('ok' in checked) return checked;
      if (checked.key === 'text' && isRecord(block) && String(block.text).trim() === '') {
        return failure(T.blankText(path));
      }
      if (checked.ttl === undefined) {
        blockCount++;
        continue;
      }
      if (blockCount === 0) deferCacheError(3, failure(T.nothingToCache));
      const previous = content[j - 1];
      if (isRecord(previous) && previous.reasoningContent !== undefined) deferCacheError(4, failure(T.afterReasoning));
      checkpoints.push({
        ttl: checked.ttl,
        modelPath: `messages.${i}.content.${Math.max(0, blockCount - 1)}`,
        section: 'messages',
      });
    }
    messages.push({ role, content });
  }

  const conversationError = checkConversation(messages, tools !== undefined && tools.length > 0);
  if (conversationError) return conversationError;

  if (checkpoints.length > 0 && !spec.caching) return failure(T.unsupportedModel);
  if (spec.family !== 'claude' && checkpoints.some((c) => c.ttl === '1h') && !spec.ttls.includes('1h')) {
    deferCacheError(2, failure(T.extendedTtlNotSupported));
  }
  const [firstCacheError] = [...cacheErrors].sort((a, b) => a.rank - b.rank);
  if (firstCacheError) return firstCacheError.error;

  if (checkpoints.length > 4) return modelError(T.tooManyCheckpoints(checkpoints.length));
  const ttlError = checkTtlOrder(checkpoints);
  if (ttlError) return modelError(`${ttlError.modelPath}.cache_control.ttl: ${T.ttlOrder}`);

  return checkFinalAssistant(messages, spec) ?? { ok: true };
}

/** The first `1h` checkpoint that follows a `5m` one in prefix order (shared doc §1), if any. */
export function checkTtlOrder<C extends { ttl: CacheTtl }>(checkpoints: readonly C[]): C | undefined {
  let seenShort = false;
  for (const checkpoint of checkpoints) {
    if (checkpoint.ttl === '5m') seenShort = true;
    else if (seenShort) return checkpoint;
  }
  return undefined;
}
