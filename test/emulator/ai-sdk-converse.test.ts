import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { APICallError, generateText, stepCountIs, streamText, tool, type ModelMessage } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { countJsonTokens, countTextTokens, startBedrockEmulator, type RunningBedrockEmulator, type ScriptedReply } from '../../src/emulator/index.js';
import { countRequestOverhead } from '../../src/emulator/tokenizer.js';
import { CREDENTIALS, rejection, SONNET, words } from './helpers.js';

const SYSTEM = words(1500);
const checkpoint = { bedrock: { cachePoint: { type: 'default' } } } as const;

let script: ScriptedReply[] = [];
let emu: RunningBedrockEmulator;
beforeAll(async () => {
  emu = await startBedrockEmulator({ credentials: CREDENTIALS, reply: (context) => script[context.index] ?? { text: 'Done.' } });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.reset();
  script = [];
});

const bedrock = () => createAmazonBedrock({ baseURL: emu.url, region: 'us-east-1', ...CREDENTIALS });

describe('emulator through @ai-sdk/amazon-bedrock (Converse over HTTP)', () => {
  it('cache write, then cache read, with exact numbers', async () => {
    const messages: ModelMessage[] = [{ role: 'user', content: 'hello there', providerOptions: checkpoint }];
    const model = bedrock()(SONNET);
    const first = await generateText({ model, system: SYSTEM, messages });
    // Bedrock's counts (hidden tokens on, the default): 1 hidden token + system 1500 + user (2 words
    // + 3 message overhead) = 1506, all before the checkpoint; 3 hidden tokens after it, uncached
    expect(first.usage.inputTokenDetails).toEqual({ noCacheTokens: 3, cacheReadTokens: 0, cacheWriteTokens: 1506 });
    expect(first.providerMetadata?.bedrock?.usage).toEqual({ cacheWriteInputTokens: 1506, cacheDetails: [{ inputTokens: 1506, ttl: '5m' }] });
    expect(first.text).toBe('Done.');
    expect(first.usage.outputTokens).toBe(countTextTokens('Done.'));

    const second = await generateText({
      model,
      system: SYSTEM,
      messages: [...messages, { role: 'assistant', content: first.text }, { role: 'user', content: 'and now?', providerOptions: checkpoint }],
    });
    // read the first request's 1506; write assistant (2 + 3) and user ('and now?' = 3 + 3)
    expect(second.usage.inputTokenDetails).toEqual({ noCacheTokens: 3, cacheReadTokens: 1506, cacheWriteTokens: 11 });
    expect(emu.requests.map((r) => r.operation)).toEqual(['Converse', 'Converse']);
  });

  it('streamText: usage arrives in the metadata event', async () => {
    const model = bedrock()(SONNET);
    const run = () => streamText({ model, system: SYSTEM, messages: [{ role: 'user', content: 'stream please', providerOptions: checkpoint }] });
    const first = run();
    expect(await first.text).toBe('Done.');
    expect((await first.usage).inputTokenDetails).toEqual({ noCacheTokens: 3, cacheReadTokens: 0, cacheWriteTokens: 1506 });
    const second = run();
    await second.consumeStream();
    expect(await second.usage).toMatchObject({ inputTokens: 1509, inputTokenDetails: { cacheReadTokens: 1506, cacheWriteTokens: 0 } });
    expect(emu.requests.map((r) => r.operation)).toEqual(['ConverseStream', 'ConverseStream']);
  });

  it('surfaces validation errors with Bedrock status, type and text', async () => {
    const model = bedrock()(SONNET);
    const fiveCheckpoints: ModelMessage[] = [
      {
        role: 'user',
        content: ['a', 'b', 'c', 'd', 'e'].map((text) => ({ type: 'text' as const, text, providerOptions: checkpoint })),
      },
    ];
    const error = await rejection(generateText({ model, messages: fiveCheckpoints, maxRetries: 0 }));
    expect(APICallError.isInstance(error)).toBe(true);
    const callError = error as APICallError;
    expect(callError.statusCode).toBe(400);
    expect(callError.message).toBe('The model returned the following errors: A maximum of 4 blocks with cache_control may be provided. Found 5.');
    expect(callError.responseHeaders?.['x-amzn-errortype']).toBe('ValidationException');
    expect(emu.requests.at(-1)).toMatchObject({ status: 400, errorType: 'ValidationException', operation: 'Converse' });

    const unsupported = await rejection(
      generateText({
        model: bedrock()('meta.llama3-70b-instruct-v1:0'),
        messages: [{ role: 'user', content: 'hi', providerOptions: checkpoint }],
        maxRetries: 0,
      }),
    );
    expect(unsupported).toMatchObject({
      statusCode: 400,
      message: 'You invoked an unsupported model or your request did not allow prompt caching.',
    });
  });

  it('rejects a request signed with the wrong secret (403 InvalidSignatureException)', async () => {
    const wrong = createAmazonBedrock({ baseURL: emu.url, region: 'us-east-1', ...CREDENTIALS, secretAccessKey: 'not-the-secret' });
    const error = (await rejection(generateText({ model: wrong(SONNET), prompt: 'hi', maxRetries: 0 }))) as APICallError;
    expect(error.statusCode).toBe(403);
    expect(error.responseHeaders?.['x-amzn-errortype']).toBe('InvalidSignatureException');
    expect(error.message).toMatch(/^The request signature we calculated does not match the signature you provided/);
  });

  it('drives a multi-step agent loop with scripted parallel tool calls', async () => {
    script = [
      {
        text: 'Let me check both cities.',
        toolUses: [
          { name: 'weather', input: { city: 'Paris' } },
          { name: 'weather', input: { city: 'Rome' } },
        ],
      },
      { toolUses: [{ name: 'clock', input: { zone: 'CET' }, id: 'tooluse_clock' }] },
      { text: 'Paris 21°, Rome 25°, it is noon.' },
    ];
    const calls: string[] = [];
    const tools = {
      weather: tool({
        description: 'Weather for a city',
        inputSchema: z.object({ city: z.string() }),
        execute: async ({ city }) => {
          calls.push(city);
          return { city, temperature: city === 'Paris' ? 21 : 25 };
        },
      }),
      clock: tool({
        description: 'Current time in a zone',
        inputSchema: z.object({ zone: z.string() }),
        execute: async () => '12:00',
      }),
    };
    const result = await generateText({
      model: bedrock()(SONNET),
      system: [{ role: 'system', content: SYSTEM, providerOptions: checkpoint }],
      prompt: 'Weather in Paris and Rome, and the time?',
      tools,
      stopWhen: stepCountIs(3),
    });
    expect(result.steps).toHaveLength(3);
    expect(calls.sort()).toEqual(['Paris', 'Rome']);
    expect(result.steps[0]?.toolCalls.map((c) => c.input)).toEqual([{ city: 'Paris' }, { city: 'Rome' }]);
    expect(result.steps[1]?.toolCalls[0]?.toolCallId).toBe('tooluse_clock');
    expect(result.text).toBe('Paris 21°, Rome 25°, it is noon.');

    // step 2 answered both parallel tool uses in one user message
    const step2 = emu.requests[1]?.body as any;
    expect(step2.messages).toHaveLength(3);
    expect(step2.messages[2].content.map((b: any) => b.toolResult?.toolUseId)).toEqual(
      (step2.messages[1].content as any[]).filter((b) => b.toolUse).map((b) => b.toolUse.toolUseId),
    );
    // the system checkpoint covers tools + system and the hidden tokens before them (1 a request,
    // and Claude 4.5's ~204 of its tool prompt): written once, then read by steps 2 and 3
    const toolTokens = (step2.toolConfig.tools as unknown[]).reduce<number>((sum, t) => sum + countJsonTokens(t), 0);
    const cached = countRequestOverhead('claude', { hasTools: true, modelId: SONNET }).leading + toolTokens + 1500;
    expect(emu.requests.map((r) => r.usage?.cacheWriteInputTokens)).toEqual([cached, 0, 0]);
    expect(emu.requests.map((r) => r.usage?.cacheReadInputTokens)).toEqual([0, cached, cached]);
  });
});
