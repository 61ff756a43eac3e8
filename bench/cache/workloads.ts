/**
 * The benchmark's workloads: deterministic, generated, no network. Each one drives the real
 * AI SDK (`generateText`, tool loops) against the in-process emulator; the emulator's
 * scripted `reply` plays the model, and the clock advances by `gapBefore` before each
 * request, so idle pauses cost no wall time.
 */
import { generateText, jsonSchema, stepCountIs, tool, type LanguageModel, type ModelMessage, type ToolSet } from 'ai';
import type { ReplyOption, ScriptedReply } from '../../src/emulator/index';
import { between, prose, rng } from './text';
import { pauseWorkloads } from './economics-workloads';
import { trafficWorkloads } from './traffic-workloads';

export type Ttl = '5m' | '1h';
export type Api = 'converse' | 'invoke';
export type Family = 'claude' | 'nova';

export interface Workload {
  name: string;
  /** One line: what it is. */
  title: string;
  family: Family;
  modelId: string;
  /** Converse (`bedrock()`) or InvokeModel (`@ai-sdk/amazon-bedrock/anthropic`). */
  api: Api;
  /** The TTL every strategy is configured with (and the bounds assume). Prices: src/pricing, by `modelId`. */
  ttl: Ttl;
  /** The model's scripted replies, by request index. */
  reply: ReplyOption;
  /** Milliseconds the clock advances before request `index` (0-based). */
  gapBefore(index: number): number;
  /** Drives the conversation through `model` (a wrapped or bare AI SDK model). */
  run(model: LanguageModel, now: () => number): Promise<void>;
}

export const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
export const HAIKU = 'global.anthropic.claude-haiku-4-5-20251001-v1:0';
export const NOVA_PRO = 'us.amazon.nova-pro-v1:0';
export const NOVA_LITE = 'us.amazon.nova-lite-v1:0';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

// ---------------------------------------------------------------------------------------
// Building blocks

const VERBS = ['lookup', 'search', 'create', 'update', 'cancel', 'list'];
const NOUNS = ['order', 'invoice', 'account', 'shipment', 'refund'];

/**
 * `count` tools of about `tokensEach` tokens each on the wire, with deterministic
 * results of 250–700 tokens (sizable, like real API or file reads).
 */
export function benchTools(count: number, tokensEach: number): ToolSet {
  const tools: ToolSet = {};
  for (let i = 0; i < count; i++) {
    const name = `${VERBS[i % VERBS.length]}_${NOUNS[Math.floor(i / VERBS.length) % NOUNS.length]}${i >= 30 ? i : ''}`;
    const fieldWords = Math.max(4, Math.round(tokensEach / 16));
    tools[name] = tool({
      description: prose(Math.max(10, tokensEach - 4 * fieldWords - 60), 1000 + i),
      inputSchema: jsonSchema<{ query: string; id?: number }>({
        type: 'object',
        properties: {
          query: { type: 'string', description: prose(fieldWords, 2000 + i) },
          id: { type: 'number', description: prose(fieldWords, 3000 + i) },
          region: { type: 'string', description: prose(fieldWords, 4000 + i) },
          limit: { type: 'number', description: prose(fieldWords, 5000 + i) },
        },
        required: ['query'],
      }),
      execute: async ({ query, id }) => {
        const seed = (id ?? 0) * 31 + query.length + i;
        return prose(between(rng(seed), 250, 700), seed);
      },
    });
  }
  return tools;
}

const toolNames = (tools: ToolSet) => Object.keys(tools);

/** A chat turn: the user's text. */
const userTurn = (turn: number, seed: number) => `Question ${turn + 1}: ${prose(between(rng(seed + turn), 40, 200), seed * 100 + turn)}`;

/** A scripted text answer of 150–400 tokens. */
const textReply = (index: number, seed: number): ScriptedReply => ({
  text: prose(between(rng(seed * 7 + index), 150, 400), seed * 1000 + index),
});

/** Runs a multi-turn chat: one request per turn, the history growing. */
async function chat(
  model: LanguageModel,
  { turns, system, seed, tools }: { turns: number; system: (turn: number) => string; seed: number; tools?: ToolSet },
): Promise<void> {
  const messages: ModelMessage[] = [];
  for (let turn = 0; turn < turns; turn++) {
    messages.push({ role: 'user', content: userTurn(turn, seed) });
    const result = await generateText({ model, system: system(turn), messages, maxRetries: 0, ...(tools && { tools }) });
    messages.push(...result.response.messages);
  }
}

/**
 * The agent's script: step `s` makes `parallel[s]` tool calls (with a short text first),
 * the step after the last makes none and answers.
 */
