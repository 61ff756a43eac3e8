/**
 * The miss corpus's traffic shapes: what apps send, small enough to run in `npm test`.
 * Deterministic (seeded prose, scripted replies, an injected clock). Text comes from the
 * benchmark's generator (one token per word by the emulator's tokenizer).
 */
import { jsonSchema, stepCountIs, tool, type ModelMessage } from 'ai';
import { between, prose, rng } from '../../../bench/cache/text';
import { HAIKU, NOVA, SONNET } from '../fixtures';
import type { CorpusContext, Shape } from './harness';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

const question = (i: number, seed: number) => `Question ${i + 1}: ${prose(between(rng(seed + i), 12, 40), seed * 100 + i)}?`;
const document = (i: number, seed: number, min: number, max: number) =>
  `<document id="${i + 1}">\n${prose(between(rng(seed * 31 + i), min, max), seed * 1000 + i)}\n</document>`;

/** A chat: one request per turn, the history growing; `gap(turn)` is the pause before each turn after the first. */
async function chat(
  c: CorpusContext,
  name: string,
  { system, turns, seed, gap, modelId }: { system: string; turns: number; seed: number; gap: (turn: number) => number; modelId?: string },
): Promise<ModelMessage[]> {
  const messages: ModelMessage[] = [];
  for (let turn = 0; turn < turns; turn++) {
    if (turn > 0) c.advance(gap(turn));
    messages.push({ role: 'user', content: question(turn, seed) });
    const result = await c.generate(`${name} turn ${turn + 1}`, { system, messages }, modelId);
    messages.push(...result.response.messages);
  }
  return messages;
}

const oneShot: Shape = {
  name: 'one-shot',
  title: 'six one-shot questions behind one ~1.7K-token system prompt, 15 s apart',
  ordinary: true,
  modelId: SONNET,
  run: async (c) => {
    const system = `You answer questions about our return policy. ${prose(1700, 101)}`;
    for (let i = 0; i < 6; i++) {
      if (i > 0) c.advance(15 * SECOND);
      await c.generate(`question ${i + 1}`, { system, prompt: question(i, 101) });
    }
  },
};

const fanOut: Shape = {
  name: 'fan-out',
  title: 'Promise.all over 8 distinct documents behind one ~2K-token instruction, twice, 2 minutes apart',
  ordinary: true,
  modelId: SONNET,
  run: async (c) => {
    const system = `You extract the parties, dates and amounts of the document. ${prose(2000, 102)}`;
    for (const batch of [0, 1]) {
      if (batch > 0) c.advance(2 * MINUTE);
      await Promise.all(
        Array.from({ length: 8 }, (_, i) => c.generate(`batch ${batch + 1} doc ${i + 1}`, { system, prompt: document(batch * 8 + i, 102, 200, 600) })),
      );
    }
  },
};

const interleaved: Shape = {
  name: 'interleaved',
  title: '4 users × 3 turns, round-robin behind one ~2K-token system prompt, 20 s between calls (users 2 and 4 stream)',
  ordinary: true,
  modelId: SONNET,
  run: async (c) => {
    const system = `You are the help desk of a software company. ${prose(2000, 103)}`;
    const histories: ModelMessage[][] = [[], [], [], []];
    for (let turn = 0; turn < 3; turn++) {
      for (let user = 0; user < histories.length; user++) {
        if (turn + user > 0) c.advance(20 * SECOND);
        const messages = histories[user]!;
        messages.push({ role: 'user', content: question(turn, 103 + user * 10) });
        const label = `user ${user + 1} turn ${turn + 1}`;
        // a chat route streams; a server action may generate
        const answer = user % 2 === 1 ? (await c.stream(label, { system, messages })).messages : (await c.generate(label, { system, messages })).response.messages;
        messages.push(...answer);
      }
    }
  },
};

