/**
 * What a call can say for itself (providerOptions.bedrockCache), the keys the provider
 * silently ignores, Anthropic's call-level automatic caching on InvokeModel, the caller's
 * own model rows, reports that count what reaches the wire, and callbacks that can't break
 * a call. All asserted on the bodies the real provider sends.
 */
import { InvalidArgumentError } from '@ai-sdk/provider';
import { generateText, streamText, wrapLanguageModel, type ModelMessage } from 'ai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bedrockCacheMiddleware, type CacheUsageReport } from '../src';
import { history, LONG_SYSTEM, prose, SONNET, weatherTools } from './support/fixtures';
import { cacheControlsOf, cachePointsOf, useMockBedrock } from './support/mock-bedrock';

const mock = useMockBedrock();
const converse = (options?: Parameters<typeof bedrockCacheMiddleware>[0], id = SONNET) =>
  wrapLanguageModel({ model: mock.bedrock(id), middleware: bedrockCacheMiddleware(options) });
const invoke = (options?: Parameters<typeof bedrockCacheMiddleware>[0]) =>
  wrapLanguageModel({ model: mock.anthropic(SONNET), middleware: bedrockCacheMiddleware(options) });
const messages = (): ModelMessage[] => [...history(1), { role: 'user', content: 'Now?' }];

describe('per-call control: providerOptions.bedrockCache', () => {
  it('enabled: false sends the call as written', async () => {
    const result = await generateText({ model: converse(), system: LONG_SYSTEM, messages: messages(), providerOptions: { bedrockCache: { enabled: false } } });
    expect(cachePointsOf(mock.last())).toEqual([]);
    expect(result.warnings ?? []).toEqual([]);
  });

  it('ttl applies to that call only', async () => {
    const model = converse();
    await generateText({ model, system: LONG_SYSTEM, messages: messages(), providerOptions: { bedrockCache: { ttl: '1h' } } });
    expect(cachePointsOf(mock.last()).map((p) => p.ttl)).toEqual(['1h', '1h', '1h']);
    await generateText({ model, system: LONG_SYSTEM, messages: messages() });
    expect(cachePointsOf(mock.last()).map((p) => p.ttl)).toEqual([undefined, undefined, undefined]);
  });

  it('cache sections merge over the middleware option, and streams read it too', async () => {
    const result = streamText({ model: converse({ cache: { system: false } }), system: LONG_SYSTEM, messages: messages(), providerOptions: { bedrockCache: { cache: { messages: false, system: true } } } });
    await result.consumeStream();
    expect(cachePointsOf(mock.last()).map((p) => p.at)).toEqual(['system[1]']);
  });

  it('never reaches the provider', async () => {
    const seen: unknown[] = [];
    const model = wrapLanguageModel({
      model: mock.bedrock(SONNET),
      middleware: [
        bedrockCacheMiddleware(),
        { specificationVersion: 'v3', transformParams: async ({ params }) => (seen.push(params.providerOptions), params) },
      ],
    });
    await generateText({ model, prompt: 'Hi', providerOptions: { bedrockCache: { ttl: '1h' }, bedrock: { reasoningConfig: { type: 'disabled' } } } });
    expect(seen).toEqual([{ bedrock: { reasoningConfig: { type: 'disabled' } } }]);
  });

  it('invalid values throw an InvalidArgumentError naming them', async () => {
    const error = await generateText({ model: converse(), prompt: 'Hi', providerOptions: { bedrockCache: { ttl: '2h' } } }).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).argument).toBe('providerOptions.bedrockCache.ttl');
    expect((error as Error).message).toContain("'5m', '1h'");
    const unknownKey = await generateText({ model: converse(), prompt: 'Hi', providerOptions: { bedrockCache: { enable: false } } }).catch((e: unknown) => e);
    expect((unknownKey as InvalidArgumentError).message).toContain('enabled, ttl, cache');
    expect(mock.requests).toHaveLength(0);
  });
});

describe('checkpoints under a key the provider ignores', () => {
  const anthropicPoint = { anthropic: { cacheControl: { type: 'ephemeral' } } };
  const bedrockPoint = { bedrock: { cachePoint: { type: 'default' } } };

  it('anthropic.cacheControl on a Converse model: a warning naming bedrock.cachePoint, not counted', async () => {
    const result = await generateText({
      model: converse(),
      system: LONG_SYSTEM,
      messages: [...history(1).map((m) => ({ ...m, providerOptions: anthropicPoint }) as ModelMessage), { role: 'user', content: 'Now?', providerOptions: anthropicPoint }],
    });
    expect(cachePointsOf(mock.last()).map((p) => p.at)).toEqual(['system[1]', 'messages[1][1]', 'messages[2][1]']);
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ message: expect.stringMatching(/cache checkpoint\(s\) are written as providerOptions\.anthropic\.cacheControl.*write providerOptions\.bedrock\.cachePoint/) }),
    );
  });

  it('bedrock.cachePoint on an InvokeModel model: a warning naming anthropic.cacheControl', async () => {
    const result = await generateText({ model: invoke(), system: LONG_SYSTEM, messages: [{ role: 'user', content: 'Now?', providerOptions: bedrockPoint }] });
    expect(cacheControlsOf(mock.last()).map((p) => p.at)).toEqual(['system[0]', 'messages[0][0]']);
    expect(result.warnings).toContainEqual(expect.objectContaining({ message: expect.stringContaining('write providerOptions.anthropic.cacheControl') }));
  });
});

