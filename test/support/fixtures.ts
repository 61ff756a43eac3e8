import { jsonSchema, tool, type ModelMessage } from 'ai';

export const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
export const HAIKU = 'global.anthropic.claude-haiku-4-5-20251001-v1:0';
export const NOVA = 'us.amazon.nova-pro-v1:0';
export const CLAUDE_37 = 'us.anthropic.claude-3-7-sonnet-20250219-v1:0';
export const LLAMA = 'us.meta.llama3-3-70b-instruct-v1:0';

/** Deterministic filler prose of about `words` words. */
export function prose(words: number, seed = 1): string {
  const vocabulary = ['cache', 'bedrock', 'prefix', 'token', 'model', 'request', 'answer', 'policy', 'customer', 'order', 'refund', 'shipping'];
  const out: string[] = [];
  let x = seed;
  for (let i = 0; i < words; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(vocabulary[x % vocabulary.length]!);
  }
  return out.join(' ') + '.';
}

/** A system prompt well above every model's minimum (about 6K tokens). */
export const LONG_SYSTEM = `You are a support agent. ${prose(4000)}`;

/** Tools with execute functions, for agent loops; `long` makes their definitions ~3K tokens. */
export function weatherTools({ long = false } = {}) {
  return {
    weather: tool({
      description: `Weather for a city. ${prose(long ? 2000 : 40, 2)}`,
      inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }),
      execute: async ({ city }) => ({ city, forecast: prose(30, city.length) }),
    }),
    time: tool({
      description: 'Local time in a city.',
      inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }),
      execute: async ({ city }) => ({ city, time: '12:00' }),
    }),
  };
}

/** A finished earlier turn: user question and assistant answer. */
export function history(turns: number): ModelMessage[] {
  const messages: ModelMessage[] = [];
  for (let i = 0; i < turns; i++) {
    messages.push({ role: 'user', content: `Question ${i}: ${prose(20, i + 3)}` });
    messages.push({ role: 'assistant', content: `Answer ${i}: ${prose(20, i + 7)}` });
  }
  return messages;
}

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    if (ArrayBuffer.isView(value)) return value; // typed arrays can't be frozen
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
