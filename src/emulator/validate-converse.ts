import { BEDROCK_ERROR_TEXT as T, failure } from './errors.js';
import { asArray, asString, isRecord } from './json-utils.js';
import { lookupModelSpec } from './models.js';
import type { CacheTtl, EmulatorModelOverride, EmulatorModelSpec, ValidationFailure, ValidationResult } from './types.js';

/**
 * Members of Converse's ContentBlock union, in the order Bedrock lists them in its "can only
 * set one of the following keys" text (up to guardContent, as before). `audio` (2025-12),
 * `toolAddition` and `toolRemoval` (2026-07) are accepted (shared doc §1 2026-12; shapes in
 * @aws-sdk/client-bedrock-runtime's ContentBlock); their place in Bedrock's list is a guess.
 */
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
  'audio',
  'toolAddition',
  'toolRemoval',
] as const;
const SYSTEM_KEYS = ['text', 'guardContent', 'cachePoint'] as const;
const TOOL_KEYS = ['toolSpec', 'systemTool', 'cachePoint'] as const;

/**
 * Message roles (the AWS SDK's ConversationRole: user, assistant and, since toolAddition /
 * toolRemoval, system). How a `system` message mid-conversation counts for the alternation
 * rules is not documented: the emulator leaves such messages out of them (a guess).
 */
const ROLES = ['user', 'assistant', 'system'] as const;

/**
 * Document formats Bedrock extracts as text; a checkpoint directly after one fails with
 * "…content.M.type: Field required" (shared doc §1 2026-12: aws/aws-sdk-java-v2 #6277,
 * strands-agents/harness-sdk #1966). After a `pdf` (or an image) a checkpoint is fine.
 */
const TEXT_EXTRACTED_FORMATS = new Set(['csv', 'txt', 'md', 'html', 'doc', 'docx', 'xls', 'xlsx']);

/**
 * A text Bedrock calls blank: empty. A whitespace-only text is accepted: a recorded real
 * request with `{"text": "\n"}` in a message got 200 (Pydantic AI's
 * `test_bedrock_cache_write_and_read` cassette).
 */
const isBlank = (text: unknown): boolean => String(text) === '';

/**
 * The Anthropic block type a Converse block becomes (the union tag in model-side error paths).
 * Only `text` is recorded (BerriAI/litellm #34248: `messages.0.content.0.text.cache_control…`);
 * the other tags are Anthropic's block type names by analogy (a guess).
 */
function anthropicType(block: unknown): string {
  if (!isRecord(block)) return 'text';
  if (block.toolUse !== undefined) return 'tool_use';
  if (block.toolResult !== undefined) return 'tool_result';
  if (block.reasoningContent !== undefined) return 'thinking';
  if (block.searchResult !== undefined) return 'search_result';
  for (const key of ['image', 'document', 'text']) if (block[key] !== undefined) return key;
  return 'text';
}

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
  /** As in `BedrockEmulatorOptions.acceptUnknownModels`. */
  acceptUnknownModels?: boolean;
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

/** A message of the request, with its index in `messages`. */
interface Turn {
  index: number;
  role: string;
  content: unknown[];
}

/** Conversation rules a real Bedrock applies before caching matters (over user / assistant turns). */
function checkConversation(turns: readonly Turn[], hasToolConfig: boolean): ValidationFailure | undefined {
  const first = turns[0];
  if (first === undefined || first.role !== 'user') return failure(T.startWithUser);
  for (let i = 1; i < turns.length; i++) {
    if (turns[i]?.role === turns[i - 1]?.role) return failure(T.alternate);
  }
  const usesTools = turns.some((m) => toolUseIds(m.content).length + toolResultIds(m.content).length > 0);
  if (usesTools && !hasToolConfig) return failure(T.toolConfigMissing);
  for (let i = 0; i < turns.length; i++) {
    const message = turns[i];
    if (message === undefined || message.role !== 'user') continue;
    const previous = i > 0 ? turns[i - 1] : undefined;
    const expected = previous ? toolUseIds(previous.content) : [];
    const results = toolResultIds(message.content);
    if (results.length > expected.length) return failure(T.tooManyToolResults(message.index));
    const missing = expected.filter((id) => !results.includes(id));
    if (missing.length > 0) return failure(T.missingToolResults(message.index, missing));
  }
  return undefined;
}

