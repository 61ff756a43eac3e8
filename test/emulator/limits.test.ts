/**
 * Limits Bedrock enforces, on the wire: each model's context window (with Bedrock's texts) and
 * the request's output budget (`maxTokens` / `max_tokens`), streamed and not.
 */
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { generateText, streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { createBedrockEmulator, type BedrockEmulatorOptions } from '../../src/emulator/index.js';
import { decodeEventStream, SONNET, words } from './helpers.js';

const ANTHROPIC_VERSION = 'bedrock-2023-05-31';

function emulatorWith(options: BedrockEmulatorOptions = {}) {
  const emulator = createBedrockEmulator(options);
  const send = (modelId: string, operation: string, body: unknown) =>
    emulator.handle(
      new Request(`https://bedrock-runtime.us-east-1.amazonaws.com/model/${encodeURIComponent(modelId)}/${operation}`, {
        method: 'POST',
        body: JSON.stringify(body),
      }),
    );
  return { emulator, send };
}

/** A Converse body of exactly `tokens` input tokens without hidden tokens: a system text and "hi" (1 + 3 for the message). */
const converseOf = (tokens: number, extra: Record<string, unknown> = {}) => ({
  system: [{ text: words(tokens - 4) }],
  messages: [{ role: 'user', content: [{ text: 'hi' }] }],
  ...extra,
});
const anthropicOf = (tokens: number, extra: Record<string, unknown> = {}) => ({
  anthropic_version: ANTHROPIC_VERSION,
  max_tokens: 100,
  system: words(tokens - 4),
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});

describe("a model's context window", () => {
  const { send } = emulatorWith({ hiddenTokens: false });

  it('Converse: 200,000 tokens pass on Sonnet 4.5, 200,001 get the model\'s "prompt is too long" (daisuke-awaji/moca #254)', async () => {
    expect((await send(SONNET, 'converse', converseOf(200_000))).status).toBe(200);
    for (const operation of ['converse', 'converse-stream']) {
      const response = await send(SONNET, operation, converseOf(200_001));
      expect(response.status).toBe(400);
      expect(response.headers.get('x-amzn-errortype')).toBe('ValidationException');
      expect(await response.json()).toEqual({
        message: 'The model returned the following errors: prompt is too long: 200001 tokens > 200000 maximum',
      });
    }
  });

  it('InvokeModel: "Input is too long for requested model." (claude-code #8637, bedrock-chat #95)', async () => {
    expect((await send(SONNET, 'invoke', anthropicOf(200_000))).status).toBe(200);
    for (const operation of ['invoke', 'invoke-with-response-stream']) {
      const response = await send(SONNET, operation, anthropicOf(200_001));
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ message: 'Input is too long for requested model.' });
    }
  });

  it('Claude 4.6 and later take 1M (hermes-agent #31277); Sonnet 4.5 with the context-1m beta too', async () => {
    for (const model of ['us.anthropic.claude-sonnet-4-6', 'global.anthropic.claude-opus-4-8', 'anthropic.claude-sonnet-5']) {
      expect((await send(model, 'converse', converseOf(200_001))).status, model).toBe(200);
    }
    const beta = { additionalModelRequestFields: { anthropic_beta: ['context-1m-2025-08-07'] } };
    expect((await send(SONNET, 'converse', converseOf(200_001, beta))).status).toBe(200);
    expect((await send(SONNET, 'invoke', anthropicOf(200_001, { anthropic_beta: ['context-1m-2025-08-07'] }))).status).toBe(200);
    const over = await send('us.anthropic.claude-opus-4-7', 'converse', converseOf(1_000_001));
    expect(await over.json()).toEqual({ message: 'The model returned the following errors: prompt is too long: 1000001 tokens > 1000000 maximum' });
  });

  it('Nova Micro: 128K (AWS model card)', async () => {
    expect((await send('us.amazon.nova-micro-v1:0', 'converse', converseOf(128_000))).status).toBe(200);
    expect((await send('us.amazon.nova-micro-v1:0', 'converse', converseOf(128_001))).status).toBe(400);
    expect((await send('us.amazon.nova-lite-v1:0', 'converse', converseOf(128_001))).status).toBe(200);
  });

  it('counts hidden tokens toward it, and a models row can change it', async () => {
    const hidden = emulatorWith();
    // 199,997 of content + 4 hidden tokens (Claude, no tools) = 200,001
    expect(await (await hidden.send(SONNET, 'converse', converseOf(199_997))).json()).toEqual({
      message: 'The model returned the following errors: prompt is too long: 200001 tokens > 200000 maximum',
    });
    const larger = emulatorWith({ hiddenTokens: false, models: { [SONNET]: { contextWindow: 300_000 } } });
    expect((await larger.send(SONNET, 'converse', converseOf(250_000))).status).toBe(200);
  });

  it('CountTokens stops at 200,000 whatever the model (boto/botocore #3707)', async () => {
    const count = (tokens: number) => send('anthropic.claude-sonnet-4-6', 'count-tokens', { input: { converse: converseOf(tokens) } });
    expect(await (await count(200_000)).json()).toEqual({ inputTokens: 200_000 });
    const over = await count(200_001);
    expect(over.status).toBe(400);
    expect(await over.json()).toEqual({ message: 'prompt is too long: 200001 tokens > 200000 maximum' });
  });
});

