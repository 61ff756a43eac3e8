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
import type { EmulatorModelSpec } from './types.js';

const TEXT_DOCUMENT_FORMATS = new Set(['txt', 'md', 'csv', 'html']);

/** Tokens of a Converse media block (`image` / `document` / `video`) from its source. */
function mediaTokens(kind: 'image' | 'document' | 'video' | 'audio', media: JsonRecord): number {
  const source = isRecord(media.source) ? media.source : {};
  const bytes = source.bytes;
  const nameTokens = kind === 'document' ? countTextTokens(asString(media.name) ?? '') : 0;
  if (typeof bytes !== 'string') return nameTokens + (source.text !== undefined ? countTextTokens(String(source.text)) : S3_MEDIA_TOKENS);
  if (kind === 'document' && TEXT_DOCUMENT_FORMATS.has(String(media.format))) {
    return nameTokens + countTextTokens(Buffer.from(bytes, 'base64').toString('utf8'));
  }
  if (kind === 'image') return countImageTokens(bytes);
  return nameTokens + countMediaTokens(kind, base64ByteLength(bytes));
}

/** Tokens of one Converse content block (see tokenizer.ts for the rules). */
export function countConverseBlockTokens(block: unknown): number {
  if (!isRecord(block)) return countJsonTokens(block);
  if (typeof block.text === 'string') return countTextTokens(block.text);
  if (isRecord(block.image)) return mediaTokens('image', block.image);
  if (isRecord(block.document)) return mediaTokens('document', block.document);
  if (isRecord(block.video)) return mediaTokens('video', block.video);
  // (toolAddition / toolRemoval: the JSON rule below.)
  if (isRecord(block.audio)) return mediaTokens('audio', block.audio);
  if (isRecord(block.guardContent)) {
    // Provider 5 sends a text or image part marked `guardContent` as `{guardContent: {text: {text,
    // qualifiers}}}` / `{guardContent: {image}}` (convert-to-amazon-bedrock-chat-messages.ts); the
    // model reads it as that text or image, so it costs the same (not measured: no recording).
    const guarded = block.guardContent;
    if (isRecord(guarded.text)) return countTextTokens(asString(guarded.text.text) ?? '');
    if (isRecord(guarded.image)) return mediaTokens('image', guarded.image);
  }
  if (isRecord(block.toolUse)) {
    return countTextTokens(asString(block.toolUse.name) ?? '') + countJsonTokens(block.toolUse.input ?? {});
  }
  if (isRecord(block.toolResult)) {
    const content = asArray(block.toolResult.content) ?? [];
    return content.reduce<number>(
      (sum, item) => sum + (isRecord(item) && item.json !== undefined ? countJsonTokens(item.json) : countConverseBlockTokens(item)),
      0,
    );
  }
  if (isRecord(block.reasoningContent)) {
    const reasoning = block.reasoningContent;
    if (isRecord(reasoning.reasoningText)) return countTextTokens(asString(reasoning.reasoningText.text) ?? '');
    const redacted = asString(reasoning.redactedContent) ?? '';
    return Math.ceil(base64ByteLength(redacted) / 4);
  }
  return countJsonTokens(block);
}

/** A tool call or tool result, which costs framing tokens beyond its content (tokenizer.ts). */
const isToolBlock = (block: unknown): boolean => isRecord(block) && (block.toolUse !== undefined || block.toolResult !== undefined);

/** The hidden tokens of a Converse request (the tokenizer's rules), keyed by its tool choice. */
function hiddenTokens(toolConfig: JsonRecord, spec: EmulatorModelSpec, modelId: string | undefined): HiddenTokens | undefined {
  const tools = (asArray(toolConfig.tools) ?? []).filter((tool) => isRecord(tool) && tool.cachePoint === undefined);
  const choice = isRecord(toolConfig.toolChoice) ? toolConfig.toolChoice : {};
  const toolChoice: ToolChoiceKind = choice.tool !== undefined ? 'tool' : choice.any !== undefined ? 'any' : 'auto';
  const overhead = countRequestOverhead(spec.family, { hasTools: tools.length > 0, toolChoice, ...(modelId === undefined ? {} : { modelId }) });
  if (spec.family === 'nova') {
    // Nova's tool prompt sits with the tools, ahead of the system blocks: a system checkpoint
    // caches it (recorded: Pydantic AI's test_bedrock_single_tool_choice_preserves_cache[nova],
    // 22 uncached tokens of a request whose tool prompt is ~350), and its tool choice is keyed
    // on the first tool (above).
    return { leading: overhead.leading + overhead.beforeMessages, beforeMessages: 0, trailing: overhead.trailing, beforeMessagesKey: '' };
  }
  return { ...overhead, beforeMessagesKey: tools.length > 0 ? `tool-choice:${toolChoice}` : '' };
}

/**
 * Reads a (validated) Converse body into the cache's view: tool definitions, system blocks
 * and message blocks in prefix order, with the checkpoints between them. With `hidden`, also
 * the request's hidden tokens (`hidden.modelId` picks the Claude generation's figures).
 */
export function readConversePrompt(body: JsonRecord, spec: EmulatorModelSpec, hidden?: HiddenTokenOptions): PromptLayout {
  const toolConfig = isRecord(body.toolConfig) ? body.toolConfig : {};
  const builder = new PromptLayoutBuilder(hidden && hiddenTokens(toolConfig, spec, hidden.modelId));
  const toolBlockOverhead = hidden ? TOOL_BLOCK_OVERHEAD_TOKENS : 0;
  // Recorded (Pydantic AI's test_bedrock_single_tool_choice_preserves_cache cassettes): on Nova
  // the tool choice is part of the cached prefix (changing it writes again); on Claude it isn't.
  let toolChoice = spec.family === 'nova' ? toolConfig.toolChoice : undefined;
  for (const tool of asArray(toolConfig.tools) ?? []) {
    if (isRecord(tool) && isRecord(tool.cachePoint)) builder.addCheckpoint('tools', effectiveTtl(tool.cachePoint.ttl, spec));
    else {
      builder.addBlock('tools', toolChoice === undefined ? tool : { tool, toolChoice }, countJsonTokens(tool));
      toolChoice = undefined;
    }
  }
  for (const block of asArray(body.system) ?? []) {
    if (isRecord(block) && isRecord(block.cachePoint)) builder.addCheckpoint('system', effectiveTtl(block.cachePoint.ttl, spec));
    else builder.addBlock('system', block, countConverseBlockTokens(block));
  }
  for (const message of asArray(body.messages) ?? []) {
    if (!isRecord(message)) continue;
    builder.startMessage();
    const role = String(message.role);
    for (const block of asArray(message.content) ?? []) {
      if (isRecord(block) && isRecord(block.cachePoint)) builder.addCheckpoint('messages', effectiveTtl(block.cachePoint.ttl, spec));
      else builder.addMessageBlock(role, block, countConverseBlockTokens(block) + (isToolBlock(block) ? toolBlockOverhead : 0));
    }
  }
  return builder.build();
}
