/**
 * `npm run bench:overhead`
 *
 * What the middleware costs: `transformParams` of `bedrockCacheMiddleware()` timed on large
 * prompts against the provider's own request preparation for the same prompt, i.e. the
 * provider's `doGenerate` with a `fetch` that answers at once (prompt conversion, base64
 * of files, JSON body, SigV4 signature, response parsing). Both run in one process, in
 * alternation, and the medians are compared. Also checks that the middleware shares file
 * data (and every message it doesn't mark) with the caller instead of copying it.
 *
 * The fixed prompts are sent again and again and never settled, so the ledger's tree never
 * holds them (every call looks like a conversation's first); the last row is a chat growing
 * one turn per call with each call settled, as a running app's ledger sees it (see GROWING).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { createBedrockAnthropic } from '@ai-sdk/amazon-bedrock/anthropic';
import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3Prompt } from '@ai-sdk/provider';
import { bedrockCacheMiddleware } from '../../src/index';
import { prose } from '../cache/text';

const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const TARGET = 0.05;
const GOAL = 0.02;

const converseReply = JSON.stringify({
  output: { message: { role: 'assistant', content: [{ text: 'ok' }] } },
  stopReason: 'end_turn',
  usage: { inputTokens: 10, outputTokens: 1, totalTokens: 11 },
  metrics: { latencyMs: 1 },
});
const anthropicReply = JSON.stringify({
  id: 'msg_bench',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5-20250929',
  content: [{ type: 'text', text: 'ok' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 10, output_tokens: 1 },
});

/** A fetch that answers at once, without reading the request. */
const instantFetch = (body: string) => async () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });

const settings = { region: 'us-east-1', accessKeyId: 'AKIABENCHMARK0000001', secretAccessKey: 'benchmark' };
const converseModel = (): LanguageModelV3 => createAmazonBedrock({ ...settings, fetch: instantFetch(converseReply) })(SONNET);
const invokeModel = (): LanguageModelV3 => createBedrockAnthropic({ ...settings, fetch: instantFetch(anthropicReply) })(SONNET);

interface Scenario {
  name: string;
  model: () => LanguageModelV3;
  params: LanguageModelV3CallOptions;
}

/**
 * A chat that grows one turn per call, each call settled (through the middleware's
 * wrapGenerate, with usage that reads the previous call's prefix and writes the new turn)
 * before the next begins: the ledger has seen every earlier turn, as in a running app. Each
 * call's prompt is made of new message and part objects around the same strings, as the AI
 * SDK builds them from the app's messages. Warm-up: turns WARM_FROM–FROM; measured: FROM–TO.
 */
const GROWING = { warmFrom: 80, from: 170, to: 230 };

/** Turn `turns` of a chat shaped like chatPrompt's, built anew (new objects, the same strings). */
function growingPrompt(turns: number): LanguageModelV3Prompt {
  const prompt: LanguageModelV3Prompt = [{ role: 'system', content: chatTexts.system }];
  for (let t = 0; t < turns; t++) {
    prompt.push({ role: 'user', content: [{ type: 'text', text: chatTexts.user(t) }] });
    prompt.push({ role: 'assistant', content: [{ type: 'text', text: chatTexts.answer(t) }] });
  }
  prompt.push({ role: 'user', content: [{ type: 'text', text: chatTexts.user(turns) }] });
  return prompt;
}

const memo = <T>(f: (n: number) => T) => {
  const cache = new Map<number, T>();
  return (n: number) => cache.get(n) ?? (cache.set(n, f(n)), cache.get(n)!);
};
const chatTexts = { system: prose(6000, 3), user: memo((t) => prose(120, 20 + t)), answer: memo((t) => prose(300, 900 + t)) };

/** A Converse reply whose usage reads `read` tokens and writes `written`. */
const cachedReply = (read: number, written: number) =>
  JSON.stringify({
    output: { message: { role: 'assistant', content: [{ text: 'ok' }] } },
    stopReason: 'end_turn',
    usage: { inputTokens: 10, outputTokens: 1, totalTokens: 11 + read + written, cacheReadInputTokens: read, cacheWriteInputTokens: written },
    metrics: { latencyMs: 1 },
  });

function tools(count: number): LanguageModelV3CallOptions['tools'] {
  return Array.from({ length: count }, (_, i) => ({
    type: 'function' as const,
    name: `tool_${i}`,
    description: prose(200, 100 + i),
    inputSchema: {
      type: 'object',
      properties: Object.fromEntries(Array.from({ length: 6 }, (_, k) => [`field${k}`, { type: 'string', description: prose(20, 1000 * i + k) }])),
      required: ['field0'],
    },
  }));
}

