/**
 * One test per failure class peers shipped (shared doc §9), each run end to end against
 * the emulator: the request must be accepted, and where the peer lost money, the cache
 * must actually be read.
 */
import { generateText, stepCountIs, streamText, wrapLanguageModel, type ModelMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware } from '../src';
import { deepFreeze, history, LLAMA, LONG_SYSTEM, NOVA, prose, SONNET, weatherTools } from './support/fixtures';
import { cachePointsOf } from './support/mock-bedrock';
import { countRequestOverhead } from '../src/emulator/tokenizer';
import { useEmulatedBedrock } from './support/emulator-bedrock';

const APP_PROFILE = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/regression1';
/** Hidden tokens after a Claude request's last message (the emulator counts Bedrock's): never cached, so never read back. */
const TRAILING_HIDDEN_TOKENS = countRequestOverhead('claude', { hasTools: false }).trailing;
const bedrock = useEmulatedBedrock({ models: { [APP_PROFILE]: 'anthropic.claude-sonnet-4-5-20250929-v1:0' } });
const cached = (modelId: string, options?: Parameters<typeof bedrockCacheMiddleware>[0]) =>
  wrapLanguageModel({ model: bedrock.bedrock(modelId), middleware: bedrockCacheMiddleware(options) });
const bodies = () => bedrock.emulator.requests.map((r) => r.body as Record<string, any>);
const point = (ttl?: '1h') => ({ bedrock: { cachePoint: ttl ? { type: 'default', ttl } : { type: 'default' } } });
const cities = (n: number) => Array.from({ length: n }, (_, i) => ({ name: 'weather', input: { city: `City${i}` } }));

