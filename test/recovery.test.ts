import { generateText, streamText, wrapLanguageModel } from 'ai';
import { describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware, type CacheUsageReport } from '../src';
import { history, LLAMA, LONG_SYSTEM, SONNET } from './support/fixtures';
import { cachePointsOf, useMockBedrock, type MockFailure } from './support/mock-bedrock';

const mock = useMockBedrock();
const TOO_MANY: MockFailure = {
  error: { status: 400, type: 'ValidationException', message: 'A maximum of 4 blocks with cache_control may be provided. Found 5.' },
};
const UNSUPPORTED: MockFailure = {
  error: { status: 403, type: 'AccessDeniedException', message: 'You invoked an unsupported model or your request did not allow prompt caching.' },
};
const MALFORMED: MockFailure = { error: { status: 400, type: 'ValidationException', message: 'Malformed input request: #/inferenceConfig/maxTokens' } };

const userPoint = { bedrock: { cachePoint: { type: 'default' } } };
// A system message in `messages` needs allowSystemInMessages: ai 7 rejects it otherwise (ai 6 warns).
const messages = () => [
  { role: 'system' as const, content: LONG_SYSTEM, providerOptions: userPoint },
  ...history(2),
  { role: 'user' as const, content: 'Now?' },
];

function setup(options?: Parameters<typeof bedrockCacheMiddleware>[0]) {
  const reports: CacheUsageReport[] = [];
  const model = wrapLanguageModel({
    model: mock.bedrock(SONNET),
    middleware: bedrockCacheMiddleware({ onCacheUsage: (r) => reports.push(r), ...options }),
  });
  return { model, reports };
}

describe('recovery from cache rejections', () => {
  it("retries a rejected generate call once without our checkpoints, keeping the caller's", async () => {
    const { model, reports } = setup();
    mock.reply(TOO_MANY, { text: 'fine' });
    const result = await generateText({ model, allowSystemInMessages: true, messages: messages(), maxRetries: 0 });
    expect(result.text).toBe('fine');
    expect(mock.requests).toHaveLength(2);
    expect(cachePointsOf(mock.requests[0]!.body).length).toBeGreaterThan(1);
    expect(cachePointsOf(mock.requests[1]!.body)).toEqual([{ at: 'system[1]', ttl: undefined }]);
    expect(result.warnings).toContainEqual({
      type: 'other',
      message: expect.stringContaining("rejected this request's cache checkpoints (more than 4 checkpoints)"),
    });
    expect(reports).toEqual([expect.objectContaining({ recoveredFrom: 'more than 4 checkpoints', checkpoints: { added: 0, existing: 1 } })]);
  });

  it('recovers from a 403 "unsupported model" answer', async () => {
    const { model } = setup();
    mock.reply(UNSUPPORTED, { text: 'fine' });
    await generateText({ model, allowSystemInMessages: true, messages: messages(), maxRetries: 0 });
    expect(mock.requests).toHaveLength(2);
  });

  it('never retries other errors', async () => {
    const { model } = setup();
    mock.reply(MALFORMED, { text: 'fine' });
    await expect(generateText({ model, allowSystemInMessages: true, messages: messages(), maxRetries: 0 })).rejects.toThrow('Malformed input');
    expect(mock.requests).toHaveLength(1);
  });

  it('never retries when it added no checkpoint, or when turned off', async () => {
    mock.reply(TOO_MANY);
    const unsupported = wrapLanguageModel({ model: mock.bedrock(LLAMA), middleware: bedrockCacheMiddleware({ unsupportedModelBehavior: 'ignore' }) });
    await expect(generateText({ model: unsupported, prompt: 'hi', maxRetries: 0 })).rejects.toThrow('A maximum of 4');
    expect(mock.requests).toHaveLength(1);

    mock.reply(TOO_MANY);
    const { model } = setup({ retryOnCacheError: false });
    await expect(generateText({ model, allowSystemInMessages: true, messages: messages(), maxRetries: 0 })).rejects.toThrow('A maximum of 4');
    expect(mock.requests).toHaveLength(2);
  });

  it('retries a stream rejected with an HTTP error', async () => {
    const { model, reports } = setup();
    mock.reply(TOO_MANY, { text: 'streamed' });
    const result = streamText({ model, allowSystemInMessages: true, messages: messages(), maxRetries: 0 });
    expect(await result.text).toBe('streamed');
    expect(mock.requests).toHaveLength(2);
    expect(await result.warnings).toContainEqual(expect.objectContaining({ message: expect.stringContaining('sent again without') }));
    expect(reports[0]).toMatchObject({ callType: 'stream', recoveredFrom: 'more than 4 checkpoints' });
  });

  it('retries a stream whose first event is a cache exception', async () => {
    const { model } = setup();
    mock.reply({ error: { ...TOO_MANY.error, inStream: true } }, { text: 'streamed' });
    const result = streamText({ model, allowSystemInMessages: true, messages: messages(), maxRetries: 0 });
    expect(await result.text).toBe('streamed');
    expect(mock.requests).toHaveLength(2);
  });

  it('does not retry a stream that already produced content', async () => {
    const { model } = setup();
    mock.reply({ error: { ...TOO_MANY.error, inStream: true, afterText: 'partial' } }, { text: 'streamed' });
    const errors: unknown[] = [];
    const result = streamText({ model, allowSystemInMessages: true, messages: messages(), maxRetries: 0, onError: ({ error }) => void errors.push(error) });
    expect(await result.text).toBe('partial');
    expect(errors).toHaveLength(1);
    expect(mock.requests).toHaveLength(1);
  });
});

