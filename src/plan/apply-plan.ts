import type { LanguageModelV3CallOptions, SharedV3ProviderOptions } from '@ai-sdk/provider';
import type { BedrockApi } from '../model/model-profile';
import type { CacheTtl } from '../model/model-table';
import type { CheckpointPlan, CheckpointRepair } from './plan-checkpoints';

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

/** Provider options without any checkpoint, or with its TTL lowered to 5m (repairs). */
function repaired(providerOptions: SharedV3ProviderOptions | undefined, action: CheckpointRepair['action']): SharedV3ProviderOptions | undefined {
  if (!providerOptions) return providerOptions;
  const next: SharedV3ProviderOptions = { ...providerOptions };
  for (const [key, field] of [
    ['bedrock', 'cachePoint'],
    ['amazonBedrock', 'cachePoint'],
    ['anthropic', 'cacheControl'],
    ['anthropic', 'cache_control'],
  ] as const) {
    const options = next[key];
    const value = options?.[field];
    if (!options || value == null) continue;
    if (action === 'drop') {
      const { [field]: _removed, ...rest } = options;
      next[key] = rest;
    } else if (typeof value === 'object') {
      // no `ttl` means 5 minutes on both APIs (§1, §5)
      const { ttl: _ttl, ...fiveMinutes } = value as Record<string, unknown>;
      next[key] = { ...options, [field]: fiveMinutes } as SharedV3ProviderOptions[string];
    }
  }
  return next;
}

type Prompt = LanguageModelV3CallOptions['prompt'];
type Message = Prompt[number];

/**
 * Copy-on-write edits of the prompt: each message and part copied at most once. Copies are
 * made with Object.assign, not a spread: on Node 20 (V8 11.3) adding a property that a
 * spread copy lacks (`providerOptions`, usually) takes microseconds, Object.assign's
 * copy a fraction of one (Node 22 is fast either way).
 */
class PromptEditor {
  prompt: Prompt;
  private readonly copiedMessages = new Set<number>();
  private readonly copiedContents = new Set<number>();
  constructor(private readonly original: Prompt) {
    this.prompt = original;
  }
  private message(index: number): Message {
    if (this.prompt === this.original) this.prompt = [...this.original];
    if (!this.copiedMessages.has(index)) {
      this.prompt[index] = Object.assign({}, this.prompt[index]!);
      this.copiedMessages.add(index);
    }
    return this.prompt[index]!;
  }
  editMessage(index: number, edit: (options: SharedV3ProviderOptions | undefined) => SharedV3ProviderOptions | undefined): void {
    const message = this.message(index);
    message.providerOptions = edit(message.providerOptions);
  }
  editPart(index: number, part: number, edit: (options: SharedV3ProviderOptions | undefined) => SharedV3ProviderOptions | undefined): void {
    const message = this.message(index) as unknown as { content: unknown };
    if (!Array.isArray(message.content)) return;
    type Part = { providerOptions?: SharedV3ProviderOptions };
    if (!this.copiedContents.has(index)) {
      message.content = [...(message.content as Part[])];
      this.copiedContents.add(index);
    }
    const content = message.content as Part[];
    // the part is copied shallowly: its data (file bytes) is shared, never copied
    const copy: Part = Object.assign({}, content[part]!);
    copy.providerOptions = edit(copy.providerOptions);
    content[part] = copy;
  }
}

/**
 * The call options with the plan applied: the caller's checkpoints repaired, then the
 * plan's checkpoints added. Copy on write: only the messages, parts and tools that change
 * are new objects (other messages, parts and file data are shared); the caller's are untouched.
 */
export function applyPlan(
  params: LanguageModelV3CallOptions,
  plan: Pick<CheckpointPlan, 'checkpoints' | 'repairs'>,
  api: BedrockApi,
): LanguageModelV3CallOptions {
  if (plan.checkpoints.length === 0 && plan.repairs.length === 0) return params;
  const editor = new PromptEditor(params.prompt);
  let tools = params.tools;
  const editTool = (index: number, edit: (options: SharedV3ProviderOptions | undefined) => SharedV3ProviderOptions) => {
    const tool = tools?.[index];
    if (!tools || !tool || tool.type !== 'function') return; // the planner only picks function tools
    if (tools === params.tools) tools = [...tools];
    tools[index] = { ...tool, providerOptions: edit(tool.providerOptions) };
  };

  for (const { at, action } of plan.repairs) {
    const edit = (options: SharedV3ProviderOptions | undefined) => repaired(options, action) ?? {};
    if (at.section === 'tools') editTool(at.tool, edit);
    else if (at.part === undefined) editor.editMessage(at.message, edit);
    else editor.editPart(at.message, at.part, edit);
  }
  for (const { section, index, partIndex, ttl } of plan.checkpoints) {
    const add = (options: SharedV3ProviderOptions | undefined) => withCheckpoint(options, api, ttl);
    if (section === 'tools') editTool(index, add);
    else if (partIndex === undefined) editor.editMessage(index, add);
    else editor.editPart(index, partIndex, add);
  }
  return { ...params, prompt: editor.prompt, ...(tools !== params.tools && { tools }) };
}
