import { generateText, wrapLanguageModel, type ModelMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware } from '../src';
import { LONG_SYSTEM, SONNET, weatherTools } from './support/fixtures';
import { cachePointsOf, useMockBedrock } from './support/mock-bedrock';

const mock = useMockBedrock();
const model = () => wrapLanguageModel({ model: mock.bedrock(SONNET), middleware: bedrockCacheMiddleware() });
const signed = (text: string) => ({ type: 'reasoning' as const, text, providerOptions: { bedrock: { signature: 'sig' } } });

/** No cachePoint anywhere directly after a reasoning block, or first in its message. */
function expectNoPointAfterReasoning(body: Record<string, any>) {
  for (const message of body.messages) {
    message.content.forEach((block: any, i: number) => {
      if (!('cachePoint' in block)) return;
      expect(i).toBeGreaterThan(0);
      expect(message.content[i - 1]).not.toHaveProperty('reasoningContent');
    });
  }
}

describe('reasoning in history', () => {
  it('never puts a checkpoint right after a reasoning block', async () => {
    const messages: ModelMessage[] = [
      { role: 'user', content: 'Think.' },
      { role: 'assistant', content: [signed('hmm'), { type: 'text', text: 'Answer' }] },
      { role: 'user', content: 'Again.' },
      // prefill that ends with signed reasoning: the last message can't take the checkpoint
      { role: 'assistant', content: [signed('so')] },
    ];
    await generateText({ model: model(), system: LONG_SYSTEM, messages });
    const body = mock.last();
    expect(body.messages[3].content).toEqual([{ reasoningContent: { reasoningText: { text: 'so', signature: 'sig' } } }]);
    expectNoPointAfterReasoning(body);
    expect(cachePointsOf(body).map((p) => p.at)).toEqual(['system[1]', 'messages[1][2]', 'messages[2][1]']);
  });

  it('counts unsigned reasoning as absent (the provider does not send it)', async () => {
    const messages: ModelMessage[] = [
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: [{ type: 'text', text: 'A' }, { type: 'reasoning', text: 'unsigned' }] },
      { role: 'user', content: 'Q2' },
    ];
    await generateText({ model: model(), system: LONG_SYSTEM, messages });
    expectNoPointAfterReasoning(mock.last());
  });
});

describe('messages the provider drops or empties', () => {
  it('places nothing on tool turns that are dropped when the call has no tools', async () => {
    const messages: ModelMessage[] = [
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 't1', toolName: 'weather', input: { city: 'Oslo' } }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 't1', toolName: 'weather', output: { type: 'json', value: { t: 3 } } }] },
    ];
    await generateText({ model: model(), system: LONG_SYSTEM, messages });
    const body = mock.last();
    expect(body.messages).toEqual([{ role: 'user', content: [{ text: 'Weather?' }, { cachePoint: { type: 'default' } }] }]);
  });

  it('places nothing on an assistant message the provider drops (blank text only): the nearest earlier one instead', async () => {
    const messages: ModelMessage[] = [
      { role: 'user', content: 'Hello?' },
      { role: 'assistant', content: [{ type: 'text', text: '   ' }] }, // dropped, with any checkpoint on it
    ];
    await generateText({ model: model(), system: LONG_SYSTEM, messages });
    const body = mock.last();
    expect(body.messages).toEqual([{ role: 'user', content: [{ text: 'Hello?' }, { cachePoint: { type: 'default' } }] }]);
  });

  it('places the checkpoint after the tool results when the call has tools', async () => {
    const messages: ModelMessage[] = [
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 't1', toolName: 'weather', input: { city: 'Oslo' } }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 't1', toolName: 'weather', output: { type: 'json', value: { t: 3 } } }] },
    ];
    await generateText({ model: model(), system: LONG_SYSTEM, tools: weatherTools(), messages });
    expect(cachePointsOf(mock.last()).map((p) => p.at)).toEqual(['system[1]', 'messages[1][1]', 'messages[2][1]']);
  });
});
