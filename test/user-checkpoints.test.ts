import { generateText, wrapLanguageModel, type ModelMessage } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware } from '../src';
import { history, LONG_SYSTEM, SONNET } from './support/fixtures';
import { cachePointsOf, useMockBedrock } from './support/mock-bedrock';
import { PROVIDER_READS_AMAZON_BEDROCK_KEY } from './support/versions';

const mock = useMockBedrock();
const model = (options?: Parameters<typeof bedrockCacheMiddleware>[0]) =>
  wrapLanguageModel({ model: mock.bedrock(SONNET), middleware: bedrockCacheMiddleware(options) });

/** The warnings the middleware gives for a prompt, read from a model that answers anything. */
async function planWarnings(messages: ModelMessage[]) {
  const accepting = new MockLanguageModelV3({
    provider: 'amazon-bedrock',
    modelId: SONNET,
    doGenerate: async () => ({
      content: [{ type: 'text', text: 'ok' }],
      finishReason: { unified: 'stop', raw: 'end_turn' },
      usage: { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } },
      warnings: [],
    }),
  });
  const result = await generateText({ model: wrapLanguageModel({ model: accepting, middleware: bedrockCacheMiddleware() }), allowSystemInMessages: true, messages });
  return result.warnings;
}

const point = (ttl?: '5m' | '1h') => ({ bedrock: { cachePoint: ttl ? { type: 'default', ttl } : { type: 'default' } } });
// A system message in `messages` needs allowSystemInMessages: ai 7 rejects it otherwise (ai 6 warns).
const system = (providerOptions?: Record<string, any>): ModelMessage => ({ role: 'system', content: LONG_SYSTEM, providerOptions });
const user = (text: string, providerOptions?: Record<string, any>): ModelMessage => ({ role: 'user', content: text, providerOptions });

