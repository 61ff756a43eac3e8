/**
 * Helpers shared by the peers' placements re-implemented for the benchmark. These are
 * deliberately independent of src/ (no planner, no prompt reader): each peer only knows
 * what its own documented rules know.
 */
import type { LanguageModelV3CallOptions, SharedV3ProviderOptions } from '@ai-sdk/provider';

export type Ttl = '5m' | '1h';
export type Message = LanguageModelV3CallOptions['prompt'][number];
export type Family = 'claude' | 'nova' | 'other';

/** The family as the peers detect it: by a substring of the model id. */
export function familyOf(modelId: string): Family {
  const id = modelId.toLowerCase();
  if (id.includes('anthropic')) return 'claude';
  if (id.includes('amazon.nova')) return 'nova';
  return 'other';
}

/** Whether the model speaks the Anthropic Messages API (InvokeModel) rather than Converse. */
export const isAnthropicMessages = (provider: string) => provider === 'bedrock.anthropic.messages';

/** Provider options with a checkpoint, in the key the model's provider reads. */
export function withCheckpoint(
  providerOptions: SharedV3ProviderOptions | undefined,
  anthropicMessages: boolean,
  ttl: Ttl,
): SharedV3ProviderOptions {
  if (anthropicMessages) {
    const cacheControl = ttl === '1h' ? { type: 'ephemeral', ttl } : { type: 'ephemeral' };
    return { ...providerOptions, anthropic: { ...providerOptions?.anthropic, cacheControl } };
  }
  const cachePoint = ttl === '1h' ? { type: 'default', ttl } : { type: 'default' };
  return { ...providerOptions, bedrock: { ...providerOptions?.bedrock, cachePoint } };
}

/** Whether a message holds tool uses or tool results (what LangChain skips on Nova). */
export function holdsToolBlocks(message: Message): boolean {
  return message.role !== 'system' && message.content.some((part) => part.type === 'tool-call' || part.type === 'tool-result');
}

/** Whether provider options carry a checkpoint already (either API's key). */
export function hasCheckpoint(providerOptions: SharedV3ProviderOptions | undefined): boolean {
  return (
    providerOptions?.bedrock?.cachePoint != null ||
    providerOptions?.amazonBedrock?.cachePoint != null ||
    providerOptions?.anthropic?.cacheControl != null
  );
}

/** The caller's own checkpoints in a prompt (message, part and tool level). */
export function countExisting(params: LanguageModelV3CallOptions): number {
  let count = 0;
  for (const message of params.prompt) {
    if (hasCheckpoint(message.providerOptions)) count++;
    if (message.role === 'system') continue;
    for (const part of message.content) if (hasCheckpoint(part.providerOptions)) count++;
  }
  for (const tool of params.tools ?? []) {
    if (tool.type === 'function' && hasCheckpoint(tool.providerOptions)) count++;
  }
  return count;
}
