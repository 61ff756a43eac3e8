import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { generateText, type APICallError } from 'ai';
import { AwsClient } from 'aws4fetch';
import { describe, expect, it } from 'vitest';
import { createBedrockEmulator } from '../../src/emulator/index.js';
import { converseBody, CREDENTIALS, rejection, SONNET } from './helpers.js';

const URL_CONVERSE = `https://bedrock-runtime.us-east-1.amazonaws.com/model/${encodeURIComponent(SONNET)}/converse`;
const API_KEY = 'ABSKZW11bGF0b3Itc2VjcmV0LWtleQ==';

async function signed(credentials: { accessKeyId: string; secretAccessKey: string }, service = 'bedrock', body = JSON.stringify(converseBody())) {
  const client = new AwsClient({ ...credentials, service, region: 'us-east-1' });
  return client.sign(URL_CONVERSE, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
}

describe('emulator authentication', () => {
  it('accepts a correct SigV4 signature', async () => {
    const emulator = createBedrockEmulator({ credentials: CREDENTIALS });
    const response = await emulator.handle(await signed(CREDENTIALS));
    expect(response.status).toBe(200);
  });

  it('rejects a wrong secret with 403 InvalidSignatureException', async () => {
    const emulator = createBedrockEmulator({ credentials: CREDENTIALS });
    const response = await emulator.handle(await signed({ ...CREDENTIALS, secretAccessKey: 'nope' }));
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    expect(await response.json()).toEqual({
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    });
  });

  it('rejects a body changed after signing', async () => {
    const emulator = createBedrockEmulator({ credentials: CREDENTIALS });
    const request = await signed(CREDENTIALS);
    const tampered = new Request(request.url, {
      method: 'POST',
      headers: request.headers,
      body: JSON.stringify(converseBody({ messages: [{ role: 'user', content: [{ text: 'changed' }] }] })),
    });
    expect((await emulator.handle(tampered)).status).toBe(403);
  });

  it('rejects an unknown key id, a wrong service scope and a missing signature', async () => {
    const emulator = createBedrockEmulator({ credentials: CREDENTIALS });
    const unknown = await emulator.handle(await signed({ accessKeyId: 'AKIAOTHER', secretAccessKey: 'x' }));
    expect(unknown.status).toBe(403);
    expect(unknown.headers.get('x-amzn-errortype')).toBe('UnrecognizedClientException');
    expect(await unknown.json()).toEqual({ message: 'The security token included in the request is invalid.' });

    const wrongService = await emulator.handle(await signed(CREDENTIALS, 'bedrock-runtime'));
    expect(wrongService.status).toBe(403);
    expect(await wrongService.json()).toEqual({ message: "Credential should be scoped to correct service: 'bedrock'." });

    const anonymous = await emulator.fetch(URL_CONVERSE, { method: 'POST', body: JSON.stringify(converseBody()) });
    expect(anonymous.status).toBe(403);
    expect(anonymous.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });

  it('accepts a Bedrock API key (bearer token) and rejects a wrong one', async () => {
    const emulator = createBedrockEmulator({ apiKey: API_KEY });
    const ok = createAmazonBedrock({ apiKey: API_KEY, region: 'us-east-1', fetch: emulator.fetch });
    expect((await generateText({ model: ok(SONNET), prompt: 'hello there' })).text).toBe('Emulated reply to: hello there');

    const wrong = createAmazonBedrock({ apiKey: 'ABSKwrong', region: 'us-east-1', fetch: emulator.fetch });
    const error = (await rejection(generateText({ model: wrong(SONNET), prompt: 'hi', maxRetries: 0 }))) as APICallError;
    expect(error.statusCode).toBe(403);
    expect(JSON.parse(error.responseBody ?? '{}')).toEqual({ Message: 'Authentication failed: Please make sure your API Key is valid.' });
    // SigV4 is not an API key: with only an API key configured, signed requests are unknown clients
    expect((await emulator.handle(await signed(CREDENTIALS))).status).toBe(403);
  });

  it('accepts anything when no credentials are configured', async () => {
    const emulator = createBedrockEmulator();
    expect((await emulator.fetch(URL_CONVERSE, { method: 'POST', body: JSON.stringify(converseBody()) })).status).toBe(200);
    expect((await emulator.handle(await signed({ accessKeyId: 'any', secretAccessKey: 'any' }))).status).toBe(200);
  });

  it('answers an unknown route with 404 and logs it', async () => {
    const emulator = createBedrockEmulator();
    // StartAsyncInvoke: a real Bedrock route the emulator doesn't answer (count-tokens now has its own tests)
    const response = await emulator.fetch('https://bedrock-runtime.us-east-1.amazonaws.com/async-invoke', { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(emulator.requests).toEqual([expect.objectContaining({ operation: undefined, status: 404, errorType: 'UnknownOperationException' })]);
  });
});