describe("Anthropic's call-level automatic caching on InvokeModel", () => {
  it('becomes block checkpoints with its TTL, and is never sent as a top-level cache_control', async () => {
    const result = await generateText({
      model: invoke(),
      system: LONG_SYSTEM,
      messages: messages(),
      providerOptions: { anthropic: { cacheControl: { type: 'ephemeral', ttl: '1h' } } },
    });
    const body = mock.last();
    expect(body.cache_control).toBeUndefined();
    expect(cacheControlsOf(body)).toEqual([
      { at: 'system[0]', ttl: '1h' },
      { at: 'messages[1][0]', ttl: '1h' },
      { at: 'messages[2][0]', ttl: '1h' },
    ]);
    expect(result.warnings).toContainEqual(expect.objectContaining({ message: expect.stringContaining('is rejected by Bedrock ("cache_control: Extra inputs are not permitted")') }));
  });

  it('the same when streaming', async () => {
    const result = streamText({ model: invoke(), system: LONG_SYSTEM, messages: messages(), providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } } });
    await result.consumeStream();
    expect(mock.requests[0]!.operation).toBe('invoke-with-response-stream');
    expect(mock.last().cache_control).toBeUndefined();
    expect(cacheControlsOf(mock.last()).map((p) => p.at)).toEqual(['system[0]', 'messages[1][0]', 'messages[2][0]']);
    expect(await result.warnings).toContainEqual(expect.objectContaining({ message: expect.stringContaining('is rejected by Bedrock') }));
  });

  it('is left alone with the middleware off for the call', async () => {
    await generateText({
      model: invoke(),
      prompt: 'Hi',
      maxRetries: 0,
      providerOptions: { bedrockCache: { enabled: false }, anthropic: { cacheControl: { type: 'ephemeral' } } },
    }).catch(() => {});
    expect(mock.last().cache_control).toEqual({ type: 'ephemeral' });
  });
});

describe('model rows of your own (models option)', () => {
  const future = 'us.anthropic.claude-opus-9-v1';

  it('an unknown newer Claude gets the family defaults: a 512-token minimum', async () => {
    const shortSystem = `Rules. ${prose(700)}`; // about 720 tokens: above 512, below 1,024
    await generateText({ model: converse(undefined, future), system: shortSystem, prompt: 'Hi' });
    expect(cachePointsOf(mock.last()).map((p) => p.at)).toContain('system[1]');
  });

  it('a row raises the minimum, so a short prefix is skipped', async () => {
    const shortSystem = `Rules. ${prose(700)}`;
    await generateText({ model: converse({ models: { 'anthropic.claude-opus-9': { minTokens: 4096 } } }, future), system: shortSystem, prompt: 'Hi' });
    expect(cachePointsOf(mock.last())).toEqual([]);
  });

  it('caches: false turns a model off; an application profile gets a family', async () => {
    const off = await generateText({ model: converse({ models: { 'anthropic.claude-sonnet-4-5': { caches: false } } }), system: LONG_SYSTEM, prompt: 'Hi' });
    expect(cachePointsOf(mock.last())).toEqual([]);
    expect(off.warnings).toEqual([expect.objectContaining({ type: 'unsupported' })]);
  });

  it('the debug event says when figures are inferred', async () => {
    const events: unknown[] = [];
    await generateText({ model: converse({ debug: (e) => events.push(e) }, future), system: LONG_SYSTEM, prompt: 'Hi' });
    expect(events).toEqual([expect.objectContaining({ inferred: expect.stringContaining("not in this version's table") })]);
  });
});

describe('reports count the checkpoints that reach the wire', () => {
  it('a Converse tools checkpoint (dropped by the provider) is not counted as added', async () => {
    const reports: CacheUsageReport[] = [];
    await generateText({ model: converse({ onCacheUsage: (r) => reports.push(r) }), system: LONG_SYSTEM, tools: weatherTools({ long: true }), messages: messages() });
    const onWire = cachePointsOf(mock.last());
    expect(onWire.map((p) => p.at)).toEqual(['system[1]', 'messages[1][1]', 'messages[2][1]']);
    expect(reports[0]!.checkpoints).toEqual({ added: onWire.length, existing: 0 });
  });

  it('an InvokeModel tools checkpoint is counted', async () => {
    const reports: CacheUsageReport[] = [];
    await generateText({ model: invoke({ onCacheUsage: (r) => reports.push(r) }), system: LONG_SYSTEM, tools: weatherTools({ long: true }), messages: messages() });
    expect(reports[0]!.checkpoints.added).toBe(cacheControlsOf(mock.last()).length);
    expect(reports[0]!.checkpoints.added).toBe(4);
  });
});

describe('callbacks that fail never fail the call', () => {
  const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
  afterEach(() => errors.mockClear());

  it.each([
    ['throws', () => { throw new Error('metrics down'); }],
    ['rejects', () => Promise.reject(new Error('metrics down'))],
  ])('onCacheUsage that %s: generate and stream both complete, reported once', async (_, onCacheUsage) => {
    const model = converse({ onCacheUsage });
    const generated = await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi' });
    expect(generated.text).toBe('ok');
    const streamed = streamText({ model, system: LONG_SYSTEM, prompt: 'Hi' });
    expect(await streamed.text).toBe('ok');
    await new Promise((resolve) => setTimeout(resolve, 0)); // let a rejection settle
    expect(errors).toHaveBeenCalledTimes(1);
    expect(String(errors.mock.calls[0]![0])).toContain('onCacheUsage failed (Error: metrics down); the call was not affected');
  });

  it('a debug function that throws', async () => {
    const model = converse({ debug: () => { throw new Error('logger down'); } });
    await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi' });
    const streamed = streamText({ model, system: LONG_SYSTEM, prompt: 'Hi' });
    expect(await streamed.text).toBe('ok');
    expect(cachePointsOf(mock.last()).length).toBe(2);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(String(errors.mock.calls[0]![0])).toContain('debug failed (Error: logger down)');
  });
});
