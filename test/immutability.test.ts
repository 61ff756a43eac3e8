import { generateText, stepCountIs, streamText, wrapLanguageModel, type LanguageModelMiddleware, type ModelMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware } from '../src';
import { deepFreeze, LONG_SYSTEM, SONNET, weatherTools } from './support/fixtures';
import { cachePointsOf, useMockBedrock } from './support/mock-bedrock';

const mock = useMockBedrock();

/** The call options a middleware sees: LanguageModelV3CallOptions on ai 6, V4 on ai 7. */
type CallOptions = Parameters<NonNullable<LanguageModelMiddleware['transformParams']>>[0]['params'];
/** File bytes of a file part: ai 6 passes them as they are, ai 7 tags them ({ type: 'data', data }). */
const fileBytes = (data: unknown) => (data instanceof Uint8Array ? data : (data as { data?: unknown }).data);

const largeImage = new Uint8Array(2 * 1024 * 1024).fill(7);

// Its system message needs allowSystemInMessages: ai 7 rejects one in `messages` otherwise (ai 6 warns).
function conversation(image = new Uint8Array(1024).fill(7)): ModelMessage[] {
  return [
    { role: 'system', content: LONG_SYSTEM, providerOptions: { bedrock: { cachePoint: { type: 'default' } } } },
    { role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image', image, mediaType: 'image/png' }] },
    { role: 'assistant', content: 'A picture of sevens.', providerOptions: { bedrock: { somethingElse: true } } },
    { role: 'user', content: 'Weather in Oslo?', providerOptions: { amazonBedrock: { other: 1 } } },
  ];
}

describe("the caller's input", () => {
  it('is never mutated, even across agent steps, generate and stream', async () => {
    const messages = deepFreeze(conversation());
    const snapshot = structuredClone(messages);
    const model = wrapLanguageModel({ model: mock.bedrock(SONNET), middleware: bedrockCacheMiddleware() });

    mock.reply({ toolUses: [{ name: 'weather', input: { city: 'Oslo' } }] }, { text: 'Cold.' });
    await generateText({ model, allowSystemInMessages: true, messages, tools: weatherTools(), stopWhen: stepCountIs(3) });
    mock.reply({ toolUses: [{ name: 'weather', input: { city: 'Oslo' } }] }, { text: 'Cold.' });
    await streamText({ model, allowSystemInMessages: true, messages, tools: weatherTools(), stopWhen: stepCountIs(3) }).consumeStream();

    expect(messages).toEqual(snapshot);
    // the same frozen history, sent four times, never gathers more checkpoints
    const counts = mock.requests.map((r) => cachePointsOf(r.body).length);
    expect(counts).toEqual([counts[0], counts[1], counts[0], counts[1]]);
    expect(Math.max(...counts)).toBeLessThanOrEqual(4);
  });

  it('shares file data and untouched messages instead of copying them', async () => {
    const seen: CallOptions[] = [];
    const before: CallOptions[] = [];
    const model = wrapLanguageModel({
      model: mock.bedrock(SONNET),
      middleware: [
        { specificationVersion: 'v3', transformParams: async ({ params }) => (before.push(params), params) },
        bedrockCacheMiddleware(),
        { specificationVersion: 'v3', transformParams: async ({ params }) => (seen.push(params), params) },
      ],
    });
    await generateText({ model, allowSystemInMessages: true, messages: deepFreeze(conversation(largeImage)) });
    const [input, output] = [before[0]!, seen[0]!];
    expect(output).not.toBe(input);
    expect(output.prompt[2]).not.toBe(input.prompt[2]); // it gained a checkpoint (after the previous answer)
    expect(output.prompt[2]!.content).toBe(input.prompt[2]!.content);
    expect(output.prompt[1]).toBe(input.prompt[1]); // the message with the image: untouched, shared
    const file = (output.prompt[1]!.content as Array<{ type: string; data?: unknown }>)[1]!;
    expect(fileBytes(file.data)).toBe(largeImage);
    expect(output.prompt[0]).toBe(input.prompt[0]); // the caller's system checkpoint: untouched
    expect(output.prompt[3]!.providerOptions).toEqual({
      amazonBedrock: { other: 1, cachePoint: { type: 'default' } },
      bedrock: { cachePoint: { type: 'default' } },
    });
  });
});
