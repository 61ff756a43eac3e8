/**
 * Bedrock's CountTokens (shared doc §1 2026-12): `POST /model/{id}/count-tokens`, answered
 * with the emulator's own count, the same total its prompt cache splits into read, written
 * and uncached tokens. Tested in process and with the official AWS SDK's CountTokensCommand.
 */
import { BedrockRuntimeClient, ConverseCommand, CountTokensCommand, type ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBedrockEmulator, startBedrockEmulator, type RunningBedrockEmulator } from '../../src/emulator/index.js';
import { cachePoint, CREDENTIALS, rejection, words } from './helpers.js';

const SONNET_4_5 = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const converseInput = {
  system: [{ text: words(1300) }, cachePoint()],
  messages: [{ role: 'user', content: [{ text: 'how many tokens is this?' }] }],
  toolConfig: { tools: [{ toolSpec: { name: 'lookup', description: 'Look a word up', inputSchema: { json: { type: 'object' } } } }] },
};
const invokeBody = {
  anthropic_version: 'bedrock-2023-05-31',
  max_tokens: 100,
  system: [{ type: 'text', text: words(1300), cache_control: { type: 'ephemeral' } }],
  messages: [{ role: 'user', content: [{ type: 'text', text: 'how many tokens is this?' }] }],
};

async function post(emulator: ReturnType<typeof createBedrockEmulator>, modelId: string, operation: string, body: unknown) {
  const response = await emulator.fetch(`https://bedrock-runtime.us-east-1.amazonaws.com/model/${encodeURIComponent(modelId)}/${operation}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, errorType: response.headers.get('x-amzn-errortype'), json: (await response.json()) as any };
}

describe('CountTokens in process', () => {
  it('counts a Converse input as the whole prompt the cache sees (read + written + uncached)', async () => {
    const emulator = createBedrockEmulator();
    const counted = await post(emulator, SONNET_4_5, 'count-tokens', { input: { converse: converseInput } });
    expect(counted.status).toBe(200);
    expect(counted.json).toEqual({ inputTokens: expect.any(Number) });
    const answered = await post(emulator, SONNET_4_5, 'converse', converseInput);
    const usage = answered.json.usage;
    expect(usage.cacheWriteInputTokens).toBeGreaterThan(1300);
    expect(counted.json.inputTokens).toBe(usage.inputTokens + usage.cacheReadInputTokens + usage.cacheWriteInputTokens);
    expect(emulator.requests[0]).toMatchObject({ operation: 'CountTokens', status: 200, countedInputTokens: counted.json.inputTokens });
  });

  it('counts an InvokeModel body (base64, as the AWS SDK sends the blob) like the InvokeModel request itself', async () => {
    const emulator = createBedrockEmulator();
    const base64 = Buffer.from(JSON.stringify(invokeBody)).toString('base64');
    const counted = await post(emulator, SONNET_4_5, 'count-tokens', { input: { invokeModel: { body: base64 } } });
    const raw = await post(emulator, SONNET_4_5, 'count-tokens', { input: { invokeModel: { body: JSON.stringify(invokeBody) } } });
    const invoked = await post(emulator, SONNET_4_5, 'invoke', invokeBody);
    const usage = invoked.json.usage;
    expect(counted.json.inputTokens).toBe(usage.input_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens);
    expect(raw.json).toEqual(counted.json);
  });

  it('does not touch the cache', async () => {
    const emulator = createBedrockEmulator();
    await post(emulator, SONNET_4_5, 'count-tokens', { input: { converse: converseInput } });
    expect((await post(emulator, SONNET_4_5, 'converse', converseInput)).json.usage.cacheReadInputTokens).toBe(0);
  });

  it('answers an unknown id with "The provided model identifier is invalid." (recorded: Pydantic AI count_tokens_error)', async () => {
    const emulator = createBedrockEmulator();
    for (const id of ['does-not-exist-model-v1:0', '../../etc/passwd']) {
      expect(await post(emulator, id, 'count-tokens', { input: { converse: converseInput } })).toEqual({
        status: 400,
        errorType: 'ValidationException',
        json: { message: 'The provided model identifier is invalid.' },
      });
    }
  });

  it("rejects models that can't count: Nova, inference-profile ids", async () => {
    const emulator = createBedrockEmulator();
    for (const id of ['amazon.nova-pro-v1:0', `us.${SONNET_4_5}`, `arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${SONNET_4_5}`]) {
      expect(await post(emulator, id, 'count-tokens', { input: { converse: converseInput } }), id).toMatchObject({
        status: 400,
        json: { message: "The provided model doesn't support counting tokens." },
      });
    }
    expect((await post(emulator, `arn:aws:bedrock:us-east-1::foundation-model/${SONNET_4_5}`, 'count-tokens', { input: { converse: converseInput } })).status).toBe(200);
  });

  it('rejects an input that is neither or both', async () => {
    const emulator = createBedrockEmulator();
    expect((await post(emulator, SONNET_4_5, 'count-tokens', { input: {} })).status).toBe(400);
    expect((await post(emulator, SONNET_4_5, 'count-tokens', { input: { converse: converseInput, invokeModel: { body: 'e30=' } } })).status).toBe(400);
    expect((await post(emulator, SONNET_4_5, 'count-tokens', {})).status).toBe(400);
  });
});

describe('CountTokens with @aws-sdk/client-bedrock-runtime', () => {
  let emu: RunningBedrockEmulator;
  let client: BedrockRuntimeClient;
  beforeAll(async () => {
    emu = await startBedrockEmulator({ credentials: CREDENTIALS });
    client = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: emu.url, credentials: CREDENTIALS, maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await emu.close();
  });
  afterEach(() => emu.reset());

  it('CountTokensCommand: converse and invokeModel inputs, SigV4-signed over HTTP/2', async () => {
    const converse = await client.send(new CountTokensCommand({ modelId: SONNET_4_5, input: { converse: converseInput as never } }));
    const invoke = await client.send(
      new CountTokensCommand({ modelId: SONNET_4_5, input: { invokeModel: { body: new TextEncoder().encode(JSON.stringify(invokeBody)) } } }),
    );
    expect(converse.inputTokens).toBeGreaterThan(1300);
    expect(invoke.inputTokens).toBeGreaterThan(1300);
    const answered = await client.send(new ConverseCommand({ modelId: SONNET_4_5, ...(converseInput as unknown as Omit<ConverseCommandInput, 'modelId'>) }));
    const usage = answered.usage!;
    expect(converse.inputTokens).toBe(usage.inputTokens! + usage.cacheReadInputTokens! + usage.cacheWriteInputTokens!);
    // the SDK sent the blob base64-encoded, as Bedrock expects
    expect((emu.requests[1]?.body as any).input.invokeModel.body).toBe(Buffer.from(JSON.stringify(invokeBody)).toString('base64'));
  });

  it('maps the invalid-identifier answer to a ValidationException', async () => {
    const error = await rejection(client.send(new CountTokensCommand({ modelId: 'does-not-exist-model-v1:0', input: { converse: converseInput as never } })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe('The provided model identifier is invalid.');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });
});
