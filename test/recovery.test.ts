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