/** An agent history: `steps` steps of 3 parallel tool calls with ~400-token results. */
function agentPrompt(steps: number, { image }: { image?: Uint8Array } = {}): LanguageModelV3Prompt {
  const prompt: LanguageModelV3Prompt = [
    { role: 'system', content: prose(6000, 1) },
    {
      role: 'user',
      content: [
        { type: 'text', text: `Task: ${prose(300, 2)}` },
        ...(image ? [{ type: 'file' as const, mediaType: 'image/png', data: image }] : []),
      ],
    },
  ];
  for (let s = 0; s < steps; s++) {
    const ids = [0, 1, 2].map((k) => `call_${s}_${k}`);
    prompt.push({
      role: 'assistant',
      content: [
        { type: 'text', text: prose(40, 10 + s) },
        ...ids.map((toolCallId, k) => ({ type: 'tool-call' as const, toolCallId, toolName: `tool_${(s + k) % 40}`, input: { field0: prose(8, s * 3 + k) } })),
      ],
    });
    prompt.push({
      role: 'tool',
      content: ids.map((toolCallId, k) => ({
        type: 'tool-result' as const,
        toolCallId,
        toolName: `tool_${(s + k) % 40}`,
        output: { type: 'text' as const, value: prose(400, 5000 + s * 3 + k) },
      })),
    });
  }
  return prompt;
}

/** A long chat: `turns` user/assistant turns of a few hundred tokens. */
function chatPrompt(turns: number): LanguageModelV3Prompt {
  const prompt: LanguageModelV3Prompt = [{ role: 'system', content: prose(6000, 3) }];
  for (let t = 0; t < turns; t++) {
    prompt.push({ role: 'user', content: [{ type: 'text', text: prose(120, 20 + t) }] });
    prompt.push({ role: 'assistant', content: [{ type: 'text', text: prose(300, 900 + t) }] });
  }
  prompt.push({ role: 'user', content: [{ type: 'text', text: 'And now?' }] });
  return prompt;
}

function pseudoImage(bytes: number): Uint8Array {
  const data = new Uint8Array(bytes);
  let x = 7;
  for (let i = 0; i < bytes; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    data[i] = x >>> 24;
  }
  return data;
}

const IMAGE = pseudoImage(4 * 1024 * 1024);
const callOptions = (prompt: LanguageModelV3Prompt, toolCount: number): LanguageModelV3CallOptions => ({
  prompt,
  ...(toolCount > 0 && { tools: tools(toolCount) }),
  maxOutputTokens: 1024,
});

const scenarios: Scenario[] = [
  { name: 'agent: 401 messages, 40 tools (Converse)', model: converseModel, params: callOptions(agentPrompt(200), 40) },
  { name: 'agent: 401 messages, 40 tools, 4 MB image (Converse)', model: converseModel, params: callOptions(agentPrompt(200, { image: IMAGE }), 40) },
  { name: 'chat: 402 messages, no tools (Converse)', model: converseModel, params: callOptions(chatPrompt(200), 0) },
  { name: 'agent: 401 messages, 40 tools, 4 MB image (InvokeModel)', model: invokeModel, params: callOptions(agentPrompt(200, { image: IMAGE }), 40) },
];

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Checks that the transformed params share file data and unmarked messages with the input. */
function checkSharing(before: LanguageModelV3CallOptions, after: LanguageModelV3CallOptions): { files: number; shared: boolean; copiedMessages: number } {
  let files = 0;
  let shared = true;
  let copiedMessages = 0;
  before.prompt.forEach((message, i) => {
    const next = after.prompt[i]!;
    if (next !== message) copiedMessages++;
    if (message.role === 'system' || next.role === 'system') return;
    message.content.forEach((part, k) => {
      const other = next.content[k];
      if (part.type === 'file') {
        files++;
        if (!other || other.type !== 'file' || other.data !== part.data) shared = false;
      }
      if (other !== part) shared = false;
    });
  });
  return { files, shared, copiedMessages };
}

const WARM_UP_CALLS = 300;
const WARM_UP_MS = 2000;
/** Calls `run` up to WARM_UP_CALLS times or for WARM_UP_MS; returns the median time of the calls. */
async function warmUp(run: () => Promise<number>): Promise<number> {
  const until = performance.now() + WARM_UP_MS;
  const times: number[] = [];
  for (let i = 0; i < WARM_UP_CALLS && performance.now() < until; i++) times.push(await run());
  return median(times);
}

const output: string[] = [];
const print = (line: string) => {
  output.push(line);
  console.log(line);
};

const middleware = bedrockCacheMiddleware();
const transform = middleware.transformParams!;
const fixedRounds = process.argv.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length);
/** Rounds per prompt: about 4 s of provider time, between 20 and 150. */
const roundsFor = (providerMs: number) => (fixedRounds ? Number(fixedRounds) : Math.max(20, Math.min(150, Math.round(4000 / providerMs))));