describe('regressions from peers (shared doc §9)', () => {
  it('checkpoint accumulation across agent steps ("Found 5" by step four)', async () => {
    bedrock.reply(...Array.from({ length: 6 }, (_, i) => ({ toolUses: cities(1 + (i % 3)) })), { text: 'done' });
    const messages = deepFreeze<ModelMessage[]>([...history(2), { role: 'user', content: 'Go' }]);
    const result = await generateText({ model: cached(SONNET), system: LONG_SYSTEM, tools: weatherTools(), messages, stopWhen: stepCountIs(8) });
    expect(result.steps).toHaveLength(7);
    for (const body of bodies()) expect(cachePointsOf(body).length).toBeLessThanOrEqual(4);
    expect(bedrock.emulator.requests.every((r) => r.status === 200)).toBe(true);
    expect(bedrock.usages().slice(1).every((u) => u.cacheReadInputTokens > 0)).toBe(true);
  });

  // The next three keep a system message in `messages`: allowSystemInMessages, which ai 7 requires (ai 6 warns).
  it('more than four checkpoints once the caller has placed some (LiteLLM #16062)', async () => {
    // three of the caller's, none where we would place ours: one slot left, for the last message
    const messages: ModelMessage[] = [
      { role: 'system', content: LONG_SYSTEM },
      { role: 'user', content: 'a', providerOptions: point() },
      { role: 'assistant', content: 'b', providerOptions: point() },
      { role: 'user', content: 'c' },
      { role: 'assistant', content: 'd', providerOptions: point() },
      { role: 'user', content: 'e' },
    ];
    await generateText({ model: cached(SONNET), allowSystemInMessages: true, messages });
    expect(bedrock.emulator.requests[0]!.status).toBe(200);
    expect(cachePointsOf(bodies()[0]!).map((p) => p.at)).toEqual(['messages[0][1]', 'messages[1][1]', 'messages[3][1]', 'messages[4][1]']);
  });

  it("TTL order broken by the caller's 5m checkpoint (LangChain: not enforced)", async () => {
    await generateText({ model: cached(SONNET, { ttl: '1h' }), allowSystemInMessages: true, messages: [{ role: 'system', content: LONG_SYSTEM, providerOptions: point() }, ...history(1), { role: 'user', content: 'x' }] });
    expect(bedrock.emulator.requests[0]!.status).toBe(200);
  });

  it('duplicate adjacent checkpoints with mixed TTLs (langchainjs #11099)', async () => {
    const messages: ModelMessage[] = [
      { role: 'system', content: LONG_SYSTEM },
      { role: 'user', content: [{ type: 'text', text: 'Hi', providerOptions: point('1h') }] },
    ];
    await generateText({ model: cached(SONNET), allowSystemInMessages: true, messages });
    const body = bodies()[0]!;
    expect(body.messages[0].content).toEqual([{ text: 'Hi' }, { cachePoint: { type: 'default', ttl: '1h' } }]);
    expect(cachePointsOf(body)).toEqual([
      { at: 'system[1]', ttl: '1h' },
      { at: 'messages[0][1]', ttl: '1h' },
    ]);
  });

  it('a checkpoint right after a reasoning block (Strands #1820)', async () => {
    bedrock.reply({ reasoning: 'let me think', text: 'Answer' });
    const first = await generateText({ model: cached(SONNET), system: LONG_SYSTEM, prompt: 'Think hard' });
    const messages: ModelMessage[] = [
      { role: 'user', content: 'Think hard' },
      ...first.response.messages,
      { role: 'user', content: 'Go on' },
      { role: 'assistant', content: first.response.messages[0]!.content as never }, // replayed, reasoning first
    ];
    await generateText({ model: cached(SONNET), system: LONG_SYSTEM, messages });
    expect(bedrock.emulator.requests.map((r) => r.status)).toEqual([200, 200]);
  });

  it('tool checkpoints and tool-turn checkpoints on Nova (Bedrock rejects the first)', async () => {
    bedrock.reply({ toolUses: cities(3) }, { text: 'done' });
    const toolOptions: unknown[] = [];
    const model = wrapLanguageModel({
      model: bedrock.bedrock(NOVA),
      middleware: [
        bedrockCacheMiddleware(),
        // what a provider that emits tool checkpoints (provider 5 may) would see
        { specificationVersion: 'v3', transformParams: async ({ params }) => (toolOptions.push(...(params.tools ?? []).map((t) => 'providerOptions' in t && t.providerOptions)), params) },
      ],
    });
    await generateText({ model, system: LONG_SYSTEM, tools: weatherTools({ long: true }), prompt: 'Weather?', stopWhen: stepCountIs(3) });
    expect(bedrock.emulator.requests.map((r) => r.status)).toEqual([200, 200]);
    expect(toolOptions.filter(Boolean)).toEqual([]);
    for (const body of bodies()) expect(body.toolConfig.tools.some((t: any) => 'cachePoint' in t)).toBe(false);
    // no checkpoint on the tool-use / tool-result turns
    expect(cachePointsOf(bodies()[1]!).map((p) => p.at)).toEqual(['system[1]', 'messages[0][1]']);
  });

  it('checkpoints sent to models without caching (LiteLLM #39210, Strands #4168)', async () => {
    await generateText({ model: cached(LLAMA, { unsupportedModelBehavior: 'ignore' }), system: LONG_SYSTEM, tools: weatherTools(), prompt: 'Hi' });
    expect(bedrock.emulator.requests[0]!.status).toBe(200);
    expect(cachePointsOf(bodies()[0]!)).toEqual([]);
  });

  it('application inference-profile ARNs (langchain-aws #988)', async () => {
    const model = cached(APP_PROFILE, { modelFamily: 'anthropic' });
    await generateText({ model, system: LONG_SYSTEM, prompt: 'First' });
    await generateText({ model, system: LONG_SYSTEM, prompt: 'Second' });
    expect(bedrock.usages()[1]!.cacheReadInputTokens).toBeGreaterThan(1000);
  });

  it('a growing history behind a fixed instruction is read, turn after turn (langchain-aws #1162)', async () => {
    const model = cached(SONNET);
    const messages: ModelMessage[] = [];
    for (let turn = 0; turn < 6; turn++) {
      messages.push({ role: 'user', content: `Turn ${turn}: ${prose(150, turn)}` });
      const result = await generateText({ model, system: LONG_SYSTEM, messages });
      messages.push(...result.response.messages);
    }
    const usages = bedrock.usages();
    for (let turn = 1; turn < usages.length; turn++) {
      const previous = usages[turn - 1]!;
      // everything the previous request sent is read back (but the hidden tokens after its last message, never cached)
      expect(usages[turn]!.cacheReadInputTokens).toBeGreaterThanOrEqual(
        previous.inputTokens + previous.cacheReadInputTokens + previous.cacheWriteInputTokens - TRAILING_HIDDEN_TOKENS,
      );
    }
  });

  it('the system prompt is cached for every conversation that shares it (Strands #3145)', async () => {
    const model = cached(SONNET);
    await generateText({ model, system: LONG_SYSTEM, prompt: 'Conversation one' });
    await generateText({ model, system: LONG_SYSTEM, prompt: 'A different conversation' });
    expect(bedrock.usages()[1]!.cacheReadInputTokens).toBeGreaterThan(3000);
  });

  it('tool_use ids are never rewritten (langchainjs #9871)', async () => {
    bedrock.reply({ toolUses: [{ name: 'weather', input: { city: 'Oslo' }, id: 'tooluse_Keep-This_id' }] }, { text: 'done' });
    await generateText({ model: cached(SONNET), system: LONG_SYSTEM, tools: weatherTools(), prompt: 'Weather?', stopWhen: stepCountIs(3) });
    const second = bodies()[1]!;
    expect(second.messages[1].content[0].toolUse.toolUseId).toBe('tooluse_Keep-This_id');
    expect(second.messages[2].content[0].toolResult.toolUseId).toBe('tooluse_Keep-This_id');
  });

  it('a tool-result checkpoint keeps its TTL and is a block of its own (Portkey #1762)', async () => {
    bedrock.reply({ toolUses: cities(1) }, { text: 'done' });
    await generateText({ model: cached(SONNET, { ttl: '1h' }), system: LONG_SYSTEM, tools: weatherTools(), prompt: 'Weather?', stopWhen: stepCountIs(3) });
    const toolTurn = bodies()[1]!.messages[2].content;
    expect(toolTurn.map((b: any) => Object.keys(b))).toEqual([['toolResult'], ['cachePoint']]);
    expect(toolTurn[1]).toEqual({ cachePoint: { type: 'default', ttl: '1h' } });
  });

  it('a step with many parallel tool calls still reads the previous step (beyond the ~20-block lookback)', async () => {
    bedrock.reply({ toolUses: cities(12) }, { text: 'done' });
    const result = streamText({ model: cached(SONNET), system: LONG_SYSTEM, tools: weatherTools(), prompt: 'Weather everywhere?', stopWhen: stepCountIs(3) });
    await result.consumeStream();
    const [first, second] = bedrock.usages();
    expect(second!.cacheReadInputTokens).toBeGreaterThanOrEqual(
      first!.inputTokens + first!.cacheReadInputTokens + first!.cacheWriteInputTokens - TRAILING_HIDDEN_TOKENS,
    );
  });
});

