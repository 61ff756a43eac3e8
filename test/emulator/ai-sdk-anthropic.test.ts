import { createBedrockAnthropic } from '@ai-sdk/amazon-bedrock/anthropic';
import { generateText, jsonSchema, streamText, tool, type ModelMessage } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBedrockEmulator, startBedrockEmulator, type RunningBedrockEmulator, type ScriptedReply } from '../../src/emulator/index.js';
import { CREDENTIALS, decodeEventStream, SONNET, words } from './helpers.js';

// Bedrock's counts (hidden tokens on, the default): 1 hidden token leads the prompt and is cached
// with the system block (1h: 1,500 + 1), 3 trail it uncached (Claude without tools, tokenizer.ts).
const SYSTEM = words(1500);
const cacheControl = (ttl?: '5m' | '1h') => ({ anthropic: { cacheControl: { type: 'ephemeral', ...(ttl ? { ttl } : {}) } } }) as const;

let script: ScriptedReply[] = [];
let emu: RunningBedrockEmulator;
beforeAll(async () => {
  emu = await startBedrockEmulator({ credentials: CREDENTIALS, reply: ({ index }) => script[index] ?? { text: 'Fine.' } });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.reset();
  script = [];
});

const provider = () => createBedrockAnthropic({ baseURL: emu.url, region: 'us-east-1', ...CREDENTIALS });

describe('emulator through @ai-sdk/amazon-bedrock/anthropic (InvokeModel over HTTP)', () => {
  it('reports Anthropic snake_case usage with the cache split by TTL', async () => {
    const system = [{ role: 'system' as const, content: SYSTEM, providerOptions: cacheControl('1h') }];
    const messages: ModelMessage[] = [{ role: 'user', content: 'hello there', providerOptions: cacheControl() }];
    const first = await generateText({ model: provider()(SONNET), system, messages });
    expect(first.text).toBe('Fine.');
    expect(first.usage.inputTokenDetails).toEqual({ noCacheTokens: 3, cacheReadTokens: 0, cacheWriteTokens: 1506 });
    expect(first.usage.raw).toEqual({
      input_tokens: 3,
      cache_creation_input_tokens: 1506,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 5, ephemeral_1h_input_tokens: 1501 },
      output_tokens: 2,
    });
    const second = await generateText({ model: provider()(SONNET), system, messages });
    expect(second.usage.inputTokenDetails).toEqual({ noCacheTokens: 3, cacheReadTokens: 1506, cacheWriteTokens: 0 });
    expect(emu.requests.map((r) => r.operation)).toEqual(['InvokeModel', 'InvokeModel']);
    expect((emu.requests[0]?.body as any).anthropic_version).toBe('bedrock-2023-05-31');
  });

  it('streams InvokeModelWithResponseStream with usage in message_start / message_delta', async () => {
    script = [{ reasoning: 'Think first.', text: 'Streamed answer here.' }];
    const result = streamText({
      model: provider()(SONNET),
      system: SYSTEM,
      messages: [{ role: 'user', content: 'hello there', providerOptions: cacheControl() }],
    });
    expect(await result.text).toBe('Streamed answer here.');
    expect(await result.reasoningText).toBe('Think first.');
    expect((await result.usage).inputTokenDetails).toEqual({ noCacheTokens: 3, cacheReadTokens: 0, cacheWriteTokens: 1506 });
    expect(emu.requests[0]?.operation).toBe('InvokeModelWithResponseStream');
  });

  it('returns scripted tool uses as tool_use blocks', async () => {
    script = [{ toolUses: [{ name: 'lookup', input: { q: 'a' } }, { name: 'lookup', input: { q: 'b' } }] }];
    const result = await generateText({
      model: provider()(SONNET),
      prompt: 'look both up',
      tools: { lookup: tool({ inputSchema: jsonSchema<{ q: string }>({ type: 'object', properties: { q: { type: 'string' } } }) }) },
    });
    expect(result.finishReason).toBe('tool-calls');
    expect(result.toolCalls.map((c) => [c.toolName, c.input])).toEqual([
      ['lookup', { q: 'a' }],
      ['lookup', { q: 'b' }],
    ]);
  });
});

describe('InvokeModel wire format (in-process)', () => {
  const body = {
    anthropic_version: 'bedrock-2023-05-31',
    max_tokens: 50,
    system: [{ type: 'text', text: SYSTEM, cache_control: { type: 'ephemeral', ttl: '1h' } }],
    messages: [{ role: 'user', content: [{ type: 'text', text: 'hello there', cache_control: { type: 'ephemeral' } }] }],
  };
  const url = (operation: string) => `https://bedrock-runtime.us-east-1.amazonaws.com/model/${encodeURIComponent(SONNET)}/${operation}`;

  it('answers InvokeModel with a Messages body and Bedrock token-count headers', async () => {
    const emulator = createBedrockEmulator();
    const response = await emulator.fetch(url('invoke'), { method: 'POST', body: JSON.stringify(body) });
    expect(response.status).toBe(200);
    const json = (await response.json()) as any;
    expect(json).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      stop_reason: 'end_turn',
      content: [{ type: 'text', text: 'Emulated reply to: hello there' }],
      usage: {
        input_tokens: 3,
        cache_read_input_tokens: 0,
        cache_creation_input_tokens: 1506,
        cache_creation: { ephemeral_5m_input_tokens: 5, ephemeral_1h_input_tokens: 1501 },
        output_tokens: 6,
      },
    });
    expect(response.headers.get('x-amzn-bedrock-cache-write-input-token-count')).toBe('1506');
    expect(response.headers.get('x-amzn-bedrock-input-token-count')).toBe('3');
  });

  it('encodes stream chunks as {"bytes": base64(event)} with invocation metrics at message_stop', async () => {
    const emulator = createBedrockEmulator();
    await emulator.fetch(url('invoke'), { method: 'POST', body: JSON.stringify(body) });
    const response = await emulator.fetch(url('invoke-with-response-stream'), { method: 'POST', body: JSON.stringify(body) });
    expect(response.headers.get('content-type')).toBe('application/vnd.amazon.eventstream');
    const frames = await decodeEventStream(response);
    expect(new Set(frames.map((f) => `${f.messageType}/${f.eventType}`))).toEqual(new Set(['event/chunk']));
    const events = frames.map((f) => JSON.parse(Buffer.from(f.payload.bytes, 'base64').toString('utf8')));
    expect(events.map((e) => e.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[0].message.usage).toMatchObject({ input_tokens: 3, cache_read_input_tokens: 1506, cache_creation_input_tokens: 0 });
    expect(events[5]).toMatchObject({ delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 6 } });
    expect(events[6]['amazon-bedrock-invocationMetrics']).toMatchObject({
      inputTokenCount: 3,
      outputTokenCount: 6,
      cacheReadInputTokenCount: 1506,
      cacheWriteInputTokenCount: 0,
    });
    expect(events.filter((e) => e.type === 'content_block_delta').map((e) => e.delta.text).join('')).toBe('Emulated reply to: hello there');
  });

  it('rejects a fifth cache_control (the AI SDK would drop it, raw requests do not)', async () => {
    const emulator = createBedrockEmulator();
    const five = {
      ...body,
      messages: [{ role: 'user', content: ['a', 'b', 'c', 'd'].map((text) => ({ type: 'text', text, cache_control: { type: 'ephemeral' } })) }],
    };
    const response = await emulator.fetch(url('invoke'), { method: 'POST', body: JSON.stringify(five) });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(await response.json()).toEqual({ message: 'A maximum of 4 blocks with cache_control may be provided. Found 5.' });
  });
});