const multiTenant: Shape = {
  name: 'multi-tenant',
  title: 'two tenants (~1.5K-token system prompts), 8 users alternating A, B who all open with "Hello"; two of them carry on',
  ordinary: true,
  modelId: SONNET,
  run: async (c) => {
    const systems = [`You are the assistant of Acme Bank. ${prose(1500, 104)}`, `You are the assistant of Zenith Travel. ${prose(1500, 105)}`];
    const openers: Array<{ system: string; messages: ModelMessage[] }> = [];
    for (let user = 0; user < 8; user++) {
      if (user > 0) c.advance(10 * SECOND);
      const system = systems[user % 2]!;
      const messages: ModelMessage[] = [{ role: 'user', content: 'Hello' }];
      const result = await c.generate(`user ${user + 1} (${user % 2 === 0 ? 'A' : 'B'}) hello`, { system, messages });
      openers.push({ system, messages: [...messages, ...result.response.messages] });
    }
    for (const user of [6, 7]) {
      c.advance(10 * SECOND);
      const { system, messages } = openers[user]!;
      messages.push({ role: 'user', content: question(user, 104) });
      await c.generate(`user ${user + 1} turn 2`, { system, messages });
    }
  },
};

const regenerate: Shape = {
  name: 'regenerate',
  title: 'a chat whose user regenerates answers (the same prompt again), then carries on',
  ordinary: true,
  modelId: SONNET,
  run: async (c) => {
    const system = `You are a writing assistant. ${prose(1500, 106)}`;
    const messages: ModelMessage[] = [{ role: 'user', content: question(0, 106) }];
    await c.generate('turn 1', { system, messages });
    c.advance(20 * SECOND);
    const again = await c.generate('turn 1 regenerated', { system, messages });
    messages.push(...again.response.messages, { role: 'user', content: question(1, 106) });
    c.advance(20 * SECOND);
    await c.generate('turn 2', { system, messages });
    c.advance(10 * SECOND);
    await c.generate('turn 2 regenerated', { system, messages });
    c.advance(5 * SECOND);
    const last = await c.generate('turn 2 regenerated again', { system, messages });
    messages.push(...last.response.messages, { role: 'user', content: question(2, 106) });
    c.advance(20 * SECOND);
    await c.generate('turn 3', { system, messages });
  },
};

const tools = {
  weather: tool({
    description: `Weather for a city. ${prose(120, 107)}`,
    inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }),
    execute: async ({ city }) => ({ city, forecast: prose(80, city.length) }),
  }),
  time: tool({
    description: 'Local time in a city.',
    inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }),
    execute: async ({ city }) => ({ city, time: '12:00' }),
  }),
};

const toolLoop: Shape = {
  name: 'tool-loop',
  title: 'an agent (2 tools, ~1.5K-token system prompt): two tasks of 3 steps each (tool call, tool call, answer)',
  ordinary: true,
  modelId: SONNET,
  reply: ({ index }) =>
    index % 3 === 2
      ? { text: 'Both forecasts are in: mild and dry.' }
      : { text: 'Let me check.', toolUses: [{ name: index % 3 === 0 ? 'weather' : 'time', input: { city: index < 3 ? 'Paris' : 'Lyon' } }] },
  run: async (c) => {
    const system = `You are a travel agent. Use the tools. ${prose(1500, 107)}`;
    await c.generate('task 1', { system, tools, prompt: 'What is the weather in Paris, and the time there?', stopWhen: stepCountIs(4) });
    c.advance(30 * SECOND);
    await c.generate('task 2', { system, tools, prompt: 'What is the weather in Lyon, and the time there?', stopWhen: stepCountIs(4) });
  },
};

const wideToolLoop: Shape = {
  name: 'wide-tool-loop',
  title: 'an agent whose steps make 12 and then 25 parallel tool calls (beyond Claude\'s 20-block lookback), then answers',
  ordinary: false,
  modelId: SONNET,
  reply: ({ index }) =>
    index < 2
      ? {
          text: 'Checking every city.',
          toolUses: Array.from({ length: index === 0 ? 12 : 25 }, (_, k) => ({ name: k % 2 === 0 ? 'weather' : 'time', input: { city: `City${index}x${k}` } })),
        }
      : { text: 'All forecasts are in.' },
  run: async (c) => {
    const system = `You are a travel agent. Use the tools, in parallel when you can. ${prose(1500, 115)}`;
    await c.generate('task', { system, tools, prompt: 'Weather and time in every city on my list, please.', stopWhen: stepCountIs(4) });
  },
};

