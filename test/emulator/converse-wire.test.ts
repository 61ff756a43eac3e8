import { describe, expect, it } from 'vitest';
import { createBedrockEmulator, startBedrockEmulator, type BedrockEmulatorOptions } from '../../src/emulator/index.js';
import { cachePoint, decodeEventStream, SONNET, words } from './helpers.js';

const url = (operation: string, modelId = SONNET) =>
  `https://bedrock-runtime.us-east-1.amazonaws.com/model/${encodeURIComponent(modelId)}/${operation}`;
const body = {
  toolConfig: { tools: [{ toolSpec: { name: 'search', inputSchema: { json: { type: 'object' } } } }] },
  system: [{ text: words(1100) }, cachePoint('1h')],
  messages: [{ role: 'user', content: [{ text: 'find cats' }, cachePoint()] }],
};
const post = (emulatorOptions: BedrockEmulatorOptions, operation: string) => {
  const emulator = createBedrockEmulator({ hiddenTokens: false, ...emulatorOptions });
  return emulator.fetch(url(operation), { method: 'POST', body: JSON.stringify(body) });
};

describe('Converse wire format', () => {
  it('returns reasoning, text and parallel toolUse blocks with stopReason tool_use', async () => {
    const response = await post(
      {
        reply: [
          {
            reasoning: 'Search twice.',
            text: 'Searching.',
            toolUses: [
              { name: 'search', input: { q: 'cats' } },
              { name: 'search', input: { q: 'kittens' }, id: 'tooluse_fixed' },
            ],
          },
        ],
      },
      'converse',
    );
    const json = (await response.json()) as any;
    expect(json.stopReason).toBe('tool_use');
    expect(json.output.message.content).toEqual([
      { reasoningContent: { reasoningText: { text: 'Search twice.', signature: expect.any(String) } } },
      { text: 'Searching.' },
      { toolUse: { toolUseId: 'tooluse_emu0_0', name: 'search', input: { q: 'cats' } } },
      { toolUse: { toolUseId: 'tooluse_fixed', name: 'search', input: { q: 'kittens' } } },
    ]);
    // output: 'Search twice.' 3 + 'Searching.' 3 (9 letters = 2, '.' = 1) + 2 × ('search' 1 + {"q":"…"} 5) = 18
    expect(json.usage.outputTokens).toBe(18);
    expect(json.metrics.latencyMs).toBeGreaterThan(0);
  });

  it('streams binary event-stream frames in Bedrock order, usage in metadata', async () => {
    const response = await post({ reply: [{ text: 'one two three four five six', toolUses: [{ name: 'search', input: { q: 'x' } }] }] }, 'converse-stream');
    expect(response.headers.get('content-type')).toBe('application/vnd.amazon.eventstream');
    const events = await decodeEventStream(response);
    expect(events.every((e) => e.messageType === 'event')).toBe(true);
    expect(events.map((e) => e.eventType)).toEqual([
      'messageStart',
      'contentBlockDelta',
      'contentBlockDelta',
      'contentBlockStop',
      'contentBlockStart',
      'contentBlockDelta',
      'contentBlockStop',
      'messageStop',
      'metadata',
    ]);
    expect(events[4]?.payload).toEqual({ contentBlockIndex: 1, start: { toolUse: { toolUseId: 'tooluse_emu0_0', name: 'search' } } });
    expect(events[5]?.payload).toEqual({ contentBlockIndex: 1, delta: { toolUse: { input: '{"q":"x"}' } } });
    expect(events[7]?.payload).toEqual({ stopReason: 'tool_use' });
    const usage = events[8]?.payload.usage;
    expect(usage.cacheDetails).toBeUndefined();
    expect(usage).toMatchObject({ inputTokens: 0, cacheReadInputTokens: 0 });
    expect(usage.cacheWriteInputTokens).toBeGreaterThan(1100);
  });

  it('adds cacheDetails to stream metadata with streamCacheDetails', async () => {
    const events = await decodeEventStream(await post({ streamCacheDetails: true }, 'converse-stream'));
    const usage = events.at(-1)?.payload.usage;
    expect(usage.cacheDetails).toEqual([
      { ttl: '1h', inputTokens: usage.cacheWriteInputTokens - 5 },
      { ttl: '5m', inputTokens: 5 },
    ]);
  });

  it('logs operation, model, parsed body, size, status and usage', async () => {
    const emulator = createBedrockEmulator({ now: () => 42 });
    await emulator.fetch(url('converse'), { method: 'POST', body: JSON.stringify(body) });
    await emulator.fetch(url('converse'), { method: 'POST', body: '{not json' });
    expect(emulator.requests[0]).toMatchObject({ operation: 'Converse', modelId: SONNET, body, status: 200, time: 42 });
    expect(emulator.requests[0]?.usage?.cacheDetails).toHaveLength(2);
    // a rejected request keeps nothing but its size
    expect(emulator.requests[1]).toMatchObject({ status: 400, errorType: 'SerializationException', bodyBytes: 9 });
    expect(emulator.requests[1]).not.toHaveProperty('body');
  });
});

describe('startBedrockEmulator', () => {
  it('serves on loopback and frees the port on close', async () => {
    const emu = await startBedrockEmulator({ port: 0 });
    expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${emu.url}/model/${encodeURIComponent(SONNET)}/converse`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    expect(emu.requests).toHaveLength(1);
    await emu.close();
    await expect(fetch(`${emu.url}/model/x/converse`, { method: 'POST', body: '{}' })).rejects.toThrow();
  });
});
