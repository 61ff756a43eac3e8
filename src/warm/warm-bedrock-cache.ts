import { generateText, type LanguageModel, type ModelMessage, type ToolSet } from 'ai';
import { modelPrices, type PriceOverride } from '../pricing';
import { getBedrockCacheUsage } from '../usage/get-bedrock-cache-usage';
import type { BedrockCacheUsage } from '../usage/read-cache-usage';
import { BedrockCacheWarmUpSkipped } from './warm-up-skipped';

/** What to warm: the prefix later calls will send, through a model wrapped with `bedrockCacheMiddleware`. */
export interface WarmBedrockCacheOptions {
  /** The model later calls use, wrapped with `bedrockCacheMiddleware` (so the checkpoints are placed as theirs will be). */
  model: LanguageModel;
  system?: string;
  /** The tools later calls send (their `execute` is never run: the warm-up makes no tool call). */
  tools?: ToolSet;
  /**
   * The conversation so far, when the prefix to warm goes past the system prompt. Ending in a
   * user message, it is sent as it is; otherwise a one-character user message is added, and
   * the tools + system prefix is what gets warmed.
   */
  messages?: ModelMessage[];
  /** Passed to the call, e.g. your own `bedrock` options (the same as later calls', or the prefix differs). */
  providerOptions?: Record<string, Record<string, unknown>>;
  abortSignal?: AbortSignal;
  /** Your own prices, as the middleware's `prices` option, for `costUsd`. */
  prices?: Record<string, PriceOverride>;
}

/** What a warm-up did. */
export type WarmBedrockCacheResult =
  | {
      skipped: true;
      /** Why no request was sent. */
      reason: string;
    }
  | {
      skipped: false;
      /** The warm-up's cache usage: `cacheWriteInputTokens` is what it wrote. */
      usage: BedrockCacheUsage;
      outputTokens: number;
      /** The request's cost in USD, input and output, for models with known prices. */
      costUsd?: number;
    };

/**
 * Writes a prompt prefix to Bedrock's cache ahead of the calls that will read it (before a
 * burst of calls, after a long tool run, at the start of a business day): the cheapest request
 * that writes it, one output token (`maxOutputTokens: 1`) through the wrapped model, so the
 * middleware places the checkpoints later calls will read. Skipped, with no request, when the
 * middleware's ledger knows the prefix to be cached. What it costs: the prefix's write
 * (Claude: 1.25× the input price at 5m, 2× at 1h) plus one output token.
 *
 * @example
 * const warm = await warmBedrockCache({ model, system: instructions, tools });
 * // { skipped: false, usage: { cacheWriteInputTokens: 6012, … }, outputTokens: 1, costUsd: 0.0226 }
 */
export async function warmBedrockCache(options: WarmBedrockCacheOptions): Promise<WarmBedrockCacheResult> {
  const { model, system, tools, messages = [], providerOptions, abortSignal } = options;
  const endsWithUser = messages.at(-1)?.role === 'user';
  const warmUp = endsWithUser ? 'messages' : 'system';
  // A model call needs a user message (Bedrock rejects an empty conversation); this one is outside the warmed prefix.
  const sent: ModelMessage[] = endsWithUser ? messages : [...messages, { role: 'user', content: '.' }];
  // The same tool definitions (so the same prefix), never executed
  const inert = tools && Object.fromEntries(Object.entries(tools).map(([name, tool]) => [name, { ...tool, execute: undefined }]));
  try {
    const result = await generateText({
      model,
      ...(system !== undefined && { system }),
      ...(inert && { tools: inert as ToolSet }),
      messages: sent,
      maxOutputTokens: 1,
      providerOptions: { ...providerOptions, bedrockCache: { ...providerOptions?.bedrockCache, warmUp } },
      ...(abortSignal && { abortSignal }),
    });
    const usage = getBedrockCacheUsage(result);
    const outputTokens = result.usage.outputTokens ?? 0;
    const modelId = typeof model === 'string' ? model : model.modelId;
    const prices = modelPrices(modelId, options.prices);
    const costUsd = usage.costUsd !== undefined && prices ? usage.costUsd + (outputTokens * prices.output) / 1e6 : undefined;
    return { skipped: false, usage, outputTokens, ...(costUsd !== undefined && { costUsd }) };
  } catch (error) {
    const skipped = BedrockCacheWarmUpSkipped.find(error);
    if (!skipped) throw error;
    return { skipped: true, reason: `the ledger knows the first ${skipped.liveBlocks} blocks of this prompt to be cached` };
  }
}
