import { BEDROCK_ERROR_TEXT as T, failure } from './errors.js';
import { asArray, isRecord } from './json-utils.js';
import { lookupModelSpec } from './models.js';
import { checkTtlOrder, type ValidateOptions } from './validate-converse.js';
import type { CacheTtl, EmulatorModelSpec, ValidationFailure, ValidationResult } from './types.js';

/** The only `anthropic_version` Bedrock accepts (shared doc §5). */
export const BEDROCK_ANTHROPIC_VERSION = 'bedrock-2023-05-31';

/** Block types that can never carry `cache_control` (shared doc §5). */
const THINKING_TYPES = new Set(['thinking', 'redacted_thinking']);

interface SeenCacheControl {
  ttl: CacheTtl;
  path: string;
}

/**
 * Checks one block's `cache_control` (shared doc §5: `{type: "ephemeral", ttl?}`) and records it.
 * Returns an error for an invalid value, and for a 1h TTL on a Claude without extended TTL
 * (shared doc §1 2026-12). `tag` is the block's union tag in Anthropic's validation paths
 * (`text`, `custom` for a tool …; none for system blocks, a guess).
 */
function checkCacheControl(
  block: Record<string, unknown>,
  path: string,
  tag: string | undefined,
  seen: SeenCacheControl[],
  spec: EmulatorModelSpec,
): ValidationFailure | undefined {
  const cacheControl = block.cache_control;
  if (cacheControl === undefined || cacheControl === null) return undefined;
  if (typeof block.type === 'string' && THINKING_TYPES.has(block.type)) {
    return failure(T.anthropicExtraInput(`${path}.${block.type}.cache_control`));
  }
  if (!isRecord(cacheControl) || cacheControl.type !== 'ephemeral') {
    return failure(T.anthropicLiteral(`${path}.cache_control.type`, ['ephemeral']));
  }
  if (cacheControl.ttl !== undefined && cacheControl.ttl !== '5m' && cacheControl.ttl !== '1h') {
    return failure(T.anthropicLiteral(`${path}.cache_control.ttl`, ['5m', '1h']));
  }
  if (cacheControl.ttl === '1h' && spec.caching && !spec.ttls.includes('1h')) {
    return failure(T.ttlNotPermitted(tag === undefined ? path : `${path}.${tag}`));
  }
  seen.push({ ttl: (cacheControl.ttl as CacheTtl | undefined) ?? '5m', path: `${path}.cache_control.ttl` });
  return undefined;
}

/** Ids of `type` blocks (`tool_use` → id, `tool_result` → tool_use_id) in a content array. */
function idsOf(content: readonly unknown[], type: 'tool_use' | 'tool_result'): string[] {
  return content.flatMap((block) =>
    isRecord(block) && block.type === type ? [String(type === 'tool_use' ? block.id : block.tool_use_id)] : [],
  );
}

/**
 * Validates an InvokeModel / InvokeModelWithResponseStream body in the Anthropic Messages
 * format (shared doc §5) as Bedrock + Claude answer it: the model id, required keys, no
 * top-level `cache_control`, `cache_control` values (none on thinking blocks, no 1h on a
 * Claude without extended TTL), conversation rules, caching support, the 4-checkpoint limit
 * and the TTL order. Returns `{ ok: true }` or Bedrock's error.
 *
 * Not enforced, for want of evidence: a `cache_control` on a `document` block. The
 * `/anthropic` sub-provider sends PDFs and `text/plain` files as documents that may carry one
 * (@ai-sdk/anthropic convert-to-anthropic-messages-prompt.ts) and throws on other text
 * formats before sending; every recorded "Field required" rejection is on Converse, where
 * Bedrock itself converts the document (shared doc §1).
 */
