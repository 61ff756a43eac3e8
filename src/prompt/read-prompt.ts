import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import type { BedrockApi, ModelProfile } from '../model/model-profile';
import type { CacheTtl } from '../model/model-table';
import {
  CLAUDE_TOOL_TOKENS,
  estimatePartTokens,
  estimateTextTokens,
  estimateToolTokens,
  type PromptPart,
} from './estimate-tokens';

/**
 * A plain-data view of a prompt as the Bedrock provider will put it on the wire:
 * where a checkpoint could go, which of those places Bedrock would accept, and
 * which checkpoints the caller already placed. Everything the planner decides on.
 */
export interface PromptLayout {
  /** The last function tool, where a tools checkpoint goes. */
  toolSlot: Slot | undefined;
  /** The last system message, where a system checkpoint goes. */
  systemSlot: Slot | undefined;
  /** One slot per non-system message, in prompt order (`index` is the prompt index). */
  messageSlots: Slot[];
  /**
   * Position in `messageSlots` of the last assistant turn that a user or tool message
   * follows (a trailing prefill is part of this request): the previous request ended
   * just before it.
   */
  lastAssistantSlot: number | undefined;
  /** The caller's own checkpoints, in prefix order. */
  existing: ExistingCheckpoint[];
  /**
   * Checkpoints written under the other API's key, which the provider ignores
   * (`anthropic.cacheControl` on a Converse model, `bedrock.cachePoint` on InvokeModel).
   */
  misplaced: number;
  /** Messages, counting the system prompt as one (for `minMessagesToCache`). */
  messageCount: number;
}

export interface Slot {
  section: 'tools' | 'system' | 'messages';
  /** Tool index, or prompt message index. */
  index: number;
  /** Position in the cached prefix (tools → system → messages); orders checkpoints. */
  ordinal: number;
  /**
   * Estimated cumulative prompt tokens up to here (generous; see estimate-tokens). It only
   * decides whether the prefix reaches the model's minimum, so it stops growing once it
   * does: past `profile.minTokens` it is a lower bound of the estimate, not the estimate.
   */
  tokens: number;
  /** Cumulative message content blocks up to here (for Bedrock's lookback window). */
  blocks: number;
  /** Why a checkpoint here would be rejected or dropped, or undefined when it's fine. */
  ineligible: string | undefined;
  /** The caller already has a checkpoint here. */
  occupied: boolean;
  /**
   * Set when a checkpoint at the message's end would be rejected but one after an earlier
   * part of the same message would not (a trailing text document): the part to mark.
   */
  partIndex?: number;
  /** The block right before a checkpoint here is a document (for recognising rejections). */
  afterDocument?: boolean;
}

/** Where a checkpoint is written in the AI SDK prompt. */
export type CheckpointLocation =
  | { section: 'tools'; tool: number }
  | { section: 'system' | 'messages'; message: number; part?: number };

export interface ExistingCheckpoint {
  ordinal: number;
  /** The TTLs the installed provider may send for it (two when keys disagree). */
  ttls: readonly CacheTtl[];
  at: CheckpointLocation;
}

type ProviderOptions = Record<string, Record<string, unknown> | undefined> | undefined;
type Tool = NonNullable<LanguageModelV3CallOptions['tools']>[number];
type Message = LanguageModelV3CallOptions['prompt'][number];

/** The TTLs of the caller's checkpoint in these provider options, or undefined if none. */
export function readCheckpoint(api: BedrockApi, providerOptions: ProviderOptions): CacheTtl[] | undefined {
  if (providerOptions == null) return undefined;
  const values =
    api === 'converse'
      ? [providerOptions?.bedrock?.cachePoint, providerOptions?.amazonBedrock?.cachePoint]
      : [providerOptions?.anthropic?.cacheControl ?? providerOptions?.anthropic?.cache_control];
  const ttls: CacheTtl[] = [];
  for (const value of values) {
    if (value == null || value === false) continue;
    const ttl = (value as { ttl?: unknown }).ttl === '1h' ? '1h' : '5m';
    if (!ttls.includes(ttl)) ttls.push(ttl);
  }
  return ttls.length > 0 ? ttls : undefined;
}

