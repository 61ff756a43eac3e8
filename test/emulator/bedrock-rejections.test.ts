/**
 * The rejections the 2026-12 audit found (shared doc §1, §3, §5 items marked 2026-12; issue 13's
 * table), on the pure validators, with Bedrock's texts.
 */
import { describe, expect, it } from 'vitest';
import { validateAnthropicRequest, validateConverseRequest } from '../../src/emulator/index.js';
import { cachePoint, NOVA, SONNET } from './helpers.js';

const user = (...content: unknown[]) => ({ role: 'user', content });
const assistant = (...content: unknown[]) => ({ role: 'assistant', content });
const text = (value: string) => ({ text: value });
const document = (format: string, name = `doc-${format}`) => ({ document: { format, name, source: { bytes: 'aGVsbG8=' } } });
const image = { image: { format: 'png', source: { bytes: 'iVBORw0KGgo=' } } };
const tool = (name: string) => ({ toolSpec: { name, inputSchema: { json: { type: 'object' } } } });

const invalid = (message: string) => ({ ok: false, status: 400, errorType: 'ValidationException', message });
const NOTHING = 'There is nothing available to cache. Please remove the invalid cache point and try again.';
const TEXT_EXTRACTED = ['csv', 'txt', 'md', 'html', 'doc', 'docx', 'xls', 'xlsx'];
const NO_EXTENDED_TTL = [
  'us.anthropic.claude-sonnet-4-20250514-v1:0',
  'anthropic.claude-opus-4-20250514-v1:0',
  'eu.anthropic.claude-opus-4-1-20250805-v1:0',
  'anthropic.claude-3-7-sonnet-20250219-v1:0',
  'anthropic.claude-3-5-haiku-20241022-v1:0',
];

