/**
 * End to end through the real @ai-sdk/amazon-bedrock: Converse usage carries Bedrock's twin
 * counters and `serverToolUsage` (shared doc §1 2026-12) and the provider still reads it; every
 * id the installed provider ships is answered; ids Bedrock doesn't know, and attachments
 * Bedrock rejects, are rejected with Bedrock's texts.
 */
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { createBedrockAnthropic } from '@ai-sdk/amazon-bedrock/anthropic';
import type { APICallError} from 'ai';
import { generateText, streamText, type ModelMessage } from 'ai';
import { beforeEach, describe, expect, it } from 'vitest';
import { createBedrockEmulator, lookupModelSpec } from '../../src/emulator/index.js';
import { decodeEventStream, NOVA, rejection, SONNET, words } from './helpers.js';
import { providerChatModelIds } from '../support/provider-source.js';
import { LOADED } from '../support/versions.js';

// Usage field shapes are under test here, in content tokens (`hiddenTokens: false`; hidden-tokens.test.ts has the rest).
const emulator = createBedrockEmulator({ hiddenTokens: false });
const settings = { region: 'us-east-1', accessKeyId: 'AKIDEMU', secretAccessKey: 'emu', fetch: emulator.fetch };
const bedrock = createAmazonBedrock(settings);
const anthropic = createBedrockAnthropic(settings);
beforeEach(() => emulator.reset());

const checkpoint = { bedrock: { cachePoint: { type: 'default' } } } as const;
const cached: ModelMessage[] = [{ role: 'user', content: 'hello there', providerOptions: checkpoint }];
const rawUsage = (index = 0) => emulator.requests[index];

async function converseUsage(modelId: string, body: unknown, operation = 'converse') {
  const response = await emulator.fetch(`https://bedrock-runtime.us-east-1.amazonaws.com/model/${encodeURIComponent(modelId)}/${operation}`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  if (operation === 'converse-stream') return (await decodeEventStream(response)).at(-1)?.payload.usage;
  return ((await response.json()) as { usage: Record<string, unknown> }).usage;
}

describe('Converse usage fields (recorded responses: Pydantic AI cassettes)', () => {
  const withCheckpoint = { system: [{ text: words(1100) }, { cachePoint: { type: 'default' } }], messages: [{ role: 'user', content: [{ text: 'hi' }] }] };
  const without = { messages: [{ role: 'user', content: [{ text: 'hi' }] }] };

  it('Claude: twin counters and serverToolUsage, as 0 even without a checkpoint', async () => {
    expect(await converseUsage(SONNET, without)).toEqual({
      inputTokens: expect.any(Number),
      outputTokens: expect.any(Number),
      totalTokens: expect.any(Number),
      cacheReadInputTokens: 0,
      cacheReadInputTokenCount: 0,
      cacheWriteInputTokens: 0,
      cacheWriteInputTokenCount: 0,
      serverToolUsage: {},
    });
    for (const operation of ['converse', 'converse-stream']) {
      emulator.reset();
      const usage = await converseUsage(SONNET, withCheckpoint, operation);
      expect(usage, operation).toMatchObject({ cacheWriteInputTokens: 1100, cacheWriteInputTokenCount: 1100, cacheReadInputTokenCount: 0, serverToolUsage: {} });
    }
  });

  it('Nova: no cache counters without a checkpoint; with one, the counters but no cacheDetails', async () => {
    const bare = await converseUsage(NOVA, without);
    expect(Object.keys(bare).sort()).toEqual(['inputTokens', 'outputTokens', 'serverToolUsage', 'totalTokens']);
    expect(await converseUsage(NOVA, withCheckpoint)).toEqual({
      inputTokens: expect.any(Number),
      outputTokens: expect.any(Number),
      totalTokens: expect.any(Number),
      cacheReadInputTokens: 0,
      cacheReadInputTokenCount: 0,
      cacheWriteInputTokens: 1100,
      cacheWriteInputTokenCount: 1100,
      serverToolUsage: {},
    });
  });

  it('the provider still reads them, generate and stream, Claude and Nova', async () => {
    for (const modelId of [SONNET, NOVA]) {
      emulator.reset();
      const first = await generateText({ model: bedrock(modelId), system: words(1500), messages: cached });
      expect(first.usage.inputTokenDetails, modelId).toEqual({ noCacheTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 1505 });
      const second = streamText({ model: bedrock(modelId), system: words(1500), messages: cached });
      expect((await second.usage).inputTokenDetails, modelId).toEqual({ noCacheTokens: 0, cacheReadTokens: 1505, cacheWriteTokens: 0 });
      const plain = await generateText({ model: bedrock(modelId), prompt: 'no checkpoint' });
      expect(plain.usage.inputTokenDetails, modelId).toMatchObject({ cacheReadTokens: 0, cacheWriteTokens: 0 });
      expect(plain.usage.inputTokens, modelId).toBe(rawUsage(2)?.usage?.inputTokens);
    }
  });
});

describe('every id the installed provider ships', () => {
  it('is answered on Converse; the caching ones accept a checkpoint, the others get "unsupported model"', async () => {
    for (const modelId of providerChatModelIds()) {
      const spec = lookupModelSpec(modelId);
      const call = generateText({ model: bedrock(modelId), messages: cached, maxRetries: 0 });
      if (spec?.caching) {
        expect((await call).text, modelId).toBe('Emulated reply to: hello there');
      } else {
        expect(await rejection(call), modelId).toMatchObject({
          statusCode: 400,
          message: 'You invoked an unsupported model or your request did not allow prompt caching.',
        });
        expect((await generateText({ model: bedrock(modelId), prompt: 'hi', maxRetries: 0 })).text, modelId).toBe('Emulated reply to: hi');
      }
    }
  });

  it('Claude ones take InvokeModel bodies with cache_control', async () => {
    const claude = providerChatModelIds().filter((id) => lookupModelSpec(id)?.family === 'claude' && lookupModelSpec(id)?.caching);
    for (const modelId of claude) {
      const result = await generateText({
        model: anthropic(modelId),
        messages: [{ role: 'user', content: 'hello there', providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } } }],
        maxRetries: 0,
      });
      expect(result.finishReason, modelId).toBe('stop');
    }
  });
});