const edit: Shape = {
  name: 'edit',
  title: 'a 5-turn chat whose user edits question 2 and carries on from there for 2 turns',
  ordinary: false,
  modelId: SONNET,
  run: async (c) => {
    const system = `You are a writing assistant. ${prose(1500, 108)}`;
    const messages = await chat(c, 'chat', { system, turns: 5, seed: 108, gap: () => 20 * SECOND });
    messages.length = 2; // keep question 1 and its answer
    for (let turn = 0; turn < 3; turn++) {
      c.advance(20 * SECOND);
      messages.push({ role: 'user', content: turn === 0 ? `${question(1, 108)} (edited)` : question(10 + turn, 108) });
      const result = await c.generate(turn === 0 ? 'question 2 edited' : `after the edit turn ${turn + 1}`, { system, messages });
      messages.push(...result.response.messages);
    }
  },
};

const rag: Shape = {
  name: 'rag',
  title: '5-turn chat, each question with 2 fresh retrieved passages (~500 tokens each), history keeps questions and answers only',
  ordinary: false,
  modelId: SONNET,
  run: async (c) => {
    const system = `You answer from the retrieved passages only. ${prose(1500, 109)}`;
    const history: ModelMessage[] = [];
    for (let turn = 0; turn < 5; turn++) {
      if (turn > 0) c.advance(30 * SECOND);
      const passages = [0, 1].map((k) => ({ type: 'text' as const, text: document(turn * 2 + k, 109, 450, 550) }));
      const asked = question(turn, 109);
      const result = await c.generate(`turn ${turn + 1}`, { system, messages: [...history, { role: 'user', content: [...passages, { type: 'text', text: asked }] }] });
      history.push({ role: 'user', content: asked }, ...result.response.messages);
    }
  },
};

const timestamp: Shape = {
  name: 'timestamp',
  title: 'the time at the end of a ~1.5K-token system prompt, one ticket per call, a minute apart',
  ordinary: false,
  modelId: SONNET,
  run: async (c) => {
    const instructions = `You are a support agent. ${prose(1500, 110)}`;
    for (let i = 0; i < 5; i++) {
      if (i > 0) c.advance(MINUTE);
      const system = `${instructions}\nCurrent time: ${new Date(c.now()).toISOString()}`;
      await c.generate(`ticket ${i + 1}`, { system, prompt: 'Where is my order?' });
    }
  },
};

const pause5m: Shape = {
  name: 'pause-5m',
  title: 'a 5-turn chat with 7-minute pauses before turns 3 and 5 (30 s otherwise)',
  ordinary: false,
  modelId: SONNET,
  run: async (c) => {
    const system = `You are a research assistant. ${prose(2000, 111)}`;
    await chat(c, 'chat', { system, turns: 5, seed: 111, gap: (turn) => (turn === 2 || turn === 4 ? 7 * MINUTE : 30 * SECOND) });
  },
};

const pause1h: Shape = {
  name: 'pause-1h',
  title: 'a 5-turn chat with pauses of 30 s, 20 min, 30 s and 70 min',
  ordinary: false,
  modelId: SONNET,
  run: async (c) => {
    const system = `You are a research assistant. ${prose(2000, 112)}`;
    const gaps = [0, 30 * SECOND, 20 * MINUTE, 30 * SECOND, 70 * MINUTE];
    await chat(c, 'chat', { system, turns: 5, seed: 112, gap: (turn) => gaps[turn]! });
  },
};

const belowMinimum: Shape = {
  name: 'below-minimum',
  title: 'Claude Haiku 4.5 (minimum 4,096 tokens): one-shot questions behind a ~3.6K-token system prompt, one regenerated',
  ordinary: false,
  modelId: HAIKU,
  run: async (c) => {
    const system = `You answer questions about the handbook. ${prose(3500, 113)}`;
    for (let i = 0; i < 4; i++) {
      if (i > 0) c.advance(20 * SECOND);
      await c.generate(`question ${i + 1}`, { system, prompt: question(i, 113) });
    }
    c.advance(10 * SECOND);
    await c.generate('question 4 regenerated', { system, prompt: question(3, 113) });
  },
};