describe('a 1h TTL on a Claude without extended TTL is rejected (shared doc §1 2026-12)', () => {
  it('Converse: every section, with the path of the block the checkpoint closes', () => {
    for (const model of NO_EXTENDED_TTL) {
      expect(validateConverseRequest(model, { messages: [user(text('a'), image, cachePoint('1h'))] }), model).toEqual(
        invalid('The model returned the following errors: messages.0.content.1.image.cache_control.ephemeral.ttl: Extra inputs are not permitted'),
      );
    }
    const sonnet4 = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
    expect(validateConverseRequest(sonnet4, { toolConfig: { tools: [tool('a'), cachePoint('1h')] }, messages: [user(text('a'))] })).toEqual(
      invalid('The model returned the following errors: tools.0.custom.cache_control.ephemeral.ttl: Extra inputs are not permitted'),
    );
    expect(validateConverseRequest(sonnet4, { system: [text('s'), cachePoint('1h')], messages: [user(text('a'))] })).toMatchObject({
      ok: false,
      message: expect.stringContaining('Extra inputs are not permitted'),
    });
    // 5m (explicit or default) is fine on the same models
    expect(validateConverseRequest(sonnet4, { system: [text('s'), cachePoint('5m')], messages: [user(text('a'), cachePoint())] })).toEqual({ ok: true });
  });

  it('accepted on the 4.5 and later rows (the contested 4.7 / 5.x reading: accepted)', () => {
    for (const model of [SONNET, 'anthropic.claude-opus-4-6-v1', 'global.anthropic.claude-sonnet-4-6', 'us.anthropic.claude-opus-4-8', 'anthropic.claude-opus-4-7', 'anthropic.claude-opus-5', 'us.anthropic.claude-fable-5-1']) {
      expect(validateConverseRequest(model, { system: [text('s'), cachePoint('1h')], messages: [user(text('a'))] }), model).toEqual({ ok: true });
    }
  });

  it('a models override gives the other reading of a contested row', () => {
    const models = { 'anthropic.claude-opus-5': { ttls: ['5m'] as const } };
    expect(validateConverseRequest('us.anthropic.claude-opus-5', { system: [text('s'), cachePoint('1h')], messages: [user(text('a'))] }, { models })).toMatchObject({
      ok: false,
      message: expect.stringContaining('Extra inputs are not permitted'),
    });
  });

  it('Nova keeps its own text', () => {
    expect(validateConverseRequest(NOVA, { messages: [user(text('a'), cachePoint('1h'))] })).toEqual(
      invalid('Extended TTL prompt caching is only supported for Anthropic models'),
    );
  });

  it('InvokeModel: the same rule, in Anthropic paths', () => {
    const body = (extra: Record<string, unknown>) => ({
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 10,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      ...extra,
    });
    const oneHour = { type: 'ephemeral', ttl: '1h' };
    const sonnet4 = 'anthropic.claude-sonnet-4-20250514-v1:0';
    expect(validateAnthropicRequest(sonnet4, body({ tools: [{ name: 't', input_schema: { type: 'object' }, cache_control: oneHour }] }))).toEqual(
      invalid('tools.0.custom.cache_control.ephemeral.ttl: Extra inputs are not permitted'),
    );
    expect(validateAnthropicRequest(sonnet4, body({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hi', cache_control: oneHour }] }] }))).toEqual(
      invalid('messages.0.content.0.text.cache_control.ephemeral.ttl: Extra inputs are not permitted'),
    );
    expect(validateAnthropicRequest(sonnet4, body({ system: [{ type: 'text', text: 's', cache_control: oneHour }] }))).toEqual(
      invalid('system.0.cache_control.ephemeral.ttl: Extra inputs are not permitted'),
    );
    expect(validateAnthropicRequest(SONNET, body({ system: [{ type: 'text', text: 's', cache_control: oneHour }] }))).toEqual({ ok: true });
  });
});

describe('InvokeModel: a top-level cache_control is rejected (shared doc §5 2026-12)', () => {
  it('answers "cache_control: Extra inputs are not permitted" on every Claude', () => {
    const body = {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 10,
      cache_control: { type: 'ephemeral' },
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    };
    for (const model of [SONNET, 'us.anthropic.claude-opus-4-8', 'anthropic.claude-3-haiku-20240307-v1:0']) {
      expect(validateAnthropicRequest(model, body), model).toEqual(invalid('cache_control: Extra inputs are not permitted'));
    }
    const { cache_control: _dropped, ...blockLevel } = body;
    expect(validateAnthropicRequest(SONNET, blockLevel)).toEqual({ ok: true });
  });
});

describe('documents (shared doc §1 2026-12)', () => {
  it("don't count as content to cache: a checkpoint with only documents before it in its message", () => {
    for (const format of ['pdf', ...TEXT_EXTRACTED]) {
      expect(validateConverseRequest(SONNET, { messages: [user(document(format), cachePoint())] }), format).toEqual(invalid(NOTHING));
    }
    expect(validateConverseRequest(SONNET, { messages: [user(document('pdf'), document('pdf', 'b'), cachePoint())] })).toEqual(invalid(NOTHING));
    // earlier messages don't help: the rule is per message (opencode #17300's PDF-only turn)
    expect(
      validateConverseRequest(SONNET, { messages: [user(text('q')), assistant(text('a')), user(document('pdf'), cachePoint())] }),
    ).toEqual(invalid(NOTHING));
  });

  it('with a non-document block before it, a checkpoint after a PDF or an image is fine', () => {
    expect(validateConverseRequest(SONNET, { messages: [user(text('read this'), document('pdf'), cachePoint())] })).toEqual({ ok: true });
    expect(validateConverseRequest(SONNET, { messages: [user(text('read this'), document('pdf'), cachePoint(), text('and answer'))] })).toEqual({ ok: true });
    expect(validateConverseRequest(SONNET, { messages: [user(text('look'), image, cachePoint())] })).toEqual({ ok: true });
    expect(validateConverseRequest(SONNET, { messages: [user(image, cachePoint())] })).toEqual({ ok: true });
  });

  it('a checkpoint directly after a text-extracted document: "messages.N.content.M.type: Field required", M the checkpoint\'s index', () => {
    for (const format of TEXT_EXTRACTED) {
      expect(validateConverseRequest(SONNET, { messages: [user(text('a'), document(format), cachePoint())] }), format).toEqual(
        invalid('The model returned the following errors: messages.0.content.2.type: Field required'),
      );
    }
    // issue 9's chat app: [text, pdf, csv, cachePoint] in the fifth message
    const history = [user(text('q1')), assistant(text('a1')), user(text('q2')), assistant(text('a2'))];
    expect(
      validateConverseRequest(SONNET, { messages: [...history, user(text('see files'), document('pdf'), document('csv'), cachePoint())] }),
    ).toEqual(invalid('The model returned the following errors: messages.4.content.3.type: Field required'));
    // the same blocks in another order pass (strands-agents/harness-sdk #2001's fix)
    expect(validateConverseRequest(SONNET, { messages: [user(document('csv'), text('a'), cachePoint())] })).toEqual({ ok: true });
    expect(validateConverseRequest(SONNET, { messages: [user(text('a'), cachePoint(), document('md'))] })).toEqual({ ok: true });
    // recorded real request: [text, txt document, text "\n", cachePoint] wrote 1,322 (Pydantic AI's cache_write_and_read cassette)
    expect(validateConverseRequest(SONNET, { messages: [user(text('a'), document('txt'), text('\n'), cachePoint())] })).toEqual({ ok: true });
  });

  it('the same on Nova (Bedrock converts the document before the model sees it)', () => {
    expect(validateConverseRequest(NOVA, { messages: [user(text('a'), document('csv'), cachePoint())] })).toMatchObject({
      ok: false,
      message: expect.stringContaining('messages.0.content.2.type: Field required'),
    });
  });
});

describe('Converse content blocks added since 2025 (shared doc §1 2026-12)', () => {
  it('accepts audio, toolAddition and toolRemoval, and system-role messages that carry them', () => {
    const audio = { audio: { format: 'mp3', source: { bytes: 'SUQzBAAAAAAA' } } };
    const toolRef = { tool: { type: 'function', name: 'lookup' } };
    const result = validateConverseRequest(SONNET, {
      toolConfig: { tools: [tool('lookup')] },
      messages: [
        user(text('listen'), audio, cachePoint()),
        assistant(text('heard')),
        { role: 'system', content: [{ toolAddition: toolRef }] },
        user(text('now with the tool')),
        assistant(text('ok')),
        { role: 'system', content: [{ toolRemoval: toolRef }] },
        user(text('and without')),
      ],
    });
    expect(result).toEqual({ ok: true });
    expect(validateConverseRequest(SONNET, { messages: [{ role: 'robot', content: [text('x')] }] })).toMatchObject({
      ok: false,
      message: expect.stringContaining('Member must satisfy enum value set: [user, assistant, system]'),
    });
  });
});

describe('Nova 2 Lite message checkpoints (contested, shared doc §3)', () => {
  const body = { messages: [user(text('a'), cachePoint())] };
  it('accepted by default', () => {
    expect(validateConverseRequest('us.amazon.nova-2-lite-v1:0', body)).toEqual({ ok: true });
  });

  it("rejected with Nova's extraneous-key text under messageCheckpoints: 'reject'", () => {
    const models = { 'amazon.nova-2-lite-v1:0': { messageCheckpoints: 'reject' as const } };
    expect(validateConverseRequest('us.amazon.nova-2-lite-v1:0', body, { models })).toEqual(
      invalid(
        'The model returned the following errors: Malformed input request: #/messages/0/content/0: extraneous key [cachePoint] is not permitted, please reformat your input and try again.',
      ),
    );
    // a system checkpoint is not a message checkpoint
    expect(validateConverseRequest('us.amazon.nova-2-lite-v1:0', { system: [text('s'), cachePoint()], messages: [user(text('a'))] }, { models })).toEqual({
      ok: true,
    });
  });
});

describe('an id Bedrock does not know (shared doc §1 2026-12)', () => {
  it('is rejected by both validators before anything else', () => {
    for (const id of ['../../etc/passwd', '..%2F..', 'acme.model-v1', 'anthropic.gpt-5', 'claude-sonnet-4-5']) {
      expect(validateConverseRequest(id, 'not even a body'), id).toEqual(invalid('The provided model identifier is invalid.'));
      expect(validateAnthropicRequest(id, {}), id).toEqual(invalid('The provided model identifier is invalid.'));
    }
  });
});