describe('ids Bedrock does not know (shared doc §1 2026-12)', () => {
  it('get 400 "The provided model identifier is invalid." on every operation', async () => {
    for (const modelId of ['../../etc/passwd', '..%2F..', 'acme.model-v1', 'anthropic.gpt-4']) {
      for (const operation of ['converse', 'converse-stream', 'invoke', 'invoke-with-response-stream', 'count-tokens']) {
        const response = await emulator.fetch(`https://bedrock-runtime.us-east-1.amazonaws.com/model/${encodeURIComponent(modelId)}/${operation}`, {
          method: 'POST',
          body: '{}',
        });
        expect(response.status, `${modelId} ${operation}`).toBe(400);
        expect(response.headers.get('x-amzn-errortype')).toBe('ValidationException');
        expect(await response.json()).toEqual({ message: 'The provided model identifier is invalid.' });
      }
    }
    const error = (await rejection(generateText({ model: bedrock('../../etc/passwd'), prompt: 'hi', maxRetries: 0 }))) as APICallError;
    expect(error.statusCode).toBe(400);
    expect(error.message).toBe('The provided model identifier is invalid.');
  });
});

describe('attachments through the provider (shared doc §1 2026-12)', () => {
  const file = (mediaType: string, filename: string) => ({ type: 'file' as const, data: new TextEncoder().encode('a,b\n1,2\n'), mediaType, filename });

  it('a checkpoint right after a CSV part is rejected with "…content.M.type: Field required"; after a PDF it is fine', async () => {
    const ask = (mediaType: string) =>
      generateText({
        model: bedrock(SONNET),
        messages: [{ role: 'user', content: [{ type: 'text', text: 'see the file' }, file(mediaType, 'data')], providerOptions: checkpoint }],
        maxRetries: 0,
      });
    expect(await rejection(ask('text/csv'))).toMatchObject({
      statusCode: 400,
      message: 'The model returned the following errors: messages.0.content.2.type: Field required',
    });
    expect((await ask('application/pdf')).finishReason).toBe('stop');
  });

  it('a message of one PDF ending in a checkpoint: "There is nothing available to cache…"', async () => {
    const error = await rejection(
      generateText({ model: bedrock(SONNET), messages: [{ role: 'user', content: [file('application/pdf', 'report')], providerOptions: checkpoint }], maxRetries: 0 }),
    );
    expect(error).toMatchObject({ statusCode: 400, message: 'There is nothing available to cache. Please remove the invalid cache point and try again.' });
  });
});

describe('guardContent blocks (provider 5 sends a part marked guardContent as one)', () => {
  // A real PNG header (8 × 8), so the image is costed by its pixel size.
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.from([0, 0, 0, 8, 0, 0, 0, 8])]).toString('base64');
  const image = { format: 'png', source: { bytes: png } };
  const writes = async (block: unknown) => {
    emulator.reset();
    const body = { messages: [{ role: 'user', content: [{ text: words(1100) }, block, { cachePoint: { type: 'default' } }] }] };
    return (await converseUsage(SONNET, body)).cacheWriteInputTokens;
  };

  it('cost what the guarded text or image costs, not the JSON of the wrapper', async () => {
    const text = words(30, 'g');
    expect(await writes({ guardContent: { text: { text, qualifiers: ['guard_content'] } } })).toBe(await writes({ text }));
    expect(await writes({ guardContent: { image } })).toBe(await writes({ image }));
  });

  it.runIf(LOADED.amazonBedrock >= 5)('through the provider: a guarded text part caches like the plain part', async () => {
    const ask = async (guard: boolean) => {
      emulator.reset();
      const part = { type: 'text' as const, text: words(1100), ...(guard && { providerOptions: { bedrock: { guardContent: true } } }) };
      const result = await generateText({ model: bedrock(SONNET), messages: [{ role: 'user', content: [part], providerOptions: checkpoint }], maxRetries: 0 });
      expect(result.finishReason).toBe('stop');
      // Input only: the default reply echoes the last plain text, which a guarded part isn't.
      const { inputTokens, cacheReadInputTokens, cacheWriteInputTokens } = rawUsage()?.usage ?? {};
      return { block: Object.keys((rawUsage()?.body as any).messages[0].content[0]), input: { inputTokens, cacheReadInputTokens, cacheWriteInputTokens } };
    };
    const guarded = await ask(true);
    expect(guarded.block).toEqual(['guardContent']);
    expect(guarded.input).toEqual((await ask(false)).input);
    expect(guarded.input.cacheWriteInputTokens).toBeGreaterThan(1100);
  });
});
