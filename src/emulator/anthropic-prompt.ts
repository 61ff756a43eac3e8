import { asArray, asString, isRecord, type JsonRecord } from './json-utils.js';
import { effectiveTtl, PromptLayoutBuilder, type HiddenTokenOptions, type HiddenTokens, type PromptLayout } from './prompt-layout.js';
import {
  base64ByteLength,
  countJsonTokens,
  countImageTokens,
  countMediaTokens,
  countRequestOverhead,
  countTextTokens,
  S3_MEDIA_TOKENS,
  TOOL_BLOCK_OVERHEAD_TOKENS,
  type ToolChoiceKind,
} from './tokenizer.js';
import type { CacheTtl, EmulatorModelSpec } from './types.js';

/** Tokens of an Anthropic `source` (`base64`, `text`, `url` …). */
function sourceTokens(kind: 'image' | 'document', source: unknown): number {
  if (!isRecord(source)) return S3_MEDIA_TOKENS;
  if (source.type === 'text') return countTextTokens(asString(source.data) ?? '');
  if (source.type === 'base64' && typeof source.data === 'string') {
    if (kind === 'document' && String(source.media_type).startsWith('text/')) {
      return countTextTokens(Buffer.from(source.data, 'base64').toString('utf8'));
    }
    if (kind === 'image') return countImageTokens(source.data);
    return countMediaTokens(kind, base64ByteLength(source.data));
  }
  return S3_MEDIA_TOKENS;
}

/** Tokens of one Anthropic Messages content block (see tokenizer.ts for the rules). */
export function countAnthropicBlockTokens(block: unknown): number {
  if (!isRecord(block)) return countJsonTokens(block);
  switch (block.type) {
    case 'text':
      return countTextTokens(asString(block.text) ?? '');
    case 'image':
      return sourceTokens('image', block.source);
    case 'document':
      return sourceTokens('document', block.source) + countTextTokens(asString(block.title) ?? '');
    case 'tool_use':
      return countTextTokens(asString(block.name) ?? '') + countJsonTokens(block.input ?? {});
    case 'tool_result': {
      if (typeof block.content === 'string') return countTextTokens(block.content);
      return (asArray(block.content) ?? []).reduce<number>((sum, item) => sum + countAnthropicBlockTokens(item), 0);
    }
    case 'thinking':
      return countTextTokens(asString(block.thinking) ?? '');
    case 'redacted_thinking':
      return Math.ceil(base64ByteLength(asString(block.data) ?? '') / 4);
    default:
      return countJsonTokens(block);
  }
}

/** A block's checkpoint TTL if it carries a `cache_control` (`effectiveTtl`). */
function checkpointTtl(block: unknown, spec: EmulatorModelSpec): CacheTtl | undefined {
  if (!isRecord(block) || !isRecord(block.cache_control)) return undefined;
  return effectiveTtl(block.cache_control.ttl, spec);
}

/** The block without its `cache_control` (a checkpoint is not part of the cached content). */
function withoutCacheControl(block: unknown): unknown {
  if (!isRecord(block)) return block;
  const { cache_control: _ignored, ...rest } = block;
  return rest;
}

/** The hidden tokens of an Anthropic Messages request (the tokenizer's rules), keyed by its tool choice. */
function hiddenTokens(body: JsonRecord, spec: EmulatorModelSpec, modelId: string | undefined): HiddenTokens {
  const hasTools = (asArray(body.tools) ?? []).length > 0;
  const type = isRecord(body.tool_choice) ? body.tool_choice.type : undefined;
  const toolChoice: ToolChoiceKind = type === 'any' || type === 'tool' || type === 'none' ? type : 'auto';
  const overhead = countRequestOverhead(spec.family, { hasTools, toolChoice, ...(modelId === undefined ? {} : { modelId }) });
  return { ...overhead, beforeMessagesKey: hasTools ? `tool-choice:${toolChoice}` : '' };
}

/**
 * Reads a (validated) Anthropic Messages body into the cache's view. A `cache_control`
 * closes the block that carries it (shared doc §5), so the checkpoint goes right after it.
 * With `hidden`, also the request's hidden tokens (`hidden.modelId` picks the Claude
 * generation's figures).
 */
export function readAnthropicPrompt(body: JsonRecord, spec: EmulatorModelSpec, hidden?: HiddenTokenOptions): PromptLayout {
  const builder = new PromptLayoutBuilder(hidden && hiddenTokens(body, spec, hidden.modelId));
  // Tool calls and results cost framing tokens beyond their content (tokenizer.ts), hidden ones too.
  const toolBlockOverhead = hidden ? TOOL_BLOCK_OVERHEAD_TOKENS : 0;
  for (const tool of asArray(body.tools) ?? []) {
    const clean = withoutCacheControl(tool);
    builder.addBlock('tools', clean, countJsonTokens(clean));
    const ttl = checkpointTtl(tool, spec);
    if (ttl) builder.addCheckpoint('tools', ttl);
  }
  const system = typeof body.system === 'string' ? [{ type: 'text', text: body.system }] : (asArray(body.system) ?? []);
  for (const block of system) {
    builder.addBlock('system', withoutCacheControl(block), countAnthropicBlockTokens(block));
    const ttl = checkpointTtl(block, spec);
    if (ttl) builder.addCheckpoint('system', ttl);
  }
  for (const message of asArray(body.messages) ?? []) {
    if (!isRecord(message)) continue;
    builder.startMessage();
    const role = String(message.role);
    const content = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : (asArray(message.content) ?? []);
    for (const block of content) {
      const framing = isRecord(block) && (block.type === 'tool_use' || block.type === 'tool_result') ? toolBlockOverhead : 0;
      builder.addMessageBlock(role, withoutCacheControl(block), countAnthropicBlockTokens(block) + framing);
      const ttl = checkpointTtl(block, spec);
      if (ttl) builder.addCheckpoint('messages', ttl);
    }
  }
  return builder.build();
}