/** The caller's checkpoints under the key the *other* API reads, which the provider ignores. */
function misplacedCheckpoint(api: BedrockApi, providerOptions: ProviderOptions): boolean {
  if (providerOptions == null) return false;
  return api === 'converse'
    ? providerOptions.anthropic?.cacheControl != null || providerOptions.anthropic?.cache_control != null
    : providerOptions.bedrock?.cachePoint != null || providerOptions.amazonBedrock?.cachePoint != null;
}

/**
 * How a part appears on the Converse wire. Documents are told apart because Bedrock
 * treats them differently around a checkpoint (§1 2026-12): a `text-document` (csv, txt,
 * md, html, doc(x), xls(x): extracted as text) may not be directly followed by one
 * (aws/aws-sdk-java-v2 #6277, strands-agents/harness-sdk #1966), and no document counts
 * as content to cache before one (opencode #17300).
 */
type BlockKind = 'content' | 'document' | 'text-document' | 'tool' | 'reasoning' | 'none';

/**
 * The document kind of a user file part, as the provider converts it: images (and, on
 * provider 5, videos) are media blocks; PDFs are documents; every other media type
 * becomes a text-extracted document (provider 4 `BEDROCK_DOCUMENT_MIME_TYPES`, provider 5
 * also text file data → txt). An unknown type counts as a text document: the cautious side.
 */
function fileBlockKind(part: PromptPart): BlockKind {
  const mediaType = (part.mediaType ?? '').toLowerCase();
  if (mediaType.startsWith('image') || mediaType.startsWith('video')) return 'content';
  return mediaType === 'application/pdf' ? 'document' : 'text-document';
}

function hasReplayableReasoning(part: PromptPart): boolean {
  for (const key of ['bedrock', 'amazonBedrock']) {
    const meta = part.providerOptions?.[key];
    if (meta?.signature != null || meta?.redactedData != null || meta?.redactedContent != null) return true;
  }
  return false;
}

/** Mirrors convert-to-bedrock-chat-messages.ts of @ai-sdk/amazon-bedrock. */
function converseBlockKind(message: Message, part: PromptPart, toolsPresent: boolean, replaysReasoning: boolean): BlockKind {
  switch (part.type) {
    case 'text':
      // the provider drops blank assistant text unless reasoning must keep its order
      return message.role === 'assistant' && isBlank(part.text) && !replaysReasoning ? 'none' : 'content';
    case 'file':
      return message.role === 'assistant' ? 'none' : fileBlockKind(part);
    case 'reasoning':
      return hasReplayableReasoning(part) ? 'reasoning' : 'none';
    case 'tool-call':
      return message.role === 'assistant' && toolsPresent ? 'tool' : 'none';
    case 'tool-result':
      return message.role === 'tool' && toolsPresent ? 'tool' : 'none';
    default:
      return 'none';
  }
}

/**
 * True when the text is empty or only whitespace, as `!text.trim()` without making a trimmed
 * copy: a first character from `!` to U+009F (none is whitespace) settles it at once.
 */
function isBlank(text: string | undefined): boolean {
  if (!text) return true;
  const first = text.charCodeAt(0);
  return (first <= 0x20 || first >= 0xa0) && !/\S/.test(text);
}

/** Parts whose block carries `cache_control` in the Anthropic Messages API. */
const ANTHROPIC_CACHEABLE = new Set(['text', 'file', 'tool-call', 'tool-result']);