const nova: Shape = {
  name: 'nova',
  title: 'Nova Pro: a 4-turn chat and two one-shot questions behind one ~1.5K-token system prompt',
  ordinary: false,
  modelId: NOVA,
  run: async (c) => {
    const system = `You are a shopping assistant. ${prose(1500, 114)}`;
    await chat(c, 'chat', { system, turns: 4, seed: 114, gap: () => 20 * SECOND });
    for (let i = 0; i < 2; i++) {
      c.advance(20 * SECOND);
      await c.generate(`one-shot ${i + 1}`, { system, prompt: question(20 + i, 114) });
    }
  },
};

const slidingWindow: Shape = {
  name: 'sliding-window',
  title: 'a 6-turn chat that sends only the last 4 messages of its history with each new question',
  ordinary: false,
  modelId: SONNET,
  run: async (c) => {
    const system = `You are a tutor. ${prose(1500, 116)}`;
    const history: ModelMessage[] = [];
    for (let turn = 0; turn < 6; turn++) {
      if (turn > 0) c.advance(20 * SECOND);
      history.push({ role: 'user', content: question(turn, 116) });
      const result = await c.generate(`turn ${turn + 1}`, { system, messages: history.slice(-5) });
      history.push(...result.response.messages);
    }
  },
};

const messagesOff: Shape = {
  name: 'messages-off',
  title: "an app that turns message checkpoints off (cache: { messages: false }): a 3-turn chat, the last turn regenerated",
  ordinary: false,
  modelId: SONNET,
  options: { cache: { messages: false } },
  run: async (c) => {
    const system = `You are a writing assistant. ${prose(1500, 117)}`;
    const messages = await chat(c, 'chat', { system, turns: 3, seed: 117, gap: () => 20 * SECOND });
    messages.splice(-1);
    c.advance(10 * SECOND);
    await c.generate('turn 3 regenerated', { system, messages });
  },
};

const minMessages: Shape = {
  name: 'min-messages',
  title: 'an app with minMessagesToCache: 4 (no checkpoint before the second turn): a 4-turn chat',
  ordinary: false,
  modelId: SONNET,
  options: { minMessagesToCache: 4 },
  run: async (c) => {
    const system = `You are a writing assistant. ${prose(1500, 118)}`;
    await chat(c, 'chat', { system, turns: 4, seed: 118, gap: () => 20 * SECOND });
  },
};

const belowMinimumWritten: Shape = {
  name: 'below-minimum-regenerate',
  title: 'Claude Haiku 4.5, message checkpoints off: a ~3.6K-token system prompt (below 4,096) and a ~700-token question, regenerated',
  ordinary: false,
  modelId: HAIKU,
  options: { cache: { messages: false } },
  run: async (c) => {
    const system = `You answer questions about the handbook. ${prose(3500, 119)}`;
    const prompt = `${prose(700, 1190)}\n${question(0, 119)}`;
    await c.generate('question', { system, prompt });
    c.advance(20 * SECOND);
    await c.generate('question regenerated', { system, prompt });
  },
};

const invokeChats: Shape = {
  name: 'invoke-chats',
  title: 'InvokeModel (@ai-sdk/amazon-bedrock/anthropic): 3 users × 3 turns, round-robin, streamed, behind one ~2K-token system prompt',
  ordinary: true,
  modelId: SONNET,
  api: 'invoke',
  run: async (c) => {
    const system = `You are the help desk of a software company. ${prose(2000, 120)}`;
    const histories: ModelMessage[][] = [[], [], []];
    for (let turn = 0; turn < 3; turn++) {
      for (let user = 0; user < histories.length; user++) {
        if (turn + user > 0) c.advance(20 * SECOND);
        const messages = histories[user]!;
        messages.push({ role: 'user', content: question(turn, 120 + user * 10) });
        messages.push(...(await c.stream(`user ${user + 1} turn ${turn + 1}`, { system, messages })).messages);
      }
    }
  },
};

/** Every shape, ordinary ones first. */
export const SHAPES: readonly Shape[] = [oneShot, fanOut, interleaved, invokeChats, multiTenant, regenerate, toolLoop, wideToolLoop, edit, rag, timestamp, pause5m, pause1h, belowMinimum, nova, slidingWindow, messagesOff, minMessages, belowMinimumWritten];
