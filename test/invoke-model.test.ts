import { generateText, streamText, wrapLanguageModel } from 'ai';
import { describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware } from '../src';
import { history, LONG_SYSTEM, NOVA, SONNET, weatherTools } from './support/fixtures';
import { cacheControlsOf, useMockBedrock } from './support/mock-bedrock';

const mock = useMockBedrock();
const model = (options?: Parameters<typeof bedrockCacheMiddleware>[0]) =>
  wrapLanguageModel({ model: mock.anthropic(SONNET), middleware: bedrockCacheMiddleware(options) });

describe('Claude through InvokeModel (@ai-sdk/amazon-bedrock/anthropic)', () => {
  it('puts cache_control on the last tool, the system prompt, the previous request and the last message', async () => {
    await generateText({
      model: model({ ttl: { tools: '1h' } }),
      system: LONG_SYSTEM,
      tools: weatherTools({ long: true }),
      messages: [...history(2), { role: 'user', content: 'Weather?' }],
    });
    expect(mock.requests[0]!.operation).toBe('invoke');
    const body = mock.last();
    expect(body.anthropic_version).toBe('bedrock-2023-05-31');
    expect(cacheControlsOf(body)).toEqual([
      { at: 'tools[1]', ttl: '1h' },
      { at: 'system[0]', ttl: undefined },
      { at: 'messages[3][0]', ttl: undefined },
      { at: 'messages[4][0]', ttl: undefined },
    ]);
    expect(body.tools[1].cache_control).toEqual({ type: 'ephemeral', ttl: '1h' });
    expect(body.system[0].cache_control).toEqual({ type: 'ephemeral' });
  });

  it('never puts cache_control on a thinking block: a message ending in one is passed over', async () => {
    const thinking = { type: 'reasoning' as const, text: 'so', providerOptions: { anthropic: { signature: 'sig' } } };
    await generateText({
      model: model(),
      system: LONG_SYSTEM,
      messages: [
        { role: 'user', content: 'Think.' },
        { role: 'assistant', content: [thinking, { type: 'text', text: 'Answer' }] },
        { role: 'user', content: 'Again.' },
        { role: 'assistant', content: [thinking] }, // a prefill that ends with thinking
      ],
    });
    const body = mock.last();
    expect(body.messages[3].content).toEqual([{ type: 'thinking', thinking: 'so', signature: 'sig' }]);
    expect(cacheControlsOf(body).map((p) => p.at)).toEqual(['system[0]', 'messages[1][1]', 'messages[2][0]']);
  });

  it("counts the caller's anthropic.cacheControl and adds no duplicate", async () => {
    await generateText({
      model: model(),
      allowSystemInMessages: true, // ai 7 rejects a system message in `messages` otherwise
      messages: [
        { role: 'system', content: LONG_SYSTEM, providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } } },
        { role: 'user', content: 'Hi', providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } } },
      ],
    });
    expect(cacheControlsOf(mock.last()).map((p) => p.at)).toEqual(['system[0]', 'messages[0][0]']);
  });

  it('places the same when streaming, and reports usage on both paths', async () => {
    mock.usage({ inputTokens: 12, cacheReadInputTokens: 2000, cacheWriteInputTokens: 300, cacheDetails: [{ ttl: '5m', inputTokens: 300 }] });
    const result = streamText({ model: model(), system: LONG_SYSTEM, prompt: 'Hi' });
    await result.consumeStream();
    expect(mock.requests[0]!.operation).toBe('invoke-with-response-stream');
    expect(cacheControlsOf(mock.last()).map((p) => p.at)).toEqual(['system[0]', 'messages[0][0]']);
    expect((await result.providerMetadata)?.bedrock?.usage).toEqual({
      inputTokens: 12,
      cacheReadInputTokens: 2000,
      cacheWriteInputTokens: 300,
      cacheDetails: [{ ttl: '5m', inputTokens: 300 }],
    });

    const generated = await generateText({ model: model(), system: LONG_SYSTEM, prompt: 'Hi' });
    expect(generated.providerMetadata?.bedrock?.usage).toMatchObject({ cacheReadInputTokens: 2000, cacheWriteInputTokens: 300 });
  });

  it('treats Nova ids as unsupported here (InvokeModel Messages is Claude only)', async () => {
    const nova = wrapLanguageModel({ model: mock.anthropic(NOVA), middleware: bedrockCacheMiddleware({ unsupportedModelBehavior: 'raise' }) });
    await expect(generateText({ model: nova, system: LONG_SYSTEM, prompt: 'Hi' })).rejects.toThrow('is not a Claude model');
    expect(mock.requests).toHaveLength(0);
  });
});