function agentScript(tools: ToolSet, parallel: readonly number[]): ReplyOption {
  const names = toolNames(tools);
  return ({ index }) => {
    if (index >= parallel.length) return textReply(index, 11);
    const next = rng(500 + index);
    const calls = parallel[index]!;
    return {
      text: `Step ${index + 1}: I will make ${calls} call${calls === 1 ? '' : 's'}.`,
      toolUses: Array.from({ length: calls }, (_, k) => ({
        name: names[Math.floor(next() * names.length)]!,
        input: { query: prose(between(next, 3, 12), index * 50 + k), id: index * 100 + k },
      })),
    };
  };
}

/** Parallel tool calls per step of the agent workloads (1–10; eleven tool steps, then the answer). */
export const AGENT_PARALLEL = [3, 10, 1, 7, 10, 2, 5, 9, 4, 10, 6] as const;

// ---------------------------------------------------------------------------------------
// The suite

export function chatWorkload(): Workload {
  const system = `You are the support assistant of a logistics company. ${prose(5600, 1)}`;
  return {
    name: 'chat',
    title: '15-turn chat behind a ~6K-token system prompt',
    family: 'claude',
    modelId: SONNET,
    api: 'converse',
    ttl: '5m',
    reply: ({ index }) => textReply(index, 1),
    gapBefore: (index) => (index === 0 ? 0 : 30 * SECOND),
    run: (model) => chat(model, { turns: 15, system: () => system, seed: 1 }),
  };
}

function agentWorkload(
  name: string,
  title: string,
  family: Family,
  modelId: string,
  { appCheckpoint = false, parallel = AGENT_PARALLEL as readonly number[] } = {},
): Workload {
  const tools = benchTools(30, 240);
  const instructions = `You are an operations agent. Use the tools; call several in parallel when they are independent. ${prose(1400, 2)}`;
  // The pattern of the AI SDK's Bedrock docs: the app marks its system prompt itself.
  const system = appCheckpoint
    ? [{ role: 'system' as const, content: instructions, providerOptions: { bedrock: { cachePoint: { type: 'default' } } } }]
    : instructions;
  const task = `Task: reconcile the accounts listed below and report every mismatch. ${prose(600, 3)}`;
  return {
    name,
    title,
    family,
    modelId,
    api: 'converse',
    ttl: '5m',
    reply: agentScript(tools, parallel),
    gapBefore: (index) => (index === 0 ? 0 : 4 * SECOND),
    run: async (model) => {
      await generateText({
        model,
        system,
        tools,
        messages: [{ role: 'user', content: task }],
        stopWhen: stepCountIs(parallel.length + 1),
        maxRetries: 0,
      });
    },
  };
}

export const agentClaudeWorkload = () =>
  agentWorkload('agent', '30 tools (~8K tokens), 12 steps, 1–10 parallel tool calls per step', 'claude', SONNET);

export const agentAppCheckpointWorkload = () =>
  agentWorkload(
    'agent-app-checkpoint',
    "the agent workload, the app marking its system prompt itself ('none': that checkpoint alone)",
    'claude',
    SONNET,
    { appCheckpoint: true },
  );

export const agentNovaWorkload = () =>
  agentWorkload('nova-agent', 'the agent workload on Nova Pro (no tool checkpoints, none on tool turns)', 'nova', NOVA_PRO);

export function documentQaWorkload(): Workload {
  const system = `You answer questions about the attached document. Quote it when you can. ${prose(150, 4)}`;
  const document = `<document title="Master services agreement">\n${prose(37_500, 5)}\n</document>`;
  const questions = Array.from({ length: 8 }, (_, i) => `Question ${i + 1}: ${prose(between(rng(60 + i), 15, 40), 600 + i)}?`);
  return {
    name: 'document-qa',
    title: '~40K-token document in the first user message, 8 questions (min 4,096 tokens)',
    family: 'claude',
    modelId: HAIKU,
    api: 'converse',
    ttl: '5m',
    reply: ({ index }) => textReply(index, 4),
    gapBefore: (index) => (index === 0 ? 0 : 45 * SECOND),
    run: async (model) => {
      const messages: ModelMessage[] = [
        { role: 'user', content: [{ type: 'text', text: document }, { type: 'text', text: questions[0]! }] },
      ];
      for (let i = 0; i < questions.length; i++) {
        if (i > 0) messages.push({ role: 'user', content: questions[i]! });
        const result = await generateText({ model, system, messages, maxRetries: 0 });
        messages.push(...result.response.messages);
      }
    },
  };
}

/** Turns (0-based) that come after a 7-minute pause in the idle-gap workloads. */
export const IDLE_TURNS = new Set([3, 7, 10]);