describe('regressions from the 2026-12 audit (issues 9 and 13), end to end on the emulator', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  const csv = { type: 'file' as const, mediaType: 'text/csv', data: bytes('region,total\nnorth,12\n'), filename: 'totals.csv' };
  const pdf = { type: 'file' as const, mediaType: 'application/pdf', data: bytes('%PDF-1.4 report'), filename: 'report.pdf' };

  it('a user message ending in a CSV attachment is accepted, and cached as history next turn (aws/aws-sdk-java-v2 #6277, strands-agents/harness-sdk #1966)', async () => {
    const model = cached(SONNET);
    const messages: ModelMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'Compare these.' }, pdf, csv] }];
    const first = await generateText({ model, system: LONG_SYSTEM, messages, maxRetries: 0 });
    messages.push(...first.response.messages, { role: 'user', content: 'And the north region?' });
    await generateText({ model, system: LONG_SYSTEM, messages, maxRetries: 0 });
    expect(bedrock.emulator.requests.map((r) => r.status)).toEqual([200, 200]);
    const [one, two] = bedrock.usages();
    expect(two!.cacheReadInputTokens).toBeGreaterThanOrEqual(one!.cacheReadInputTokens + one!.cacheWriteInputTokens);
  });

  it('a PDF-only user message gets no checkpoint of its own (opencode #17300)', async () => {
    await generateText({ model: cached(SONNET), system: LONG_SYSTEM, messages: [...history(1), { role: 'user', content: [pdf] }], maxRetries: 0 });
    expect(bedrock.emulator.requests.map((r) => r.status)).toEqual([200]);
    expect(cachePointsOf(bodies()[0]!).some((p) => p.at.startsWith('messages[2]'))).toBe(false);
  });

  it.each(['us.anthropic.claude-sonnet-4-20250514-v1:0', 'us.anthropic.claude-opus-4-20250514-v1:0', 'us.anthropic.claude-opus-4-1-20250805-v1:0', 'global.anthropic.claude-opus-4-8', 'us.anthropic.claude-sonnet-5-5'])(
    '%s caches (was "unsupported model")',
    async (id) => {
      const model = cached(id);
      await generateText({ model, system: LONG_SYSTEM, prompt: 'First', maxRetries: 0 });
      const second = await generateText({ model, system: LONG_SYSTEM, prompt: 'Second', maxRetries: 0 });
      expect(second.warnings ?? []).toEqual([]);
      expect(bedrock.usages()[1]!.cacheReadInputTokens).toBeGreaterThan(3000);
    },
  );

  it('Opus 5 and Fable 5 cache a prefix of 512 to 1,024 tokens', async () => {
    const system = `Rules. ${prose(700)}`; // about 720 tokens
    for (const id of ['us.anthropic.claude-opus-5', 'global.anthropic.claude-fable-5']) {
      bedrock.emulator.reset();
      const model = cached(id);
      await generateText({ model, system, prompt: 'First', maxRetries: 0 });
      await generateText({ model, system, prompt: 'Second', maxRetries: 0 });
      const [first, second] = bedrock.usages();
      expect(first!.cacheWriteInputTokens).toBeGreaterThan(512);
      expect(first!.cacheWriteInputTokens).toBeLessThan(1024);
      // the system prompt's prefix, written by the first call, is read by the second
      expect(second!.cacheReadInputTokens).toBeGreaterThan(512);
      expect(second!.cacheReadInputTokens).toBeLessThanOrEqual(first!.cacheWriteInputTokens);
    }
  });

  it("modelFamily 'anthropic' with ttl '1h' sends 5m to Sonnet 4, which has no extended TTL", async () => {
    const result = await generateText({ model: cached('us.anthropic.claude-sonnet-4-20250514-v1:0', { modelFamily: 'anthropic', ttl: '1h' }), system: LONG_SYSTEM, prompt: 'Hi', maxRetries: 0 });
    expect(bedrock.emulator.requests.map((r) => r.status)).toEqual([200]);
    expect(cachePointsOf(bodies()[0]!).map((p) => p.ttl)).toEqual([undefined, undefined]);
    expect(result.warnings).toEqual([expect.objectContaining({ message: expect.stringContaining('has no 1h cache TTL') })]);
  });

  it('a 1h TTL Bedrock rejects (a row that claimed it) is retried once with 5m, then not sent again', async () => {
    const id = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
    const model = cached(id, { ttl: '1h', models: { 'anthropic.claude-sonnet-4-20250514': { ttls: ['1h', '5m'] } } });
    const first = await generateText({ model, system: LONG_SYSTEM, prompt: 'First', maxRetries: 0 });
    await generateText({ model, system: LONG_SYSTEM, prompt: 'Second', maxRetries: 0 });
    expect(bedrock.emulator.requests.map((r) => r.status)).toEqual([400, 200, 200]);
    expect(first.warnings).toContainEqual(expect.objectContaining({ message: expect.stringContaining('with 5m instead of 1h') }));
    expect(bedrock.usages()[1]!.cacheReadInputTokens).toBeGreaterThan(3000);
  });

  it('an app whose prepareStep adds a checkpoint on every step never exceeds four (twentyhq/twenty #26217)', async () => {
    bedrock.reply(...Array.from({ length: 5 }, () => ({ toolUses: cities(1) })), { text: 'done' });
    await generateText({
      model: cached(SONNET),
      system: LONG_SYSTEM,
      tools: weatherTools(),
      prompt: 'Go',
      stopWhen: stepCountIs(7),
      maxRetries: 0,
      // the app marks the last message of every step, and the marks stay in its history
      prepareStep: ({ messages }) => {
        const last = messages.at(-1)!;
        last.providerOptions = { ...last.providerOptions, ...point() };
        return { messages };
      },
    });
    expect(bedrock.emulator.requests.length).toBe(6);
    expect(bedrock.emulator.requests.every((r) => r.status === 200)).toBe(true);
    for (const body of bodies()) expect(cachePointsOf(body).length).toBeLessThanOrEqual(4);
    expect(bedrock.usages().slice(1).every((u) => u.cacheReadInputTokens > 0)).toBe(true);
  });

  it('anthropic.cacheControl on a Converse model is named in a warning, and caching still works (cline #12913, mastra #19672)', async () => {
    const model = cached(SONNET);
    const system = { role: 'system' as const, content: LONG_SYSTEM, providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } } };
    const first = await generateText({ model, allowSystemInMessages: true, messages: [system, { role: 'user', content: 'One' }], maxRetries: 0 });
    await generateText({ model, allowSystemInMessages: true, messages: [system, { role: 'user', content: 'Two' }], maxRetries: 0 });
    expect(first.warnings).toContainEqual(expect.objectContaining({ message: expect.stringContaining('write providerOptions.bedrock.cachePoint') }));
    expect(bedrock.usages()[1]!.cacheReadInputTokens).toBeGreaterThan(3000);
  });

  it('a call-level anthropic.cacheControl on InvokeModel is accepted (UKGovernmentBEIS/inspect_ai #3851)', async () => {
    const model = wrapLanguageModel({ model: bedrock.anthropic(SONNET), middleware: bedrockCacheMiddleware() });
    const options = { anthropic: { cacheControl: { type: 'ephemeral' } } };
    await generateText({ model, system: LONG_SYSTEM, prompt: 'One', providerOptions: options, maxRetries: 0 });
    await generateText({ model, system: LONG_SYSTEM, prompt: 'Two', providerOptions: options, maxRetries: 0 });
    expect(bedrock.emulator.requests.map((r) => r.status)).toEqual([200, 200]);
    expect(bedrock.usages()[1]!.cacheReadInputTokens).toBeGreaterThan(3000);
  });
});

