/**
 * Workloads of issue 14 (cache economics): chats whose people pause 6–40 minutes between
 * turns (where 5m entries expire and only 1h keeps them), and parallel fan-outs over a shared
 * instruction (where calls sent together on a cold prefix each pay a write). Deterministic.
 */
import { generateText, type LanguageModel, type ModelMessage } from 'ai';
import type { ScriptedReply } from '../../src/emulator/index';
import { between, prose, rng } from './text';
import { SONNET, type Workload } from './workloads';

const SECOND = 1000;

const reply = (index: number, seed: number): ScriptedReply => ({ text: prose(between(rng(seed * 7 + index), 120, 350), seed * 1000 + index) });
const question = (turn: number, seed: number) => `Question ${turn + 1}: ${prose(between(rng(seed + turn), 30, 150), seed * 100 + turn)}`;

/**
 * `conversations` chats on one system prompt, their turns interleaved round-robin (each
 * conversation's next turn comes after every other conversation has had one), so that the
 * gap between one conversation's turns is the sum of `conversations` request gaps.
 */
function interleavedChats(model: LanguageModel, options: { conversations: number; turns: number; system: string; seed: number }) {
  return (async () => {
    const histories: ModelMessage[][] = Array.from({ length: options.conversations }, () => []);
    for (let turn = 0; turn < options.turns; turn++) {
      for (let c = 0; c < options.conversations; c++) {
        const messages = histories[c]!;
        messages.push({ role: 'user', content: question(turn * 10 + c, options.seed + c) });
        const result = await generateText({ model, system: options.system, messages, maxRetries: 0 });
        messages.push(...result.response.messages);
      }
    }
  })();
}

/**
 * Four support chats sharing a ~3K-token system prompt, 8 turns each, interleaved; a request
 * every 1.5–10 minutes, so each conversation's next turn comes 6–40 minutes later.
 */
export function pauseChatsWorkload(): Workload {
  const system = `You are a patient support agent. ${prose(2950, 41)}`;
  const next = rng(41);
  const gaps = Array.from({ length: 4 * 8 }, (_, i) => (i === 0 ? 0 : Math.round(between(next, 90, 600)) * SECOND));
  return {
    name: 'pause-chats',
    title: '4 interleaved 8-turn support chats, ~3K-token system prompt, each person pausing 6–40 min between turns',
    family: 'claude',
    modelId: SONNET,
    api: 'converse',
    ttl: '5m',
    reply: ({ index }) => reply(index, 41),
    gapBefore: (index) => gaps[index] ?? 0,
    run: (model) => interleavedChats(model, { conversations: 4, turns: 8, system, seed: 41 }),
  };
}

/**
 * One long research chat (~3K-token system prompt, 16 turns): bursts of quick follow-ups
 * (20–90 s) separated by pauses of 6–40 minutes, about one pause in three turns.
 */
export function pauseBurstsWorkload(): Workload {
  const system = `You are a research assistant. ${prose(2950, 43)}`;
  const next = rng(43);
  const gaps = Array.from({ length: 16 }, (_, i) => (i === 0 ? 0 : i % 3 === 0 ? Math.round(between(next, 6 * 60, 40 * 60)) * SECOND : Math.round(between(next, 20, 90)) * SECOND));
  return {
    name: 'pause-bursts',
    title: '16-turn chat, bursts of quick follow-ups (20–90 s) and a 6–40 min pause every third turn',
    family: 'claude',
    modelId: SONNET,
    api: 'converse',
    ttl: '5m',
    reply: ({ index }) => reply(index, 43),
    gapBefore: (index) => gaps[index] ?? 0,
    run: (model) => interleavedChats(model, { conversations: 1, turns: 16, system, seed: 43 }),
  };
}

/** The pause workloads, for the suite (bench/cache/workloads.ts `suite`). */
export function pauseWorkloads(): Workload[] {
  return [pauseChatsWorkload(), pauseBurstsWorkload()];
}

/** A fan-out: `documents` calls over one shared instruction, `concurrency` at a time. */
export interface FanOutWorkload {
  name: string;
  title: string;
  modelId: string;
  instruction: string;
  documents: string[];
  concurrency: number;
}

/** Tens of documents summarised against one ~6K-token instruction on Sonnet 4.5 (the example). */
export function fanOutWorkloads(): FanOutWorkload[] {
  const instruction = `You extract the parties, dates and obligations of a contract. ${prose(5950, 51)}`;
  const documents = Array.from({ length: 40 }, (_, i) => `Document ${i + 1}: ${prose(between(rng(510 + i), 200, 600), 5100 + i)}`);
  return [10, 40].map((concurrency) => ({
    name: `fan-out-${concurrency}`,
    title: `40 documents, one ~6K-token instruction, ${concurrency} calls at a time`,
    modelId: SONNET,
    instruction,
    documents,
    concurrency,
  }));
}