export function validateAnthropicRequest(modelId: string, body: unknown, options: ValidateOptions = {}): ValidationResult {
  const spec = lookupModelSpec(modelId, options.models, options);
  if (!spec) return failure(T.invalidModelId);
  if (!isRecord(body)) return failure(T.requiredKey('#', 'messages'));
  if (spec.family !== 'claude') return failure(T.extraneousKey('#', 'anthropic_version'));
  if (body.anthropic_version === undefined) return failure(T.requiredKey('#', 'anthropic_version'));
  if (body.anthropic_version !== BEDROCK_ANTHROPIC_VERSION) {
    return failure(`Malformed input request: #/anthropic_version: ${String(body.anthropic_version)} is not a valid enum value, please reformat your input and try again.`);
  }
  if (typeof body.max_tokens !== 'number') return failure(T.requiredKey('#', 'max_tokens'));
  const messages = asArray(body.messages);
  if (messages === undefined) return failure(T.requiredKey('#', 'messages'));
  // shared doc §5 2026-12: Anthropic's automatic (top-level) caching is not supported on Bedrock.
  if (body.cache_control !== undefined) return failure(T.topLevelCacheControl);

  const seen: SeenCacheControl[] = [];

  for (const [i, tool] of (asArray(body.tools) ?? []).entries()) {
    if (!isRecord(tool)) return failure(T.anthropicExtraInput(`tools.${i}`));
    const error = checkCacheControl(tool, `tools.${i}`, typeof tool.type === 'string' ? tool.type : 'custom', seen, spec);
    if (error) return error;
  }

  if (Array.isArray(body.system)) {
    for (const [i, block] of body.system.entries()) {
      if (!isRecord(block) || block.type !== 'text') return failure(T.anthropicLiteral(`system.${i}.type`, ['text']));
      if (String(block.text ?? '') === '') return failure(T.anthropicEmptyText.replace('messages', 'system'));
      const error = checkCacheControl(block, `system.${i}`, undefined, seen, spec);
      if (error) return error;
    }
  } else if (body.system !== undefined && typeof body.system !== 'string') {
    return failure(T.anthropicLiteral('system', ['string', 'array']));
  }

  const normalized: Array<{ role: string; content: unknown[] }> = [];
  for (const [i, message] of messages.entries()) {
    if (!isRecord(message) || (message.role !== 'user' && message.role !== 'assistant')) {
      return failure(T.anthropicLiteral(`messages.${i}.role`, ['user', 'assistant']));
    }
    const isFinalAssistant = i === messages.length - 1 && message.role === 'assistant';
    const content =
      typeof message.content === 'string'
        ? message.content === ''
          ? []
          : [{ type: 'text', text: message.content }]
        : asArray(message.content);
    if (content === undefined) return failure(T.anthropicLiteral(`messages.${i}.content`, ['string', 'array']));
    if (content.length === 0 && !isFinalAssistant) return failure(T.anthropicEmptyContent(i));
    for (const [j, block] of content.entries()) {
      const path = `messages.${i}.content.${j}`;
      if (!isRecord(block) || typeof block.type !== 'string') return failure(T.anthropicLiteral(`${path}.type`, ['text']));
      if (block.type === 'text' && String(block.text ?? '') === '') return failure(T.anthropicEmptyText);
      const error = checkCacheControl(block, path, block.type, seen, spec);
      if (error) return error;
    }
    normalized.push({ role: message.role, content });
  }

  const first = normalized[0];
  if (first === undefined || first.role !== 'user') return failure(T.anthropicFirstUser);
  for (let i = 1; i < normalized.length; i++) {
    const role = normalized[i]?.role ?? '';
    if (role === normalized[i - 1]?.role) return failure(T.anthropicAlternate(role));
  }
  for (let i = 0; i < normalized.length; i++) {
    const message = normalized[i];
    if (message === undefined || message.role !== 'user') continue;
    const expected = i > 0 ? idsOf(normalized[i - 1]?.content ?? [], 'tool_use') : [];
    const results = idsOf(message.content, 'tool_result');
    const unexpected = results.filter((id) => !expected.includes(id));
    if (unexpected.length > 0) {
      const j = message.content.findIndex((b) => isRecord(b) && b.type === 'tool_result' && unexpected.includes(String(b.tool_use_id)));
      return failure(T.unexpectedToolResult(`messages.${i}.content.${j}`, unexpected));
    }
    const missing = expected.filter((id) => !results.includes(id));
    if (missing.length > 0) return failure(T.toolUseWithoutResult(i - 1, missing));
  }
  const lastIndex = normalized.length - 1;
  const last = normalized[lastIndex];
  if (last?.role === 'assistant') {
    const pending = idsOf(last.content, 'tool_use');
    if (pending.length > 0) return failure(T.toolUseWithoutResult(lastIndex, pending));
    const finalBlock = last.content.at(-1);
    if (isRecord(finalBlock) && finalBlock.type === 'text' && /\s$/.test(String(finalBlock.text))) {
      return failure(T.trailingWhitespace);
    }
  }

  if (seen.length > 0 && !spec.caching) return failure(T.unsupportedModel);
  if (seen.length > 4) return failure(T.tooManyCheckpoints(seen.length));
  const outOfOrder = checkTtlOrder(seen);
  if (outOfOrder) return failure(`${outOfOrder.path}: ${T.ttlOrder}`);
  return { ok: true };
}
