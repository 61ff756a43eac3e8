import { generateText, streamText, wrapLanguageModel } from 'ai';
import { describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware } from '../src';
import { history, LONG_SYSTEM, SONNET, weatherTools } from './support/fixtures';
import { cachePointsOf, useMockBedrock } from './support/mock-bedrock';

const mock = useMockBedrock();
const model = (options?: Parameters<typeof bedrockCacheMiddleware>[0]) =>
  wrapLanguageModel({ model: mock.bedrock(SONNET), middleware: bedrockCacheMiddleware(options) });

describe('Claude on Converse', () => {
  it('closes the system prompt and the last message on a first request', async () => {
    await generateText({ model: model(), system: LONG_SYSTEM, prompt: 'Hello' });
    const body = mock.last();
    expect(body.system).toEqual([{ text: LONG_SYSTEM }, { cachePoint: { type: 'default' } }]);
    expect(body.messages).toEqual([{ role: 'user', content: [{ text: 'Hello' }, { cachePoint: { type: 'default' } }] }]);
  });

  it('also closes the previous request on a later turn, ending with the last message', async () => {
    await generateText({ model: model(), system: LONG_SYSTEM, messages: [...history(2), { role: 'user', content: 'And now?' }] });
    expect(cachePointsOf(mock.last())).toEqual([
      { at: 'system[1]', ttl: undefined },
      // after the previous answer: reads what the previous request wrote (one block back) and
      // leaves an entry that an edited last question can still read
      { at: 'messages[3][1]', ttl: undefined },
      { at: 'messages[4][1]', ttl: undefined },
    ]);
  });

  it('marks the last tool (which this provider version drops from the wire) and counts it', async () => {
    const seen: unknown[] = [];
    const observed = wrapLanguageModel({
      model: mock.bedrock(SONNET),
      middleware: [
        bedrockCacheMiddleware(),
        { specificationVersion: 'v3', transformParams: async ({ params }) => (seen.push(params.tools), params) },
      ],
    });
    await generateText({ model: observed, system: LONG_SYSTEM, tools: weatherTools({ long: true }), messages: [...history(3), { role: 'user', content: 'Weather?' }] });
    const tools = seen[0] as Array<{ name: string; providerOptions?: unknown }>;
    expect(tools.map((t) => t.providerOptions)).toEqual([undefined, { bedrock: { cachePoint: { type: 'default' } } }]);
    const points = cachePointsOf(mock.last());
    // tools + system + previous request + last message = 4: the wire shows the three the provider emits
    expect(points.map((p) => p.at)).toEqual(['system[1]', 'messages[5][1]', 'messages[6][1]']);
  });

  it('gives a tools slot whose prefix is below the minimum to the previous request instead', async () => {
    const messages = [
      { role: 'user' as const, content: 'First', providerOptions: { bedrock: { cachePoint: { type: 'default' } } } },
      ...history(3).slice(1),
      { role: 'user' as const, content: 'Weather?' },
    ];
    // The caller's checkpoint leaves 3 slots. Long tools win one over the previous request ...
    await generateText({ model: model(), system: LONG_SYSTEM, tools: weatherTools({ long: true }), messages });
    expect(cachePointsOf(mock.last()).map((p) => p.at)).toEqual(['system[1]', 'messages[0][1]', 'messages[6][1]']);
    // ... short ones are skipped, and the previous request's end gets the slot.
    await generateText({ model: model(), system: LONG_SYSTEM, tools: weatherTools(), messages });
    expect(cachePointsOf(mock.last()).map((p) => p.at)).toEqual(['system[1]', 'messages[0][1]', 'messages[5][1]', 'messages[6][1]']);
  });

  it('places nothing when the whole prompt is clearly below the model minimum', async () => {
    const result = await generateText({ model: model(), system: 'Be brief.', prompt: 'Hi' });
    expect(cachePointsOf(mock.last())).toEqual([]);
    expect(result.warnings ?? []).toEqual([]);
  });

  it('skips a short system prompt and uses the slot for the conversation', async () => {
    await generateText({ model: model(), system: 'Be brief.', messages: [{ role: 'user', content: LONG_SYSTEM }] });
    expect(cachePointsOf(mock.last())).toEqual([{ at: 'messages[0][1]', ttl: undefined }]);
  });

  it('places the same checkpoints when streaming', async () => {
    const result = streamText({ model: model(), system: LONG_SYSTEM, messages: [...history(1), { role: 'user', content: 'More' }] });
    await result.consumeStream();
    expect(mock.requests[0]!.operation).toBe('converse-stream');
    expect(cachePointsOf(mock.last()).map((p) => p.at)).toEqual(['system[1]', 'messages[1][1]', 'messages[2][1]']);
  });

  it('respects minMessagesToCache, counting the system prompt as a message', async () => {
    await generateText({ model: model({ minMessagesToCache: 3 }), system: LONG_SYSTEM, prompt: 'Hello' });
    expect(cachePointsOf(mock.last())).toEqual([]);
    await generateText({ model: model({ minMessagesToCache: 3 }), system: LONG_SYSTEM, messages: [...history(1), { role: 'user', content: 'x' }] });
    expect(cachePointsOf(mock.last()).length).toBeGreaterThan(0);
  });

  it('turns sections off', async () => {
    await generateText({ model: model({ cache: { system: false } }), system: LONG_SYSTEM, prompt: 'Hello' });
    expect(cachePointsOf(mock.last()).map((p) => p.at)).toEqual(['messages[0][1]']);
    await generateText({ model: model({ cache: { messages: false } }), system: LONG_SYSTEM, prompt: 'Hello' });
    expect(cachePointsOf(mock.last()).map((p) => p.at)).toEqual(['system[1]']);
  });

  it('writes 1h where asked, keeping TTLs non-increasing', async () => {
    await generateText({ model: model({ ttl: { system: '1h' } }), system: LONG_SYSTEM, prompt: 'Hello' });
    expect(cachePointsOf(mock.last())).toEqual([
      { at: 'system[1]', ttl: '1h' },
      { at: 'messages[0][1]', ttl: undefined },
    ]);
    await generateText({ model: model({ ttl: '1h' }), system: LONG_SYSTEM, prompt: 'Hello' });
    expect(cachePointsOf(mock.last())).toEqual([
      { at: 'system[1]', ttl: '1h' },
      { at: 'messages[0][1]', ttl: '1h' },
    ]);
  });
});
