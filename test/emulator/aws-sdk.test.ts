import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type ConverseCommandInput,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { generateText } from 'ai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBedrockEmulator, type RunningBedrockEmulator } from '../../src/emulator/index.js';
import { CREDENTIALS, rejection, SONNET, words } from './helpers.js';

const SESSION = { accessKeyId: 'ASIAEMULATORSESSION1', secretAccessKey: 'session-secret', sessionToken: 'token-123' };

let emu: RunningBedrockEmulator;
const clients: BedrockRuntimeClient[] = [];
beforeAll(async () => {
  emu = await startBedrockEmulator({ credentials: [CREDENTIALS, SESSION] });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

/** A client on the emulator; the default request handler of bedrock-runtime is HTTP/2. */
function client(config: Partial<ConstructorParameters<typeof BedrockRuntimeClient>[0]> = {}) {
  const created = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: emu.url, credentials: CREDENTIALS, maxAttempts: 1, ...config });
  clients.push(created);
  return created;
}

// Bedrock's counts (hidden tokens on, the default): the checkpoint caches 1 hidden token + the
// 2,000-token system; the user message (2 + 3) and 3 trailing hidden tokens are uncached.
const input: ConverseCommandInput = {
  modelId: SONNET,
  system: [{ text: words(2000) }, { cachePoint: { type: 'default' } }],
  messages: [{ role: 'user', content: [{ text: 'hello there' }] }],
};

describe('emulator with the official @aws-sdk/client-bedrock-runtime', () => {
  it('ConverseCommand over the default HTTP/2 handler: write, then read', async () => {
    const first = await client().send(new ConverseCommand(input));
    expect(first.usage).toEqual({
      inputTokens: 8,
      outputTokens: 6,
      totalTokens: 2015,
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 2001,
      cacheDetails: [{ ttl: '5m', inputTokens: 2001 }],
    });
    expect(first.output?.message?.content).toEqual([{ text: 'Emulated reply to: hello there' }]);
    expect(first.stopReason).toBe('end_turn');
    const second = await client().send(new ConverseCommand(input));
    expect(second.usage).toMatchObject({ inputTokens: 8, cacheReadInputTokens: 2001, cacheWriteInputTokens: 0 });
  });

  it('ConverseCommand over HTTP/1.1 (signs `host` instead of `:authority`)', async () => {
    const http1 = client({ requestHandler: new NodeHttpHandler() });
    const result = await http1.send(new ConverseCommand({ ...input, modelId: `arn:aws:bedrock:us-east-1:123456789012:inference-profile/${SONNET}` }));
    expect(result.usage?.cacheWriteInputTokens).toBe(2001);
  });

  it('ConverseStreamCommand: event stream with usage in the metadata event', async () => {
    await client().send(new ConverseCommand(input));
    const response = await client().send(new ConverseStreamCommand(input));
    const events: ConverseStreamOutput[] = [];
    for await (const event of response.stream ?? []) events.push(event);
    expect(events.map((e) => Object.keys(e).find((k) => k !== '$unknown'))).toEqual([
      'messageStart',
      'contentBlockDelta',
      'contentBlockDelta',
      'contentBlockStop',
      'messageStop',
      'metadata',
    ]);
    const text = events.map((e) => e.contentBlockDelta?.delta?.text ?? '').join('');
    expect(text).toBe('Emulated reply to: hello there');
    const metadata = events.at(-1)?.metadata;
    expect(metadata?.usage).toEqual({ inputTokens: 8, outputTokens: 6, totalTokens: 2015, cacheReadInputTokens: 2001, cacheWriteInputTokens: 0 });
    expect(metadata?.metrics?.latencyMs).toBeGreaterThan(0);
  });

  it('maps validation errors to the SDK exception classes', async () => {
    const error = await rejection(client().send(new ConverseCommand({ ...input, system: [{ cachePoint: { type: 'default' } }, { text: 'x' }] })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe('There is nothing available to cache. Please remove the invalid cache point and try again.');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('rejects a wrong secret and an unknown access key', async () => {
    const wrongSecret = await rejection(client({ credentials: { ...CREDENTIALS, secretAccessKey: 'wrong' } }).send(new ConverseCommand(input)));
    expect(wrongSecret.name).toBe('InvalidSignatureException');
    expect(wrongSecret.$metadata?.httpStatusCode).toBe(403);
    const unknownKey = await rejection(client({ credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' } }).send(new ConverseCommand(input)));
    expect(unknownKey.name).toBe('UnrecognizedClientException');
    expect(unknownKey.message).toBe('The security token included in the request is invalid.');
    expect(emu.requests.map((r) => r.status)).toEqual([403, 403]);
  });

  it('checks the session token of temporary credentials', async () => {
    expect((await client({ credentials: SESSION }).send(new ConverseCommand(input))).usage?.cacheWriteInputTokens).toBe(2001);
    const { sessionToken: _dropped, ...withoutToken } = SESSION;
    const error = await rejection(client({ credentials: withoutToken }).send(new ConverseCommand(input)));
    expect(error.name).toBe('UnrecognizedClientException');
  });
});

describe('AWS_ENDPOINT_URL_BEDROCK_RUNTIME', () => {
  const saved = process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME;
  beforeEach(() => {
    process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = emu.url;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME;
    else process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = saved;
  });

  it('sends the AWS SDK client to the emulator without an endpoint option', async () => {
    const sdk = new BedrockRuntimeClient({ region: 'eu-west-1', credentials: CREDENTIALS, maxAttempts: 1 });
    clients.push(sdk);
    await sdk.send(new ConverseCommand(input));
    expect(emu.requests).toHaveLength(1);
    expect(emu.requests[0]).toMatchObject({ operation: 'Converse', status: 200, modelId: SONNET });
  });

  it('sends the AI SDK provider to the emulator without a baseURL', async () => {
    const bedrock = createAmazonBedrock({ region: 'eu-west-1', ...CREDENTIALS });
    const result = await generateText({ model: bedrock(SONNET), prompt: 'hello there', maxRetries: 0 });
    expect(result.text).toBe('Emulated reply to: hello there');
    expect(emu.requests).toHaveLength(1);
  });
});
