import { createHash } from 'node:crypto';
import { asArray, isRecord } from './json-utils.js';
import { countJsonTokens, countTextTokens } from './tokenizer.js';
import type { ReplyContext, ReplyOption, ScriptedReply } from './types.js';

/** One block of the emulated answer, format-neutral. */
export type ReplyBlock =
  | { type: 'reasoning'; text: string; signature: string }
  | { type: 'text'; text: string }
  | { type: 'toolUse'; id: string; name: string; input: Record<string, unknown> };

/** The emulated answer. */
export interface ModelReply {
  blocks: ReplyBlock[];
  /** Converse spelling; the Anthropic one is the same for these values. */
  stopReason: 'end_turn' | 'tool_use' | 'max_tokens';
  /** Output tokens by the emulator's tokenizer. */
  outputTokens: number;
}

/** Text of the last user message (Converse or Anthropic body), '' if none; also counts its tool results. */
export function lastUserInput(body: unknown): { text: string; toolResults: number } {
  const messages = isRecord(body) ? (asArray(body.messages) ?? []) : [];
  const lastUser = [...messages].reverse().find((m) => isRecord(m) && m.role === 'user');
  if (!isRecord(lastUser)) return { text: '', toolResults: 0 };
  if (typeof lastUser.content === 'string') return { text: lastUser.content, toolResults: 0 };
  const texts: string[] = [];
  let toolResults = 0;
  for (const block of asArray(lastUser.content) ?? []) {
    if (!isRecord(block)) continue;
    if (typeof block.text === 'string' && (block.type === undefined || block.type === 'text')) texts.push(block.text);
    if (isRecord(block.toolResult) || block.type === 'tool_result') toolResults++;
  }
  return { text: texts.join('\n'), toolResults };
}

/** The default, deterministic reply: an echo of (the start of) the last user text. */
export function defaultReply(body: unknown): ScriptedReply {
  const { text, toolResults } = lastUserInput(body);
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length === 0) return { text: `Received ${toolResults} tool result(s).` };
  const head = words.slice(0, 12).join(' ');
  return { text: `Emulated reply to: ${head}${words.length > 12 ? ' …' : ''}` };
}

/** Output tokens of a reply: text, reasoning, tool names and inputs by the emulator tokenizer. */
function countOutputTokens(blocks: readonly ReplyBlock[]): number {
  return blocks.reduce((sum, block) => {
    switch (block.type) {
      case 'toolUse':
        return sum + countTextTokens(block.name) + countJsonTokens(block.input);
      default:
        return sum + countTextTokens(block.text);
    }
  }, 0);
}

/**
 * Produces the emulator's replies: scripted ones (`reply` option: a list consumed in order,
 * then the default; or a function of the request) or the default echo.
 */
export class ReplyScript {
  private index = 0;

  constructor(private readonly option: ReplyOption | undefined) {}

  /** Starts the script over (the next reply is index 0 again). */
  rewind(): void {
    this.index = 0;
  }

  /** The next reply for a request. */
  next(context: Omit<ReplyContext, 'index'>, idPrefix: string): ModelReply {
    const index = this.index++;
    const option = this.option;
    const scripted =
      typeof option === 'function' ? option({ ...context, index }) : option?.[index];
    const reply = scripted ?? defaultReply(context.body);
    const blocks: ReplyBlock[] = [];
    if (reply.reasoning !== undefined) {
      const signature = createHash('sha256').update(reply.reasoning).digest('base64');
      blocks.push({ type: 'reasoning', text: reply.reasoning, signature });
    }
    if (reply.text !== undefined && reply.text !== '') blocks.push({ type: 'text', text: reply.text });
    for (const [k, toolUse] of (reply.toolUses ?? []).entries()) {
      blocks.push({ type: 'toolUse', id: toolUse.id ?? `${idPrefix}${index}_${k}`, name: toolUse.name, input: toolUse.input });
    }
    if (!blocks.some((block) => block.type !== 'reasoning')) blocks.push({ type: 'text', text: defaultReply(context.body).text ?? '' });
    const stopReason = blocks.some((block) => block.type === 'toolUse') ? 'tool_use' : 'end_turn';
    return { blocks, stopReason, outputTokens: countOutputTokens(blocks) };
  }
}
