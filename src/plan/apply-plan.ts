import type { LanguageModelV3CallOptions, SharedV3ProviderOptions } from '@ai-sdk/provider';
import type { BedrockApi } from '../model/model-profile';
import type { CacheTtl } from '../model/model-table';
import type { CheckpointPlan } from './plan-checkpoints';

/** Provider options with a checkpoint added, in the form the model's API reads. */
export function withCheckpoint(
  providerOptions: SharedV3ProviderOptions | undefined,
  api: BedrockApi,
  ttl: CacheTtl,
): SharedV3ProviderOptions {
  if (api === 'anthropic-messages') {
    const cacheControl = ttl === '1h' ? { type: 'ephemeral', ttl } : { type: 'ephemeral' };
    return { ...providerOptions, anthropic: { ...providerOptions?.anthropic, cacheControl } };
  }
  // No `ttl` means 5 minutes (shared doc §1); leaving it out keeps the block valid
  // on every model, including those that know only 5m.
  const cachePoint = ttl === '1h' ? { type: 'default', ttl } : { type: 'default' };
  const next: SharedV3ProviderOptions = {
    ...providerOptions,
    bedrock: { ...providerOptions?.bedrock, cachePoint },
  };
  // Provider 5 reads `amazonBedrock` first: a caller's options there must not hide ours.
  if (providerOptions?.amazonBedrock) {
    next.amazonBedrock = { ...providerOptions.amazonBedrock, cachePoint };
  }
  return next;
}

/**
 * The call options with the plan's checkpoints added. Copy on write: only the
 * messages and the tool that gain a checkpoint are new objects (their content arrays
 * and parts are shared, so file data is never copied); the caller's are untouched.
 */
export function applyPlan(
  params: LanguageModelV3CallOptions,
  plan: CheckpointPlan,
  api: BedrockApi,
): LanguageModelV3CallOptions {
  if (plan.checkpoints.length === 0) return params;
  let prompt = params.prompt;
  let tools = params.tools;
  for (const { section, index, ttl } of plan.checkpoints) {
    if (section === 'tools' && tools) {
      const tool = tools[index]!;
      if (tool.type !== 'function') continue; // the planner only picks function tools
      if (tools === params.tools) tools = [...tools];
      tools[index] = { ...tool, providerOptions: withCheckpoint(tool.providerOptions, api, ttl) };
    } else if (section !== 'tools') {
      const message = prompt[index]!;
      if (prompt === params.prompt) prompt = [...prompt];
      prompt[index] = { ...message, providerOptions: withCheckpoint(message.providerOptions, api, ttl) };
    }
  }
  return { ...params, prompt, ...(tools !== params.tools && { tools }) };
}
