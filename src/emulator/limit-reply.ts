import { isRecord } from './json-utils.js';
import type { ModelReply, ReplyBlock } from './replies.js';
import { countJsonTokens, countTextTokens } from './tokenizer.js';

/** The output budget a request sets: Converse `inferenceConfig.maxTokens`, InvokeModel `max_tokens`. */
export function maxOutputTokens(body: Record<string, unknown>, api: 'converse' | 'anthropic'): number | undefined {
  const value = api === 'converse' ? (isRecord(body.inferenceConfig) ? body.inferenceConfig.maxTokens : undefined) : body.max_tokens;
  return typeof value === 'number' && Number.isFinite(value) && value >= 1 ? Math.floor(value) : undefined;
}

/** The longest prefix of `text` within `budget` tokens (binary search over its length; surrogate pairs kept whole). */
function truncateText(text: string, budget: number): string {
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (countTextTokens(text.slice(0, middle)) <= budget) low = middle;
    else high = middle - 1;
  }
  const code = text.charCodeAt(low - 1);
  const prefix = code >= 0xd800 && code <= 0xdbff ? text.slice(0, low - 1) : text.slice(0, low);
  // spaces are free: the cut ends at the last token, not at the whitespace after it
  return low === text.length ? text : prefix.trimEnd();
}

/**
 * A reply cut to `maxTokens` output tokens, as a model stops when it reaches the request's
 * budget: blocks are kept in order while they fit, a text or reasoning block is cut inside,
 * a tool call that doesn't fit whole is dropped (a model can't return half a call's input);
 * the stop reason becomes `max_tokens` and the output count the budget (Bedrock reports
 * `output_tokens` equal to `max_tokens` with `stop_reason: "max_tokens"`:
 * traceloop/openllmetry's recorded `test_prompt_cache.yaml`, `max_tokens: 50`, 50 out).
 * A reply within budget is returned unchanged.
 */
export function limitReply(reply: ModelReply, maxTokens: number | undefined): ModelReply {
  if (maxTokens === undefined || reply.outputTokens <= maxTokens) return reply;
  const blocks: ReplyBlock[] = [];
  let left = maxTokens;
  for (const block of reply.blocks) {
    if (left <= 0) break;
    if (block.type === 'toolUse') {
      const cost = countTextTokens(block.name) + countJsonTokens(block.input);
      if (cost > left) break;
      blocks.push(block);
      left -= cost;
      continue;
    }
    const text = truncateText(block.text, left);
    left -= countTextTokens(text);
    if (text !== '') blocks.push({ ...block, text });
    if (text !== block.text) break;
  }
  // a reply always has a content block (an empty text if the budget fits nothing)
  if (!blocks.some((block) => block.type !== 'reasoning')) blocks.push({ type: 'text', text: '' });
  return { blocks, stopReason: 'max_tokens', outputTokens: maxTokens };
}