export function idleGapWorkload(ttl: Ttl): Workload {
  const system = `You are a research assistant. ${prose(3800, 6)}`;
  return {
    name: `idle-${ttl}`,
    title: `12-turn chat, 7-minute pauses before turns 4, 8 and 11, ttl '${ttl}'`,
    family: 'claude',
    modelId: SONNET,
    api: 'converse',
    ttl,
    reply: ({ index }) => textReply(index, 6),
    gapBefore: (index) => (index === 0 ? 0 : IDLE_TURNS.has(index) ? 7 * MINUTE : 30 * SECOND),
    run: (model) => chat(model, { turns: 12, system: () => system, seed: 6 }),
  };
}

export function dynamicSystemWorkload(api: Api): Workload {
  const tools = benchTools(30, 240);
  const instructions = prose(1500, 7);
  return {
    name: api === 'converse' ? 'dynamic-system' : 'dynamic-system-invoke',
    title: `10-turn chat, 30 stable tools (~8K tokens), a system prompt with the current time (${api === 'converse' ? 'Converse' : 'InvokeModel'})`,
    family: 'claude',
    modelId: SONNET,
    api,
    ttl: '5m',
    reply: ({ index }) => textReply(index, 7),
    gapBefore: (index) => (index === 0 ? 0 : 40 * SECOND),
    run: (model, now) =>
      chat(model, {
        turns: 10,
        seed: 7,
        tools,
        system: () => `Current time: ${new Date(now()).toISOString()}. You are a scheduling assistant. ${instructions}`,
      }),
  };
}

/**
 * Parallel tool calls per step of the 40-step agent: mostly 1–5, and five steps of 25–30
 * calls (a fan-out over every account, say), each far beyond Claude's ~20-block lookback.
 */
export const AGENT_40_PARALLEL = [
  2, 26, 1, 3, 4, 1, 2, 28, 1, 3, 2, 5, 1, 2, 25, 3, 1, 2, 4, 1, 30, 2, 3, 1, 2, 1, 4, 2, 1, 3, 2, 1, 27, 1, 3, 1, 2, 1, 2,
] as const;

export const agent40Workload = () =>
  agentWorkload('agent-40', '40 steps, 30 tools (~8K tokens), five steps of 25–30 parallel tool calls', 'claude', SONNET, {
    parallel: AGENT_40_PARALLEL,
  });

/** Conversations that share one system prompt and tool set, their turns interleaved (a busy support desk). */
export function sharedPrefixWorkload(): Workload {
  const tools = benchTools(12, 200);
  const system = `You are the help desk of a software company. Answer briefly and ask before acting. ${prose(2500, 20)}`;
  const conversations = 6;
  const turns = 4;
  return {
    name: 'shared-prefix',
    title: `${conversations} conversations × ${turns} turns, interleaved, sharing a ~2.5K-token system prompt and 12 tools (~2.4K tokens)`,
    family: 'claude',
    modelId: SONNET,
    api: 'converse',
    ttl: '5m',
    reply: ({ index }) => textReply(index, 20),
    gapBefore: (index) => (index === 0 ? 0 : 15 * SECOND),
    run: async (model) => {
      const histories: ModelMessage[][] = Array.from({ length: conversations }, () => []);
      // Conversation c joins in round floor(c / 2), so new ones keep arriving while others continue.
      for (let round = 0; round < turns + Math.floor((conversations - 1) / 2); round++) {
        for (let c = 0; c < conversations; c++) {
          const turn = round - Math.floor(c / 2);
          if (turn < 0 || turn >= turns) continue;
          const messages = histories[c]!;
          messages.push({ role: 'user', content: userTurn(turn, 20 + c) });
          const result = await generateText({ model, system, tools, messages, maxRetries: 0 });
          messages.push(...result.response.messages);
        }
      }
    },
  };
}

/**
 * Retrieval-augmented chat: each question comes with three freshly retrieved passages
 * (~2K tokens), and the history keeps only the questions and answers (as most RAG chains
 * do), so each turn's passages are never sent again.
 */
export function ragWorkload(): Workload {
  const system = `You answer from the retrieved passages only, and cite them by id. ${prose(1800, 30)}`;
  const turns = 10;
  return {
    name: 'rag',
    title: `${turns}-turn chat, each question with 3 fresh retrieved passages (~2K tokens), dropped from the history afterwards`,
    family: 'claude',
    modelId: SONNET,
    api: 'converse',
    ttl: '5m',
    reply: ({ index }) => textReply(index, 30),
    gapBefore: (index) => (index === 0 ? 0 : 45 * SECOND),
    run: async (model) => {
      const history: ModelMessage[] = [];
      for (let turn = 0; turn < turns; turn++) {
        const question = userTurn(turn, 30);
        const passages = [0, 1, 2].map((k) => ({
          type: 'text' as const,
          text: `<passage id="${turn + 1}.${k + 1}">\n${prose(640, 3000 + turn * 10 + k)}\n</passage>`,
        }));
        const messages: ModelMessage[] = [...history, { role: 'user', content: [...passages, { type: 'text', text: question }] }];
        const result = await generateText({ model, system, messages, maxRetries: 0 });
        history.push({ role: 'user', content: question }, ...result.response.messages);
      }
    },
  };
}