print(
  `Made by \`npm run bench:overhead\` (Node ${process.versions.node}): medians of alternating rounds (provider, then transformParams; 20–150 rounds, about 4 s per prompt), each side first warmed up (up to ${WARM_UP_CALLS} calls or ${WARM_UP_MS / 1000} s); "first call" is each side's very first, cold call.\n`,
);
print('| prompt | provider request preparation (ms) | transformParams (ms) | overhead | rounds | first call: provider / ours (ms) | file data shared | messages copied |');
print('| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
let worst = 0;
let allShared = true;
for (const scenario of scenarios) {
  const model = scenario.model();
  const { params } = scenario;
  const runProvider = async () => {
    const t = performance.now();
    await model.doGenerate(params);
    return performance.now() - t;
  };
  const runOurs = async () => {
    const t = performance.now();
    await transform({ params, type: 'generate', model });
    return performance.now() - t;
  };
  // Cold: the very first call of each (JIT not warm yet), for information only.
  const coldProvider = await runProvider();
  const coldOurs = await runOurs();
  // Warm-up, the same policy for both: up to WARM_UP_CALLS calls or WARM_UP_MS, whichever comes first.
  const warmProvider = await warmUp(runProvider);
  await warmUp(runOurs);
  const rounds = roundsFor(warmProvider);
  const provider: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < rounds; i++) {
    provider.push(await runProvider());
    ours.push(await runOurs());
  }
  const transformed = await transform({ params, type: 'generate', model });
  const sharing = checkSharing(params, transformed);
  allShared &&= sharing.shared;
  const ratio = median(ours) / median(provider);
  worst = Math.max(worst, ratio);
  print(
    `| ${scenario.name} | ${median(provider).toFixed(2)} | ${median(ours).toFixed(3)} | ${(ratio * 100).toFixed(2)}% | ${rounds} | ${coldProvider.toFixed(1)} / ${coldOurs.toFixed(1)} | ${sharing.files > 0 ? (sharing.shared ? 'yes' : '**NO**') : '(no file)'} | ${sharing.copiedMessages} of ${params.prompt.length} |`,
  );
}
{
  // the growing chat (see GROWING): its own middleware instance, so that its ledger holds this conversation only
  const grown = bedrockCacheMiddleware();
  const transformGrown = grown.transformParams!;
  const model = converseModel();
  const settleModel = (reply: string) => createAmazonBedrock({ ...settings, fetch: instantFetch(reply) })(SONNET);
  const provider: number[] = [];
  const ours: number[] = [];
  let coldProvider = 0;
  let coldOurs = 0;
  let messages = 0;
  for (let turn = GROWING.warmFrom; turn < GROWING.to; turn++) {
    const params = callOptions(growingPrompt(turn), 0);
    let t = performance.now();
    await model.doGenerate(params);
    const providerMs = performance.now() - t;
    t = performance.now();
    const transformed = await transformGrown({ params, type: 'generate', model });
    const oursMs = performance.now() - t;
    if (turn === GROWING.warmFrom) [coldProvider, coldOurs] = [providerMs, oursMs];
    if (turn >= GROWING.from) {
      provider.push(providerMs);
      ours.push(oursMs);
      messages += params.prompt.length;
    }
    // settled: reads what the previous turn wrote, writes this turn (tokens about characters ÷ 4)
    const answering = settleModel(cachedReply(turn * 420 + 1500, 120));
    await grown.wrapGenerate!({ doGenerate: () => answering.doGenerate(transformed), params: transformed, model: answering });
  }
  const ratio = median(ours) / median(provider);
  worst = Math.max(worst, ratio);
  const first = GROWING.from * 2 + 2;
  print(
    `| chat: ${first}–${(GROWING.to - 1) * 2 + 2} messages (${Math.round(messages / ours.length)} on average), one turn more per call, each settled (Converse) | ${median(provider).toFixed(2)} | ${median(ours).toFixed(3)} | ${(ratio * 100).toFixed(2)}% | ${ours.length} | ${coldProvider.toFixed(1)} / ${coldOurs.toFixed(1)} | (no file) | — |`,
  );
}
print(
  `\nWorst overhead: ${(worst * 100).toFixed(2)}% of the provider's own request preparation: ${worst < TARGET ? '✅' : '❌'} target < ${TARGET * 100}% (goal ${GOAL * 100}%: ${worst < GOAL ? 'met' : 'missed'}).`,
);
print(`File data and unmarked parts shared, not copied: ${allShared ? '✅ yes' : '❌ no'}.`);
if (!allShared) process.exitCode = 1;

if (!process.argv.includes('--no-write')) {
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}overhead.md`, `${output.join('\n')}\n`);
  console.error('wrote bench/results/overhead.md');
}
