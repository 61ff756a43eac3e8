import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { generateText, streamText } from 'ai';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBedrockEmulator } from '../../src/emulator/index.js';
import { bedrockEmulatorHandlers } from '../../src/emulator/msw.js';
import { CREDENTIALS, NOVA, SONNET, words } from './helpers.js';

const emulator = createBedrockEmulator({ credentials: CREDENTIALS });
const server = setupServer(...bedrockEmulatorHandlers(emulator, { baseUrl: 'http://bedrock.internal:8080/proxy/' }));
// msw 2 reads onUnhandledRequest, msw 3 (the ai 7 leg) onUnhandledFrame; each ignores the other's key.
const unhandled = { onUnhandledRequest: 'error', onUnhandledFrame: 'error' } as const;
beforeAll(() => server.listen(unhandled));
afterAll(() => server.close());
beforeEach(() => emulator.reset());

const checkpoint = { bedrock: { cachePoint: { type: 'default' } } } as const;

describe('bedrockEmulatorHandlers (msw)', () => {
  it('intercepts any regional bedrock-runtime endpoint', async () => {
    for (const region of ['us-west-2', 'eu-central-1']) {
      const bedrock = createAmazonBedrock({ region, ...CREDENTIALS });
      const result = await generateText({ model: bedrock(SONNET), prompt: `hello ${region}` });
      expect(result.text).toBe(`Emulated reply to: hello ${region}`);
    }
    expect(emulator.requests.map((r) => r.status)).toEqual([200, 200]);
  });

  it('intercepts a custom base URL and streams through msw', async () => {
    const bedrock = createAmazonBedrock({ baseURL: 'http://bedrock.internal:8080/proxy', region: 'us-east-1', ...CREDENTIALS });
    const result = streamText({
      model: bedrock(NOVA),
      system: words(1200),
      messages: [{ role: 'user', content: 'hello there', providerOptions: checkpoint }],
    });
    expect(await result.text).toBe('Emulated reply to: hello there');
    expect((await result.usage).inputTokenDetails).toEqual({ noCacheTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 1205 });
    expect(emulator.requests[0]).toMatchObject({ operation: 'ConverseStream', modelId: NOVA });
  });
});