describe("the caller's own checkpoints", () => {
  it('are kept, counted against the budget and never duplicated', async () => {
    const messages = [system(point()), ...history(2), user('Now', point())];
    await generateText({ model: model(), allowSystemInMessages: true, messages });
    // system and last message are the caller's; we add only one after the previous answer
    expect(cachePointsOf(mock.last()).map((p) => p.at)).toEqual(['system[1]', 'messages[3][1]', 'messages[4][1]']);
  });

  it('count at part level too, on either provider key', async () => {
    const messages: ModelMessage[] = [
      system(),
      { role: 'user', content: [{ type: 'text', text: 'Q0' }, { type: 'text', text: 'more', providerOptions: point() }] },
      { role: 'assistant', content: 'A0', providerOptions: { amazonBedrock: { cachePoint: { type: 'default' } } } },
      { role: 'user', content: [{ type: 'text', text: 'Q1', providerOptions: point() }] },
      { role: 'assistant', content: 'A1' },
      user('Q2'),
    ];
    await generateText({ model: model(), allowSystemInMessages: true, messages });
    // 3 of the caller's leave one slot: the last message. Provider 4 (ai 6) ignores the
    // amazonBedrock one on the wire; provider 5 (ai 7) sends it.
    expect(cachePointsOf(mock.last()).map((p) => p.at)).toEqual(
      PROVIDER_READS_AMAZON_BEDROCK_KEY
        ? ['messages[0][2]', 'messages[1][1]', 'messages[2][1]', 'messages[4][1]']
        : ['messages[0][2]', 'messages[2][1]', 'messages[4][1]'],
    );
  });

  it('leave nothing to add when there are already four', async () => {
    const messages = [system(point()), user('a', point()), { role: 'assistant', content: 'b', providerOptions: point() } as ModelMessage, user('c', point()), { role: 'assistant', content: 'd' } as ModelMessage, user('e')];
    const result = await generateText({ model: model(), allowSystemInMessages: true, messages });
    expect(cachePointsOf(mock.last())).toHaveLength(4);
    expect(result.warnings ?? []).toEqual([]);
  });

  it('are repaired when there are more than four: system first, then the latest messages', async () => {
    const messages = [system(point()), user('a', point()), { role: 'assistant', content: 'b', providerOptions: point() } as ModelMessage, user('c', point()), { role: 'assistant', content: 'd', providerOptions: point() } as ModelMessage, user('e')];
    const frozen = structuredClone(messages);
    const result = await generateText({ model: model(), allowSystemInMessages: true, messages, maxRetries: 0 });
    // the oldest message checkpoint (on "a") goes; Bedrock accepts the request at once
    expect(mock.requests).toHaveLength(1);
    expect(cachePointsOf(mock.last()).map((p) => p.at)).toEqual(['system[1]', 'messages[1][1]', 'messages[2][1]', 'messages[3][1]']);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        type: 'other',
        message: expect.stringContaining('has 5 cache checkpoints of its own; Bedrock accepts at most 4. Dropped the ones on message 0; kept the system prompt, message 1, message 2, message 3.'),
      }),
    ]);
    expect(messages).toEqual(frozen); // repaired on a copy
  });

  it('are left as written, with a warning, when repairCheckpoints is off', async () => {
    const messages = [system(point()), user('a', point()), { role: 'assistant', content: 'b', providerOptions: point() } as ModelMessage, user('c', point()), { role: 'assistant', content: 'd', providerOptions: point() } as ModelMessage, user('e')];
    const result = generateText({ model: model({ repairCheckpoints: false }), allowSystemInMessages: true, messages, maxRetries: 0 });
    // Bedrock rejects the caller's own five; we add none, change none, retry nothing
    await expect(result).rejects.toThrow('A maximum of 4 blocks with cache_control may be provided. Found 5.');
    expect(mock.requests).toHaveLength(1);
    expect(cachePointsOf(mock.last())).toHaveLength(5);
  });

  it("lower our TTL below a 5m checkpoint of the caller's", async () => {
    await generateText({ model: model({ ttl: '1h' }), allowSystemInMessages: true, messages: [system(point('5m')), user('Hello')] });
    expect(cachePointsOf(mock.last())).toEqual([
      { at: 'system[1]', ttl: '5m' },
      { at: 'messages[0][1]', ttl: undefined },
    ]);
  });

  it("raise our TTL before a 1h checkpoint of the caller's", async () => {
    await generateText({ model: model(), allowSystemInMessages: true, messages: [system(), ...history(1), user('Hello', point('1h'))] });
    expect(cachePointsOf(mock.last())).toEqual([
      { at: 'system[1]', ttl: '1h' },
      { at: 'messages[1][1]', ttl: '1h' },
      { at: 'messages[2][1]', ttl: '1h' },
    ]);
  });

  it('have a 1h that follows a 5m lowered to 5m', async () => {
    const messages = [system(point('5m')), ...history(1), user('Hello', point('1h'))];
    const result = await generateText({ model: model(), allowSystemInMessages: true, messages, maxRetries: 0 });
    expect(cachePointsOf(mock.last())).toEqual([
      { at: 'system[1]', ttl: '5m' },
      { at: 'messages[1][1]', ttl: undefined },
      { at: 'messages[2][1]', ttl: undefined },
    ]);
    expect(result.warnings).toEqual([expect.objectContaining({ message: expect.stringContaining('1h TTL after a 5m one, which Bedrock rejects (tools → system → messages): lowered to 5m on message 2') })]);
    expect(await planWarnings(messages)).toHaveLength(1);
  });

  it('are left as written when their TTL order is invalid and repairCheckpoints is off', async () => {
    const messages = [system(point('5m')), ...history(1), user('Hello', point('1h'))];
    await expect(generateText({ model: model({ repairCheckpoints: false }), allowSystemInMessages: true, messages, maxRetries: 0 })).rejects.toThrow("must not come after a ttl='5m' cache_control block");
    expect(cachePointsOf(mock.last())).toEqual([
      { at: 'system[1]', ttl: '5m' },
      { at: 'messages[2][1]', ttl: '1h' },
    ]);
  });

  it('are not doubled by applying the middleware twice', async () => {
    const twice = wrapLanguageModel({ model: mock.bedrock(SONNET), middleware: [bedrockCacheMiddleware(), bedrockCacheMiddleware()] });
    await generateText({ model: twice, system: LONG_SYSTEM, messages: [...history(2), user('x')] });
    const doubled = cachePointsOf(mock.last());
    await generateText({ model: model(), system: LONG_SYSTEM, messages: [...history(2), user('x')] });
    expect(doubled).toEqual(cachePointsOf(mock.last()));
  });
});
