/**
 * Workloads of issue 18 (the ledger on ordinary traffic): one-shot extraction and a fan-out
 * over distinct documents (no call ever continues one: a write at the last message is never
 * read), interleaved chats whose people pause 5–40 minutes, and two tenants whose users all
 * open with "Hello". Deterministic; the clock jumps, nothing waits.
 */
import { generateText, type LanguageModel, type ModelMessage } from 'ai';
import type { ScriptedReply as EmulatorReply } from '../../src/emulator/index';
import { between, prose, rng } from './text';
import { SONNET, type Workload } from './workloads';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

const reply = (index: number, seed: number): EmulatorReply => ({ text: prose(between(rng(seed * 7 + index), 80, 300), seed * 1000 + index) });
const question = (turn: number, seed: number) => `Question ${turn + 1}: ${prose(between(rng(seed + turn), 20, 120), seed * 100 + turn)}`;
const documentOf = (i: number, seed: number, min: number, max: number) =>
  `<document id="${i + 1}">\n${prose(between(rng(seed * 31 + i), min, max), seed * 1000 + i)}\n</document>`;

/** One conversation's turn at a time of the schedule. */
interface Turn {
  time: number;
  conversation: number;
  turn: number;
}

/** The turns of several conversations in the order they happen. */
function schedule(starts: readonly number[], gaps: (conversation: number, turn: number) => number, turns: (conversation: number) => number): Turn[] {
  const all: Turn[] = [];
  starts.forEach((start, conversation) => {
    let time = start;
    for (let turn = 0; turn < turns(conversation); turn++) {
      if (turn > 0) time += gaps(conversation, turn);
      all.push({ time, conversation, turn });
    }
  });
  return all.sort((a, b) => a.time - b.time || a.conversation - b.conversation);
}

/** Runs scheduled turns in order; `opener` gives a conversation's first user message. */
async function runTurns(
  model: LanguageModel,
  turns: readonly Turn[],
  { system, opener, seed }: { system: (conversation: number) => string; opener: (conversation: number) => string; seed: number },
) {
  const histories = new Map<number, ModelMessage[]>();
  for (const { conversation, turn } of turns) {
    const messages = histories.get(conversation) ?? [];
    histories.set(conversation, messages);
    messages.push({ role: 'user', content: turn === 0 ? opener(conversation) : question(turn, seed + conversation) });
    const result = await generateText({ model, system: system(conversation), messages, maxRetries: 0 });
    messages.push(...result.response.messages);
  }
}

const gapsOf = (turns: readonly Turn[]) => (index: number) => (index > 0 && index < turns.length ? turns[index]!.time - turns[index - 1]!.time : 0);

/** 20 distinct documents (1.5–3K tokens) through one ~1.5K-token extraction instruction, one after another. */
export function extractionWorkload(): Workload {
  const system = `You extract every party, date, amount and obligation from the document as JSON. ${prose(1500, 71)}`;
  const documents = Array.from({ length: 20 }, (_, i) => documentOf(i, 71, 1500, 3000));
  const next = rng(71);
  const gaps = documents.map((_, i) => (i === 0 ? 0 : between(next, 5, 20) * SECOND));
  return {
    name: 'extraction',
    title: 'one-shot extraction over 20 distinct 1.5–3K-token documents behind one ~1.5K-token instruction, 5–20 s apart',
    family: 'claude',
    modelId: SONNET,
    api: 'converse',
    ttl: '5m',
    reply: ({ index }) => ({ text: `{"document": ${index + 1}, "parties": ["${prose(4, 7100 + index)}"]}` }),
    gapBefore: (index) => gaps[index] ?? 0,
    run: async (model) => {
      for (const prompt of documents) await generateText({ model, system, prompt, maxRetries: 0 });
    },
  };
}

/** Two Promise.all fan-outs of 40 distinct documents (1–3K tokens) each behind one ~2K-token instruction, 3 minutes apart. */
export function fanOutDocumentsWorkload(): Workload {
  const system = `You summarise the document in three sentences for an analyst. ${prose(2000, 72)}`;
  const batches = [0, 1].map((batch) => Array.from({ length: 40 }, (_, i) => documentOf(batch * 40 + i, 72, 1000, 3000)));
  return {
    name: 'fan-out-documents',
    title: 'two Promise.all fan-outs (40 + 40) over distinct 1–3K-token documents behind one ~2K-token instruction, 3 min apart',
    family: 'claude',
    modelId: SONNET,
    api: 'converse',
    ttl: '5m',
    reply: ({ index }) => ({ text: `Summary ${index + 1}: ${prose(60, 7200 + index)}` }),
    gapBefore: (index) => (index === 40 ? 3 * MINUTE : 0),
    run: async (model) => {
      for (const documents of batches) {
        await Promise.all(documents.map((prompt) => generateText({ model, system, prompt, maxRetries: 0 })));
      }
    },
  };
}

/**
 * Six support chats on one ~3K-token system prompt, 5 turns each, starting 4 minutes apart;
 * each person pauses 5–40 minutes before every next turn, so the turns of different people
 * interleave and the system prompt is often idle for minutes.
 */
export function interleavedPausesWorkload(): Workload {
  const system = `You are a patient support agent of a telecom operator. ${prose(2950, 73)}`;
  const next = rng(73);
  const turns = schedule(
    Array.from({ length: 6 }, (_, c) => c * 4 * MINUTE),
    () => between(next, 5 * 60, 40 * 60) * SECOND,
    () => 5,
  );
  return {
    name: 'interleaved-pauses',
    title: '6 interleaved 5-turn support chats on one ~3K-token system prompt, each person pausing 5–40 min between turns',
    family: 'claude',
    modelId: SONNET,
    api: 'converse',
    ttl: '5m',
    reply: ({ index }) => reply(index, 73),
    gapBefore: gapsOf(turns),
    run: (model) => runTurns(model, turns, { system: () => system, opener: (c) => question(0, 73 + c), seed: 73 }),
  };
}

/**
 * Two tenants (~2.5K-token system prompts each) of one app: 12 users, alternating tenants,
 * arriving 40 s apart, each opening with "Hello" and then asking 1–3 questions 30–90 s apart.
 */
export function twoTenantsWorkload(): Workload {
  const tenants = [
    `You are the assistant of Acme Bank. Never give investment advice. ${prose(2500, 74)}`,
    `You are the assistant of Zenith Travel. Offer to book what you suggest. ${prose(2500, 75)}`,
  ];
  const next = rng(74);
  const lengths = Array.from({ length: 12 }, () => between(next, 2, 4));
  const turns = schedule(
    lengths.map((_, u) => u * 40 * SECOND),
    () => between(next, 30, 90) * SECOND,
    (u) => lengths[u]!,
  );
  return {
    name: 'two-tenants',
    title: '2 tenants (~2.5K-token system prompts), 12 users alternating tenants, all opening with "Hello", then 1–3 questions',
    family: 'claude',
    modelId: SONNET,
    api: 'converse',
    ttl: '5m',
    reply: ({ index }) => reply(index, 74),
    gapBefore: gapsOf(turns),
    run: (model) => runTurns(model, turns, { system: (u) => tenants[u % 2]!, opener: () => 'Hello', seed: 74 }),
  };
}

/** The workloads of issue 18, for the suite (bench/cache/workloads.ts `suite`). */
export function trafficWorkloads(): Workload[] {
  return [extractionWorkload(), fanOutDocumentsWorkload(), interleavedPausesWorkload(), twoTenantsWorkload()];
}
