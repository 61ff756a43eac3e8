import type { LanguageModelV3CallOptions, LanguageModelV3Middleware } from '@ai-sdk/provider';
import { countExisting, familyOf, hasCheckpoint, holdsToolBlocks, isAnthropicMessages, withCheckpoint, type Message, type Ttl } from './shared';

/**
 * LangChain's placement (langchain-aws `BedrockPromptCachingMiddleware` with
 * `ChatBedrockConverse`), re-implemented from its documented rules (shared doc §9) as an
 * AI SDK middleware:
 *
 * - budget = 4 − the caller's own checkpoints;
 * - in this order, while budget lasts: end of the system prompt, end of the last message,
 *   end of the tools (not on Nova), end of the second-to-last message (Claude only, only
 *   when the caller placed none, and not when that message ends with a reasoning block);
 * - a place that already holds a checkpoint gets no second one;
 * - Nova: no tools checkpoint, no checkpoint on a message holding tool uses or results
 *   (it is skipped, not moved to an earlier message), and 1h silently becomes 5m;
 * - no minimum-token check and no TTL-order check (one TTL for everything here anyway);
 * - `minMessagesToCache` counts the system prompt as one message.
 *
 * "Message" means a Bedrock message, as LangChain applies its cache points to the
 * converted Converse messages: consecutive user and tool messages are one user message
 * (all of a step's tool results together), consecutive assistant messages one assistant
 * message. A checkpoint at the end of one goes on the last AI SDK message of the group.
 *
 * The checkpoints are written where the AI SDK provider reads them: `bedrock.cachePoint`
 * on Converse, `anthropic.cacheControl` on InvokeModel (the same places). As for any AI SDK
 * middleware, the Converse provider drops the tools checkpoint (shared doc §6); it still
 * takes its slot from the budget, as it would in LangChain.
 */
export function langchainPlacement({ ttl = '5m', minMessagesToCache = 0 }: { ttl?: Ttl; minMessagesToCache?: number } = {}): LanguageModelV3Middleware {
  return {
    specificationVersion: 'v3',
    transformParams: async ({ params, model }) => {
      const family = familyOf(model.modelId);
      if (family === 'other') return params;
      const anthropic = isAnthropicMessages(model.provider);
      const effectiveTtl: Ttl = family === 'nova' ? '5m' : ttl;
      const existing = countExisting(params);

      // Bedrock messages: the prompt indices of the AI SDK messages each one is made of.
      const wire: number[][] = [];
      let systemIndex: number | undefined;
      let previousRole: 'user' | 'assistant' | undefined;
      params.prompt.forEach((message, index) => {
        if (message.role === 'system') {
          systemIndex = index;
          return;
        }
        const role = message.role === 'assistant' ? 'assistant' : 'user';
        if (role === previousRole) wire.at(-1)!.push(index);
        else wire.push([index]);
        previousRole = role;
      });
      if (wire.length + (systemIndex === undefined ? 0 : 1) < minMessagesToCache) return params;

      let budget = 4 - existing;
      let prompt: Message[] = params.prompt;
      let tools = params.tools;
      const mark = (index: number) => {
        if (prompt === params.prompt) prompt = [...prompt];
        const message = prompt[index]!;
        prompt[index] = { ...message, providerOptions: withCheckpoint(message.providerOptions, anthropic, effectiveTtl) } as Message;
        budget--;
      };
      const alreadyMarked = (message: Message) =>
        hasCheckpoint(message.providerOptions) ||
        (message.role !== 'system' && message.content.length > 0 && hasCheckpoint(message.content.at(-1)!.providerOptions));
      const markWireMessage = (group: number[] | undefined, { skipAfterReasoning = false } = {}) => {
        if (!group || budget <= 0) return;
        const messages = group.map((index) => prompt[index]!);
        if (family === 'nova' && messages.some(holdsToolBlocks)) return;
        const last = messages.at(-1)!;
        if (alreadyMarked(last)) return;
        if (skipAfterReasoning && last.role === 'assistant' && last.content.at(-1)?.type === 'reasoning') return;
        mark(group.at(-1)!);
      };

      // 1. system
      if (systemIndex !== undefined && budget > 0) {
        const system = prompt[systemIndex] as Extract<Message, { role: 'system' }>;
        if (system.content.trim() !== '' && !alreadyMarked(system)) mark(systemIndex);
      }
      // 2. last message
      markWireMessage(wire.at(-1));
      // 3. tools (not Nova)
      if (family !== 'nova' && budget > 0 && tools && tools.length > 0) {
        let last = tools.length - 1;
        while (last >= 0 && tools[last]!.type !== 'function') last--;
        const tool = tools[last];
        if (tool && tool.type === 'function' && !hasCheckpoint(tool.providerOptions)) {
          budget--;
          tools = [...tools];
          tools[last] = { ...tool, providerOptions: withCheckpoint(tool.providerOptions, anthropic, effectiveTtl) };
        }
      }
      // 4. second-to-last message (Claude, only when the caller placed none)
      if (family === 'claude' && existing === 0) markWireMessage(wire.at(-2), { skipAfterReasoning: true });

      return { ...params, prompt, ...(tools !== params.tools && { tools }) } satisfies LanguageModelV3CallOptions;
    },
  };
}