export function readPrompt(params: LanguageModelV3CallOptions, profile: ModelProfile): PromptLayout {
  const { api } = profile;
  const tools: readonly Tool[] = params.tools ?? [];
  const existing: ExistingCheckpoint[] = [];
  let ordinal = 0;
  let tokens = 0;
  // Estimates decide one thing: whether a prefix reaches the model's minimum. Once the
  // running total does, every later prefix does too, so estimating stops there (`tokens <
  // minTokens` guards each estimate) and reading a prompt costs time in proportion to its
  // number of parts, not to its size.
  const { minTokens } = profile;

  let misplaced = 0;
  // Reads a place's own checkpoint; its location object is made only when there is one (most
  // places have none, and a prompt has hundreds of places).
  const noteExisting = (providerOptions: ProviderOptions, section: Slot['section'], index: number, part?: number): boolean => {
    if (providerOptions == null) return false;
    if (misplacedCheckpoint(api, providerOptions)) misplaced++;
    const ttls = readCheckpoint(api, providerOptions);
    if (!ttls) return false;
    const at: CheckpointLocation =
      section === 'tools' ? { section, tool: index } : part === undefined ? { section, message: index } : { section, message: index, part };
    existing.push({ ordinal, ttls, at });
    return true;
  };

  let toolSlot: Slot | undefined;
  const claudeTools = profile.family === 'anthropic' && tools.length > 0;
  if (claudeTools) tokens += CLAUDE_TOOL_TOKENS.inPrefix;
  let beforeMessages = claudeTools ? CLAUDE_TOOL_TOKENS.beforeMessages : 0;
  for (let index = 0; index < tools.length; index++) {
    const tool = tools[index]!;
    ordinal++;
    if (tokens < minTokens) tokens += estimateToolTokens(tool.type === 'function' ? tool : { name: tool.name });
    if (tool.type === 'function') {
      const occupied = noteExisting(tool.providerOptions as ProviderOptions, 'tools', index);
      if (toolSlot) {
        toolSlot.index = index;
        toolSlot.ordinal = ordinal;
        toolSlot.occupied = occupied;
      } else toolSlot = { section: 'tools', index, ordinal, tokens, blocks: 0, ineligible: profile.cachesTools ? undefined : 'the model caches no tool definitions', occupied };
    }
  }
  // Tools after the last function tool can't carry a checkpoint but are still in the prefix.
  if (toolSlot) toolSlot.tokens = tokens;

  // Provider tools count too: the provider keeps tool parts only when the call has tools.
  const toolsPresent = tools.some((tool) => tool.type === 'function' || !tool.id.endsWith('web_search_20250305'));

  let systemSlot: Slot | undefined;
  const messageSlots: Slot[] = [];
  let lastAssistantSlot: number | undefined;
  let assistantSlot: number | undefined;
  let blocks = 0;
  let hasSystem = false;
  // Consecutive user/tool (and consecutive assistant) messages become one Bedrock message.
  let wireRole: 'user' | 'assistant' | undefined;
  // The current Bedrock message's slots are messageSlots[wireStart…].
  let wireStart = 0;
  let wireHasTools = false;
  // A block other than a document has been emitted in this Bedrock message (§1 2026-12).
  let wireHasCountable = false;
  const closeWireMessage = () => {
    if (wireHasTools && !profile.cachesToolTurns) {
      for (let i = wireStart; i < messageSlots.length; i++) messageSlots[i]!.ineligible ??= 'the model caches no message that holds tool uses or results';
    }
    wireStart = messageSlots.length;
    wireHasTools = false;
    wireHasCountable = false;
  };

  /** Why a Converse checkpoint right after a block of this kind would be rejected. */
  const rejectedAfter = (kind: BlockKind | undefined): string | undefined => {
    if (kind === undefined) return 'the message puts no content on the wire';
    if (kind === 'reasoning') return 'the message ends with a reasoning block';
    if (kind === 'text-document') return 'the message ends with a text document (csv, txt, md, html, doc, xls …)';
    if (!wireHasCountable) return 'only documents come before it in its message';
    return undefined;
  };

  const { prompt } = params;
  for (let index = 0; index < prompt.length; index++) {
    const message = prompt[index]!;
    if (message.role === 'system') {
      hasSystem = true;
      ordinal++;
      if (tokens < minTokens) tokens += estimateTextTokens(message.content, minTokens - tokens);
      systemSlot = {
        section: 'system',
        index,
        ordinal,
        tokens,
        blocks: 0,
        ineligible: isBlank(message.content) ? 'the system message is empty' : undefined,
        occupied: noteExisting(message.providerOptions as ProviderOptions, 'system', index),
      };
      continue;
    }

    tokens += beforeMessages; // the tool-use prompt, once, before the first message
    beforeMessages = 0;
    const role = message.role === 'tool' ? 'user' : message.role;
    if (role !== wireRole) closeWireMessage();
    wireRole = role;

    const parts = message.content as PromptPart[];
    const replaysReasoning = message.role === 'assistant' && parts.some((part) => part.type === 'reasoning' && hasReplayableReasoning(part));
    let lastEmitted: BlockKind | undefined;
    let checkpointSinceLastBlock = false;
    let emitted = 0;
    // The last part after which a checkpoint would be accepted, in case the message's end
    // can't take one (plain variables: one object per part would be garbage on every call).
    let fallbackPart: number | undefined;
    let fallbackOrdinal = 0;
    let fallbackTokens = 0;
    let fallbackBlocks = 0;
    let fallbackOccupied = false;
    let fallbackAfterDocument = false;
    for (let partIndex = 0; partIndex < parts.length; partIndex++) {
      const part = parts[partIndex]!;
      ordinal++;
      if (tokens < minTokens) tokens += estimatePartTokens(part, minTokens - tokens);
      const kind = api === 'converse' ? converseBlockKind(message, part, toolsPresent, replaysReasoning) : 'content';
      if (kind !== 'none') {
        emitted++;
        lastEmitted = kind;
        checkpointSinceLastBlock = false;
        if (kind === 'tool') wireHasTools = true;
        if (kind !== 'document' && kind !== 'text-document') wireHasCountable = true;
      }
      const partCheckpoint = noteExisting(part.providerOptions, 'messages', index, partIndex);
      if (partCheckpoint) checkpointSinceLastBlock = true;
      if (api === 'converse' && kind !== 'none' && rejectedAfter(kind) === undefined) {
        fallbackPart = partIndex;
        fallbackOrdinal = ordinal;
        fallbackTokens = tokens;
        fallbackBlocks = blocks + emitted;
        fallbackOccupied = partCheckpoint;
        fallbackAfterDocument = kind === 'document';
      }
    }
    blocks += emitted;
    ordinal++;
    const lastPart = parts.at(-1);
    // The Anthropic provider applies a message-level checkpoint only when the last part has
    // none (there every part is a block, so that is `checkpointSinceLastBlock`).
    const messageLevel =
      api === 'anthropic-messages' && checkpointSinceLastBlock
        ? false
        : noteExisting(message.providerOptions as ProviderOptions, 'messages', index);

    let slot: Slot;
    const occupied = messageLevel || checkpointSinceLastBlock;
    if (api === 'converse') {
      const ineligible = rejectedAfter(emitted === 0 ? undefined : lastEmitted);
      const movable = ineligible !== undefined && emitted > 0 && lastEmitted !== 'reasoning' && fallbackPart !== undefined && !occupied;
      slot = movable
        ? {
            section: 'messages',
            index,
            ordinal: fallbackOrdinal,
            tokens: fallbackTokens,
            blocks: fallbackBlocks,
            ineligible: undefined,
            occupied: fallbackOccupied,
            partIndex: fallbackPart,
            afterDocument: fallbackAfterDocument,
          }
        : { section: 'messages', index, ordinal, tokens, blocks, ineligible, occupied, afterDocument: lastEmitted === 'document' };
    } else {
      const ineligible =
        !lastPart || !ANTHROPIC_CACHEABLE.has(lastPart.type)
          ? 'the message does not end with a block that can carry cache_control'
          : undefined;
      slot = { section: 'messages', index, ordinal, tokens, blocks, ineligible, occupied };
    }
    if (message.role === 'assistant') assistantSlot = messageSlots.length;
    else lastAssistantSlot = assistantSlot;
    messageSlots.push(slot);
  }
  closeWireMessage();

  return {
    toolSlot,
    systemSlot,
    messageSlots,
    lastAssistantSlot,
    existing,
    misplaced,
    messageCount: messageSlots.length + (hasSystem ? 1 : 0),
  };
}