/** A chat whose user goes back, edits an earlier question and carries on from there (the later turns are dropped). */
export function editEarlierWorkload(): Workload {
  const system = `You are a writing assistant. ${prose(4000, 40)}`;
  return {
    name: 'edit-earlier',
    title: '8-turn chat, then the user edits question 4 and continues for 4 turns (13 requests)',
    family: 'claude',
    modelId: SONNET,
    api: 'converse',
    ttl: '5m',
    reply: ({ index }) => textReply(index, 40),
    gapBefore: (index) => (index === 0 ? 0 : 30 * SECOND),
    run: async (model) => {
      const messages: ModelMessage[] = [];
      const starts: number[] = [];
      const ask = async (text: string) => {
        starts.push(messages.length);
        messages.push({ role: 'user', content: text });
        const result = await generateText({ model, system, messages, maxRetries: 0 });
        messages.push(...result.response.messages);
      };
      for (let turn = 0; turn < 8; turn++) await ask(userTurn(turn, 40));
      messages.length = starts[3]!;
      await ask(`${userTurn(3, 40)} Also: ${prose(25, 4100)}`);
      for (let turn = 4; turn < 8; turn++) await ask(userTurn(turn + 10, 40));
    },
  };
}

/** A Haiku 4.5 chat that starts below the model's 4,096-token minimum and crosses it around turn 7. */
export function haikuCrossingWorkload(): Workload {
  const system = `You are a concise tutor. ${prose(1500, 50)}`;
  return {
    name: 'haiku-crossing',
    title: '14-turn chat behind a ~1.5K-token system prompt: below the 4,096-token minimum until about turn 7',
    family: 'claude',
    modelId: HAIKU,
    api: 'converse',
    ttl: '5m',
    reply: ({ index }) => textReply(index, 50),
    gapBefore: (index) => (index === 0 ? 0 : 40 * SECOND),
    run: (model) => chat(model, { turns: 14, system: () => system, seed: 50 }),
  };
}

/** The idle-gap chat on Nova Lite (5m only: no 1h to bridge the pauses). */
export function novaIdleWorkload(): Workload {
  const system = `You are a research assistant. ${prose(3000, 60)}`;
  return {
    name: 'nova-lite-idle',
    title: "12-turn chat on Nova Lite, 7-minute pauses before turns 4, 8 and 11 (Nova has no 1h TTL)",
    family: 'nova',
    modelId: NOVA_LITE,
    api: 'converse',
    ttl: '5m',
    reply: ({ index }) => textReply(index, 60),
    gapBefore: (index) => (index === 0 ? 0 : IDLE_TURNS.has(index) ? 7 * MINUTE : 30 * SECOND),
    run: (model) => chat(model, { turns: 12, system: () => system, seed: 60 }),
  };
}

/** The full suite, in report order. */
export function suite(): Workload[] {
  return [
    chatWorkload(),
    agentClaudeWorkload(),
    agentAppCheckpointWorkload(),
    documentQaWorkload(),
    agentNovaWorkload(),
    idleGapWorkload('5m'),
    idleGapWorkload('1h'),
    dynamicSystemWorkload('converse'),
    dynamicSystemWorkload('invoke'),
    sharedPrefixWorkload(),
    ragWorkload(),
    agent40Workload(),
    editEarlierWorkload(),
    haikuCrossingWorkload(),
    novaIdleWorkload(),
    ...pauseWorkloads(),
    ...trafficWorkloads(),
  ];
}

/** A tiny workload for the smoke test: a 3-turn chat behind a ~1.5K-token system prompt. */
export function tinyWorkload(): Workload {
  const system = `You are terse. ${prose(1500, 9)}`;
  return {
    name: 'tiny-chat',
    title: '3-turn chat behind a ~1.5K-token system prompt',
    family: 'claude',
    modelId: SONNET,
    api: 'converse',
    ttl: '5m',
    reply: ({ index }) => textReply(index, 9),
    gapBefore: (index) => (index === 0 ? 0 : 20 * SECOND),
    run: (model) => chat(model, { turns: 3, system: () => system, seed: 9 }),
  };
}