describe('a planning failure', () => {
  it('sends the request as written, with a warning, instead of failing the call', async () => {
    const { model } = setup();
    // a part whose options can't be read the first time (a getter from some upstream proxy);
    // called at the provider level, so the middleware is the first to read it
    let reads = 0;
    const odd = {
      type: 'text' as const,
      text: 'Now?',
      get providerOptions() {
        if (reads++ === 0) throw new TypeError('not yet');
        return undefined;
      },
    };
    const result = await model.doGenerate({
      prompt: [
        { role: 'system', content: LONG_SYSTEM },
        { role: 'user', content: [odd] },
      ],
    });
    expect(result.content).toEqual([{ type: 'text', text: 'ok' }]);
    expect(cachePointsOf(mock.last())).toEqual([]);
    expect(result.warnings).toContainEqual({
      type: 'other',
      message: 'bedrock prompt caching: no checkpoints were added because planning failed (TypeError); the request is sent as written.',
    });
  });
});

describe('recoveries that keep caching', () => {
  const EXTRA_INPUTS: MockFailure = {
    error: { status: 400, type: 'ValidationException', message: 'The model returned the following errors: system.0.cache_control.ttl: Extra inputs are not permitted' },
  };
  const NOVA_MESSAGE_POINT: MockFailure = {
    error: { status: 400, type: 'ValidationException', message: 'Malformed input request: #/messages/0/content/1: extraneous key [cachePoint] is not permitted, please reformat your input and try again.' },
  };
  const FIELD_REQUIRED: MockFailure = {
    error: { status: 400, type: 'ValidationException', message: 'The model returned the following errors: messages.2.content.2.type: Field required' },
  };

  it('a rejected 1h TTL is retried with 5m, and not sent again to that model', async () => {
    const { model, reports } = setup({ ttl: '1h' });
    mock.reply(EXTRA_INPUTS, { text: 'fine' }, { text: 'again' });
    const first = await generateText({ model, system: LONG_SYSTEM, messages: history(1).concat({ role: 'user', content: 'Now?' }), maxRetries: 0 });
    expect(first.text).toBe('fine');
    expect(cachePointsOf(mock.requests[0]!.body).map((p) => p.ttl)).toEqual(['1h', '1h', '1h']);
    // still cached, at 5m: not sent without checkpoints
    expect(cachePointsOf(mock.requests[1]!.body).map((p) => p.ttl)).toEqual([undefined, undefined, undefined]);
    expect(first.warnings).toContainEqual(expect.objectContaining({ message: expect.stringContaining('sent again with 5m instead of 1h') }));
    expect(reports[0]).toMatchObject({ recoveredFrom: 'a 1h TTL the model does not accept', checkpoints: { added: 3 } });
    await generateText({ model, system: LONG_SYSTEM, prompt: 'Next', maxRetries: 0 });
    expect(mock.requests).toHaveLength(3);
    expect(cachePointsOf(mock.requests[2]!.body).map((p) => p.ttl)).toEqual([undefined, undefined]);
  });

  it("Extra inputs are not permitted is not a TTL problem when none of ours has 1h: then ours are dropped", async () => {
    const { model } = setup();
    mock.reply(EXTRA_INPUTS, { text: 'fine' });
    await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi', maxRetries: 0 });
    expect(cachePointsOf(mock.requests[1]!.body)).toEqual([]);
  });

  it("Nova's extraneous cachePoint on a message: retried without message checkpoints, and none placed on that model again", async () => {
    const reports: CacheUsageReport[] = [];
    const model = wrapLanguageModel({ model: mock.bedrock('us.amazon.nova-2-lite-v1:0'), middleware: bedrockCacheMiddleware({ onCacheUsage: (r) => reports.push(r) }) });
    mock.reply(NOVA_MESSAGE_POINT, { text: 'fine' }, { text: 'again' });
    await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi', maxRetries: 0 });
    expect(cachePointsOf(mock.requests[0]!.body).map((p) => p.at)).toEqual(['system[1]', 'messages[0][1]']);
    expect(cachePointsOf(mock.requests[1]!.body).map((p) => p.at)).toEqual(['system[1]']);
    expect(reports[0]).toMatchObject({ recoveredFrom: 'a checkpoint the model does not accept', checkpoints: { added: 1 } });
    await generateText({ model, system: LONG_SYSTEM, prompt: 'Again', maxRetries: 0 });
    expect(cachePointsOf(mock.requests[2]!.body).map((p) => p.at)).toEqual(['system[1]']);
  });

  it('"Field required" after one of our checkpoints that follows a document is recognised', async () => {
    const { model } = setup();
    mock.reply(FIELD_REQUIRED, { text: 'fine' });
    const pdf = { type: 'file' as const, mediaType: 'application/pdf', data: new Uint8Array([37, 80, 68, 70]) };
    await generateText({ model, system: LONG_SYSTEM, messages: [...history(1), { role: 'user', content: [{ type: 'text', text: 'Read' }, pdf] }], maxRetries: 0 });
    expect(mock.requests).toHaveLength(2);
    expect(cachePointsOf(mock.requests[1]!.body)).toEqual([]);
  });

  it('"Field required" with no checkpoint of ours after a document is not ours to retry', async () => {
    const { model } = setup();
    mock.reply(FIELD_REQUIRED, { text: 'fine' });
    await expect(generateText({ model, system: LONG_SYSTEM, prompt: 'Hi', maxRetries: 0 })).rejects.toThrow('Field required');
    expect(mock.requests).toHaveLength(1);
  });
});
