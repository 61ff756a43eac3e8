import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import type { BedrockApi, ModelProfile } from '../model/model-profile';
import type { CacheTtl } from '../model/model-table';
import { estimatePartTokens, estimateTextTokens, estimateToolTokens, type PromptPart } from './estimate-tokens';

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
}

export interface ExistingCheckpoint {
  ordinal: number;
  /** The TTLs the installed provider may send for it (two when keys disagree). */
  ttls: readonly CacheTtl[];
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

/** How a part appears on the Converse wire. */
type BlockKind = 'content' | 'tool' | 'reasoning' | 'none';

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
      return message.role === 'assistant' && !part.text?.trim() && !replaysReasoning ? 'none' : 'content';
    case 'file':
      return message.role === 'assistant' ? 'none' : 'content';
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

  const noteExisting = (providerOptions: ProviderOptions): boolean => {
    const ttls = readCheckpoint(api, providerOptions);
    if (ttls) existing.push({ ordinal, ttls });
    return ttls !== undefined;
  };

  let toolSlot: Slot | undefined;
  tools.forEach((tool, index) => {
    ordinal++;
    if (tokens < minTokens) tokens += estimateToolTokens(tool.type === 'function' ? tool : { name: tool.name });
    const occupied = tool.type === 'function' && noteExisting(tool.providerOptions as ProviderOptions);
    if (tool.type === 'function') {
      toolSlot = {
        section: 'tools',
        index,
        ordinal,
        tokens,
        blocks: 0,
        ineligible: profile.cachesTools ? undefined : 'the model caches no tool definitions',
        occupied,
      };
    }
  });
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
  let wireSlots: Slot[] = [];
  let wireHasTools = false;
  const closeWireMessage = () => {
    if (wireHasTools && !profile.cachesToolTurns) {
      for (const slot of wireSlots) slot.ineligible ??= 'the model caches no message that holds tool uses or results';
    }
    wireSlots = [];
    wireHasTools = false;
  };

  params.prompt.forEach((message, index) => {
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
        ineligible: /\S/.test(message.content) ? undefined : 'the system message is empty',
        occupied: noteExisting(message.providerOptions as ProviderOptions),
      };
      return;
    }

    const role = message.role === 'tool' ? 'user' : message.role;
    if (role !== wireRole) closeWireMessage();
    wireRole = role;

    const parts = message.content as PromptPart[];
    const replaysReasoning = message.role === 'assistant' && parts.some((part) => part.type === 'reasoning' && hasReplayableReasoning(part));
    let lastEmitted: BlockKind | undefined;
    let checkpointSinceLastBlock = false;
    let emitted = 0;
    for (const part of parts) {
      ordinal++;
      if (tokens < minTokens) tokens += estimatePartTokens(part, minTokens - tokens);
      const kind = api === 'converse' ? converseBlockKind(message, part, toolsPresent, replaysReasoning) : 'content';
      if (kind !== 'none') {
        emitted++;
        lastEmitted = kind;
        checkpointSinceLastBlock = false;
        if (kind === 'tool') wireHasTools = true;
      }
      if (noteExisting(part.providerOptions)) checkpointSinceLastBlock = true;
    }
    blocks += emitted;
    ordinal++;
    const lastPart = parts.at(-1);
    // The Anthropic provider applies a message-level checkpoint only when the last part has
    // none (there every part is a block, so that is `checkpointSinceLastBlock`).
    const messageLevel =
      api === 'anthropic-messages' && checkpointSinceLastBlock
        ? false
        : noteExisting(message.providerOptions as ProviderOptions);

    let ineligible: string | undefined;
    if (api === 'converse') {
      if (emitted === 0) ineligible = 'the message puts no content on the wire';
      else if (lastEmitted === 'reasoning') ineligible = 'the message ends with a reasoning block';
    } else if (!lastPart || !ANTHROPIC_CACHEABLE.has(lastPart.type)) {
      ineligible = 'the message does not end with a block that can carry cache_control';
    }

    const slot: Slot = {
      section: 'messages',
      index,
      ordinal,
      tokens,
      blocks,
      ineligible,
      occupied: messageLevel || checkpointSinceLastBlock,
    };
    if (message.role === 'assistant') assistantSlot = messageSlots.length;
    else lastAssistantSlot = assistantSlot;
    messageSlots.push(slot);
    wireSlots.push(slot);
  });
  closeWireMessage();

  return {
    toolSlot,
    systemSlot,
    messageSlots,
    lastAssistantSlot,
    existing,
    messageCount: messageSlots.length + (hasSystem ? 1 : 0),
  };
}