/** Rules the model raises for a final assistant message (prefill). */
function checkFinalAssistant(turns: readonly Turn[], spec: EmulatorModelSpec): ValidationFailure | undefined {
  const last = turns.at(-1);
  if (last === undefined || last.role !== 'assistant') return undefined;
  const pending = toolUseIds(last.content);
  if (pending.length > 0) return modelError(T.toolUseWithoutResult(last.index, pending));
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
 * Order of checks (first failure wins): the model id → request shape and union keys
 * (`cachePoint` beside `text`, invalid `type` / `ttl`, blank text, empty content) →
 * conversation rules (start with user, alternation, toolConfig, toolResult ↔ toolUse) →
 * caching support of the model → Nova rules → nothing to cache → after a reasoning block →
 * the model's own schema errors, first in prefix order (a checkpoint after a text-extracted
 * document, a 1h TTL on a Claude without extended TTL) → more than 4 checkpoints → TTL order
 * → final-assistant rules. Bedrock's own checks come before the ones the model raises (those
 * texts carry "The model returned the following errors:"); the relative order of unrelated
 * errors is otherwise the emulator's choice.
 */
export function validateConverseRequest(modelId: string, body: unknown, options: ValidateOptions = {}): ValidationResult {
  const spec = lookupModelSpec(modelId, options.models, options);
  if (!spec) return failure(T.invalidModelId);
  if (!isRecord(body)) return failure(T.serialization, 'SerializationException');

  const checkpoints: SeenCheckpoint[] = [];
  const cacheErrors: Array<{ rank: number; error: ValidationFailure }> = [];
  const deferCacheError = (rank: number, error: ValidationFailure) => cacheErrors.push({ rank, error });
  /** Errors of the model's own request schema, in prefix order (the first is reported). */
  const schemaErrors: ValidationFailure[] = [];
  // shared doc §1 2026-12: a 1h TTL on a Claude without extended TTL is rejected, not downgraded.
  const rejectsExtendedTtl = spec.family === 'claude' && spec.caching && !spec.ttls.includes('1h');
  const checkTtl = (ttl: CacheTtl, blockPath: string) => {
    if (ttl === '1h' && rejectsExtendedTtl) schemaErrors.push(modelError(T.ttlNotPermitted(blockPath)));
  };

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
    const modelPath = `tools.${Math.max(0, toolCount - 1)}`;
    // BerriAI/litellm #15880: a custom tool's path carries the union tag `custom`.
    checkTtl(checked.ttl, `${modelPath}.custom`);
    checkpoints.push({ ttl: checked.ttl, modelPath, section: 'tools' });
  }

  // system
  const system = body.system === undefined ? [] : asArray(body.system);
  if (system === undefined) return failure(T.notNull('system'));
  let systemCount = 0;
  for (const [i, block] of system.entries()) {
    const checked = checkUnionBlock(block, 'SystemContentBlock', `system.${i}`, `system.${i + 1}`, SYSTEM_KEYS);
    if ('ok' in checked) return checked;
    if (checked.key === 'text' && isRecord(block) && isBlank(block.text)) {
      return failure(T.blankText(`system.${i}`).replace('ContentBlock', 'SystemContentBlock'));
    }
    if (checked.ttl === undefined) {
      systemCount++;
      continue;
    }
    if (systemCount === 0) deferCacheError(3, failure(T.nothingToCache));
    const modelPath = `system.${Math.max(0, systemCount - 1)}`;
    // System blocks are all text: no union tag in the path (a guess; no recorded text).
    checkTtl(checked.ttl, modelPath);
    checkpoints.push({ ttl: checked.ttl, modelPath, section: 'system' });
  }

  // messages
  const rawMessages = asArray(body.messages);
  if (rawMessages === undefined) return failure(T.notNull('messages'));
  const turns: Turn[] = [];
  for (const [i, message] of rawMessages.entries()) {
    if (!isRecord(message)) return failure(T.notNull(`messages.${i + 1}.member`));
    const role = asString(message.role);
    if (role === undefined || !ROLES.some((known) => known === role)) {
      return failure(T.enumValue(message.role, `messages.${i + 1}.member.role`, ROLES));
    }
    const content = asArray(message.content);
    if (content === undefined) return failure(T.notNull(`messages.${i + 1}.member.content`));
    if (content.length === 0) return failure(T.emptyContent(i));
    let blockCount = 0;
    // shared doc §1 2026-12: documents don't count as content to cache (opencode #17300).
    let cacheableCount = 0;
    let previousBlock: unknown;
    for (const [j, block] of content.entries()) {
      const path = `messages.${i}.content.${j}`;
      const checked = checkUnionBlock(block, 'ContentBlock', path, `messages.${i + 1}.member.content.${j + 1}`, CONTENT_KEYS);
      if ('ok' in checked) return checked;
      if (checked.key === 'text' && isRecord(block) && isBlank(block.text)) {
        return failure(T.blankText(path));
      }
      if (checked.ttl === undefined) {
        blockCount++;
        if (checked.key !== 'document') cacheableCount++;
        previousBlock = block;
        continue;
      }
      const closedIndex = Math.max(0, blockCount - 1);
      if (cacheableCount === 0) deferCacheError(3, failure(T.nothingToCache));
      const previous = content[j - 1];
      if (isRecord(previous) && previous.reasoningContent !== undefined) deferCacheError(4, failure(T.afterReasoning));
      if (spec.messageCheckpoints === 'reject') {
        // Contested Nova 2 Lite reading (shared doc §3; zeroclaw-labs/zeroclaw #8720): the path
        // names the block the checkpoint attaches to.
        deferCacheError(1, modelError(T.extraneousKey(`#/messages/${i}/content/${closedIndex}`, 'cachePoint')));
      }
      const document = isRecord(previous) && isRecord(previous.document) ? previous.document : undefined;
      if (document && TEXT_EXTRACTED_FORMATS.has(String(document.format))) {
        // M is the cachePoint's own index in the Converse array (aws/aws-sdk-java-v2 #6277).
        schemaErrors.push(modelError(T.fieldRequired(`${path}.type`)));
      }
      const modelPath = `messages.${i}.content.${closedIndex}`;
      checkTtl(checked.ttl, `${modelPath}.${anthropicType(previousBlock)}`);
      checkpoints.push({ ttl: checked.ttl, modelPath, section: 'messages' });
    }
    turns.push({ index: i, role, content });
  }

  const conversation = turns.filter((turn) => turn.role !== 'system');
  const conversationError = checkConversation(conversation, tools !== undefined && tools.length > 0);
  if (conversationError) return conversationError;

  if (checkpoints.length > 0 && !spec.caching) return failure(T.unsupportedModel);
  if (spec.family !== 'claude' && checkpoints.some((c) => c.ttl === '1h') && !spec.ttls.includes('1h')) {
    // shared doc §1 2026-12 (earendil-works/pi #1570): Nova's text.
    deferCacheError(2, failure(T.extendedTtlNotSupported));
  }
  const [firstCacheError] = [...cacheErrors].sort((a, b) => a.rank - b.rank);
  if (firstCacheError) return firstCacheError.error;
  const [firstSchemaError] = schemaErrors;
  if (firstSchemaError) return firstSchemaError;

  if (checkpoints.length > 4) return modelError(T.tooManyCheckpoints(checkpoints.length));
  const ttlError = checkTtlOrder(checkpoints);
  if (ttlError) return modelError(`${ttlError.modelPath}.cache_control.ttl: ${T.ttlOrder}`);

  return checkFinalAssistant(conversation, spec) ?? { ok: true };
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
