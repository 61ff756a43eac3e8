import { generateText, stepCountIs, streamText, wrapLanguageModel } from 'ai';
import { describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware, getBedrockCacheUsage } from '../src';
import { LONG_SYSTEM, SONNET, weatherTools } from './support/fixtures';
import { cachePointsOf, useMockBedrock } from './support/mock-bedrock';

const mock = useMockBedrock();
const model = () => wrapLanguageModel({ model: mock.bedrock(SONNET), middleware: bedrockCacheMiddleware() });

/** Content blocks of each message in a Converse body, checkpoints excluded. */
const blockCounts = (body: Record<string, any>) =>
  body.messages.map((m: any) => m.content.filter((b: any) => !('cachePoint' in b)).length);

describe('multi-step agent loop with parallel tool calls', () => {
  const cities = Array.from({ length: 12 }, (_, i) => `City${i}`);

  it('never accumulates checkpoints across steps, and reads what the previous step wrote', async () => {
    mock.reply(
      { toolUses: cities.map((city) => ({ name: 'weather', input: { city } })) },
      { toolUses: cities.map((city) => ({ name: 'time', input: { city } })) },
      { text: 'Done.' },
    );
    const result = await generateText({
      model: model(),
      system: LONG_SYSTEM,
      tools: weatherTools(),
      prompt: 'Weather and time in twelve cities?',
      stopWhen: stepCountIs(5),
    });
    expect(result.steps).toHaveLength(3);
    expect(mock.requests).toHaveLength(3);

    const [first, second, third] = mock.requests.map((r) => r.body);
    expect(cachePointsOf(first!).map((p) => p.at)).toEqual(['system[1]', 'messages[0][1]']);
    // Step 2 appended 12 tool uses + 12 tool results: beyond the ~20-block lookback from the
    // last message, so a checkpoint after the 12 tool uses (within reach of step 1's prompt
    // end) reads what step 1 wrote.
    expect(blockCounts(second!)).toEqual([1, 12, 12]);
    expect(cachePointsOf(second!).map((p) => p.at)).toEqual(['system[1]', 'messages[1][12]', 'messages[2][12]']);
    expect(cachePointsOf(third!).map((p) => p.at)).toEqual(['system[1]', 'messages[3][12]', 'messages[4][12]']);
    for (const { body } of mock.requests) expect(cachePointsOf(body).length).toBeLessThanOrEqual(4);
  });

  it('does the same when streaming', async () => {
    mock.reply({ toolUses: cities.map((city) => ({ name: 'weather', input: { city } })) }, { text: 'Done.' });
    const result = streamText({
      model: model(),
      system: LONG_SYSTEM,
      tools: weatherTools(),
      prompt: 'Weather in twelve cities?',
      stopWhen: stepCountIs(3),
    });
    await result.consumeStream();
    expect(mock.requests.map((r) => r.operation)).toEqual(['converse-stream', 'converse-stream']);
    expect(cachePointsOf(mock.last()).map((p) => p.at)).toEqual(['system[1]', 'messages[1][12]', 'messages[2][12]']);
  });

  it('sums the cache usage of every step', async () => {
    mock.reply({ toolUses: [{ name: 'weather', input: { city: 'Oslo' } }] }, { text: 'Done.' });
    mock.usage({ inputTokens: 20, cacheReadInputTokens: 3000, cacheWriteInputTokens: 100 });
    const result = await generateText({
      model: model(),
      system: LONG_SYSTEM,
      tools: weatherTools(),
      prompt: 'Weather in Oslo?',
      stopWhen: stepCountIs(3),
    });
    // two steps of Sonnet 4.5 through a us. profile: $3.30/M input, read $0.33, 5m write $4.125
    const costUsd = (2 * (20 * 3.3 + 3000 * 0.33 + 100 * 4.125)) / 1e6;
    expect(getBedrockCacheUsage(result)).toEqual({
      cacheReadInputTokens: 6000,
      cacheWriteInputTokens: 200,
      uncachedInputTokens: 40,
      totalInputTokens: 6240,
      hitRatio: 6000 / 6240,
      costUsd: expect.closeTo(costUsd, 12),
      costWithoutCacheUsd: expect.closeTo((6240 * 3.3) / 1e6, 12),
      savedUsd: expect.closeTo((6240 * 3.3) / 1e6 - costUsd, 12),
    });
    expect(getBedrockCacheUsage(result.steps[1]!).cacheReadInputTokens).toBe(3000);
  });
});