describe('the output budget (maxTokens / max_tokens)', () => {
  const reply = { text: 'The return window is thirty days from delivery for every item we sell' };

  it('Converse: the reply is cut to maxTokens, stopReason max_tokens, outputTokens the budget', async () => {
    const { send } = emulatorWith({ reply: [reply, reply] });
    const body = { messages: [{ role: 'user', content: [{ text: 'hi' }] }], inferenceConfig: { maxTokens: 3 } };
    const answer = await (await send(SONNET, 'converse', body)).json();
    expect(answer).toMatchObject({ stopReason: 'max_tokens', usage: { outputTokens: 3 }, output: { message: { content: [{ text: 'The return window' }] } } });

    const events = await decodeEventStream(await send(SONNET, 'converse-stream', body));
    const text = events.filter((e) => e.eventType === 'contentBlockDelta').map((e) => e.payload.delta.text).join('');
    expect(text).toBe('The return window');
    expect(events.find((e) => e.eventType === 'messageStop')?.payload.stopReason).toBe('max_tokens');
    expect(events.find((e) => e.eventType === 'metadata')?.payload.usage.outputTokens).toBe(3);
  });

  it('InvokeModel: stop_reason max_tokens, output_tokens the budget, streamed too', async () => {
    const { send } = emulatorWith({ reply: [reply, reply] });
    const body = { anthropic_version: ANTHROPIC_VERSION, max_tokens: 1, messages: [{ role: 'user', content: 'hi' }] };
    const answer = await (await send(SONNET, 'invoke', body)).json();
    expect(answer).toMatchObject({ stop_reason: 'max_tokens', usage: { output_tokens: 1 }, content: [{ type: 'text', text: 'The' }] });

    const chunks = (await decodeEventStream(await send(SONNET, 'invoke-with-response-stream', body))).map((e) =>
      JSON.parse(Buffer.from(e.payload.bytes, 'base64').toString('utf8')),
    );
    expect(chunks.find((c) => c.type === 'message_delta')).toMatchObject({ delta: { stop_reason: 'max_tokens' }, usage: { output_tokens: 1 } });
  });

  it('a tool call that does not fit is not returned half-written; a reply within budget is unchanged', async () => {
    const { send } = emulatorWith({
      reply: [{ text: 'Let me look', toolUses: [{ name: 'lookup', input: { query: 'return window for shoes' } }] }, reply],
    });
    const tools = { toolConfig: { tools: [{ toolSpec: { name: 'lookup', inputSchema: { json: { type: 'object' } } } }] } };
    const cut = await (await send(SONNET, 'converse', { ...converseOf(10), ...tools, inferenceConfig: { maxTokens: 5 } })).json();
    expect(cut).toMatchObject({ stopReason: 'max_tokens', usage: { outputTokens: 5 } });
    expect(cut.output.message.content).toEqual([{ text: 'Let me look' }]);
    const whole = await (await send(SONNET, 'converse', { ...converseOf(10), inferenceConfig: { maxTokens: 4096 } })).json();
    expect(whole).toMatchObject({ stopReason: 'end_turn', output: { message: { content: [{ text: reply.text }] } } });
  });

  it('through the AI SDK: maxOutputTokens 1 finishes with "length" and 1 output token', async () => {
    const { emulator } = emulatorWith();
    const bedrock = createAmazonBedrock({ region: 'us-east-1', accessKeyId: 'a', secretAccessKey: 'b', fetch: emulator.fetch });
    const result = await generateText({ model: bedrock(SONNET), prompt: 'Tell me about the return window', maxOutputTokens: 1 });
    expect(result.finishReason).toBe('length');
    expect(result.usage.outputTokens).toBe(1);
    const stream = streamText({ model: bedrock(SONNET), prompt: 'Tell me about the return window', maxOutputTokens: 2 });
    expect(await stream.finishReason).toBe('length');
    expect((await stream.usage).outputTokens).toBe(2);
  });
});
