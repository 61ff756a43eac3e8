import { generateText, stepCountIs, wrapLanguageModel } from 'ai';
import { describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware } from '../src';
import { CLAUDE_37, history, LONG_SYSTEM, NOVA, weatherTools } from './support/fixtures';
import { cachePointsOf, useMockBedrock } from './support/mock-bedrock';

const mock = useMockBedrock();

describe('Nova', () => {
  const model = (options?: Parameters<typeof bedrockCacheMiddleware>[0]) =>
    wrapLanguageModel({ model: mock.bedrock(NOVA), middleware: bedrockCacheMiddleware(options) });

  it('gets no tools checkpoint, and none on tool turns: the nearest earlier message instead', async () => {
    mock.reply({ toolUses: [{ name: 'weather', input: { city: 'Oslo' } }, { name: 'time', input: { city: 'Oslo' } }] }, { text: 'Done.' });
    await generateText({
      model: model(),
      system: LONG_SYSTEM,
      tools: weatherTools({ long: true }),
      messages: [...history(1), { role: 'user', content: 'Weather in Oslo?' }],
      stopWhen: stepCountIs(3),
    });
    const [first, second] = mock.requests.map((r) => r.body);
    expect(first!.toolConfig.tools.some((t: any) => 'cachePoint' in t)).toBe(false);
    expect(cachePointsOf(first!).map((p) => p.at)).toEqual(['system[1]', 'messages[0][1]', 'messages[2][1]']);
    // messages[4] holds tool results and messages[3] tool uses: the question is the last eligible
    expect(cachePointsOf(second!).map((p) => p.at)).toEqual(['system[1]', 'messages[2][1]']);
  });

  it("reads the previous turn through a checkpoint at its end (Nova has no lookback)", async () => {
    await generateText({ model: model(), system: LONG_SYSTEM, messages: [...history(1), { role: 'user', content: 'Next' }] });
    expect(cachePointsOf(mock.last()).map((p) => p.at)).toEqual(['system[1]', 'messages[0][1]', 'messages[2][1]']);
  });

  it('turns 1h into 5m with a warning', async () => {
    const result = await generateText({ model: model({ ttl: '1h' }), system: LONG_SYSTEM, prompt: 'Hello' });
    expect(cachePointsOf(mock.last())).toEqual([
      { at: 'system[1]', ttl: undefined },
      { at: 'messages[0][1]', ttl: undefined },
    ]);
    expect(result.warnings).toEqual([expect.objectContaining({ message: expect.stringContaining('has no 1h cache TTL') })]);
  });
});

describe('Claude 3.7 Sonnet', () => {
  it('has no 1h TTL either', async () => {
    const model = wrapLanguageModel({ model: mock.bedrock(CLAUDE_37), middleware: bedrockCacheMiddleware({ ttl: { system: '1h' } }) });
    const result = await generateText({ model, system: LONG_SYSTEM, prompt: 'Hello' });
    expect(cachePointsOf(mock.last()).every((p) => p.ttl === undefined)).toBe(true);
    expect(result.warnings).toHaveLength(1);
  });
});
