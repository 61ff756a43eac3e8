import { describe, expect, it } from 'vitest';
import { validateConverseRequest } from '../../src/emulator/validate-converse.js';
import { cachePoint, NOVA, SONNET, words } from './helpers.js';

const user = (...content: unknown[]) => ({ role: 'user', content });
const assistant = (...content: unknown[]) => ({ role: 'assistant', content });
const text = (value: string) => ({ text: value });
const tool = (name: string) => ({
  toolSpec: { name, description: `The ${name} tool`, inputSchema: { json: { type: 'object', properties: {} } } },
});

function expectError(result: ReturnType<typeof validateConverseRequest>, message: string, status = 400, errorType = 'ValidationException') {
  expect(result).toEqual({ ok: false, status, errorType, message });
}

describe('validateConverseRequest: caching rules (shared doc §1, §3)', () => {
  it('accepts checkpoints in tools, system and messages', () => {
    const result = validateConverseRequest(SONNET, {
      toolConfig: { tools: [tool('a'), cachePoint('1h')] },
      system: [text('sys'), cachePoint('1h')],
      messages: [user(text('hi'), cachePoint())],
    });
    expect(result).toEqual({ ok: true });
  });

  it('rejects a fifth checkpoint: "Found 5"', () => {
    const result = validateConverseRequest(SONNET, {
      system: [text('a'), cachePoint(), text('b'), cachePoint()],
      messages: [user(text('c'), cachePoint(), text('d'), cachePoint(), text('e'), cachePoint())],
    });
    expectError(result, 'The model returned the following errors: A maximum of 4 blocks with cache_control may be provided. Found 5.');
  });

  it('counts two adjacent checkpoints as two', () => {
    const result = validateConverseRequest(SONNET, {
      system: [text('a'), cachePoint(), cachePoint()],
      messages: [user(text('c'), cachePoint(), cachePoint(), cachePoint())],
    });
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('Found 5.') });
  });

  it('rejects a 1h checkpoint after a 5m one, across sections', () => {
    const result = validateConverseRequest(SONNET, {
      system: [text('a'), cachePoint()],
      messages: [user(text('b')), assistant(text('c')), user(text('d'), text('e'), cachePoint('1h'))],
    });
    expectError(
      result,
      "The model returned the following errors: messages.2.content.1.cache_control.ttl: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. Note that blocks are processed in the following order: tools, system, messages.",
    );
    const toolsFirst = validateConverseRequest(SONNET, {
      toolConfig: { tools: [tool('a'), tool('b'), cachePoint('5m')] },
      system: [text('a'), cachePoint('1h')],
      messages: [user(text('b'))],
    });
    expect(toolsFirst).toMatchObject({ ok: false, message: expect.stringContaining('system.0.cache_control.ttl: a ttl=') });
  });

  it('rejects a checkpoint with nothing before it in its message or section', () => {
    const nothing = 'There is nothing available to cache. Please remove the invalid cache point and try again.';
    expectError(validateConverseRequest(SONNET, { messages: [user(cachePoint(), text('a'))] }), nothing);
    expectError(validateConverseRequest(SONNET, { system: [cachePoint(), text('a')], messages: [user(text('a'))] }), nothing);
    expectError(
      validateConverseRequest(SONNET, { messages: [user(text('a')), assistant(text('b')), user(cachePoint(), text('c'))] }),
      nothing,
    );
  });

  it('rejects a checkpoint right after a reasoning block', () => {
    const reasoning = { reasoningContent: { reasoningText: { text: 'thinking', signature: 'sig' } } };
    const result = validateConverseRequest(SONNET, {
      messages: [user(text('a')), assistant(reasoning, cachePoint(), text('b')), user(text('c'))],
    });
    expectError(result, 'Cache point cannot be inserted after reasoning block.');
  });

  it('rejects a Nova checkpoint in toolConfig.tools, but not in messages', () => {
    const result = validateConverseRequest(NOVA, {
      toolConfig: { tools: [tool('a'), cachePoint()] },
      messages: [user(text('a'))],
    });
    expectError(
      result,
      'Malformed input request: #/toolConfig/tools/1: extraneous key [cachePoint] is not permitted, please reformat your input and try again.',
    );
    expect(validateConverseRequest(NOVA, { toolConfig: { tools: [tool('a')] }, messages: [user(text('a'), cachePoint())] })).toEqual({
      ok: true,
    });
  });

  it('rejects a Nova 1h TTL, and a 1h TTL on a Claude without extended TTL (shared doc §1 2026-12)', () => {
    expectError(
      validateConverseRequest(NOVA, { messages: [user(text('a'), cachePoint('1h'))] }),
      'Extended TTL prompt caching is only supported for Anthropic models',
    );
    // was accepted (silently 5m) before the doc's 2026-12 audit: Bedrock rejects it (earendil-works/pi #1570)
    expectError(
      validateConverseRequest('anthropic.claude-3-7-sonnet-20250219-v1:0', { messages: [user(text('a'), cachePoint('1h'))] }),
      'The model returned the following errors: messages.0.content.0.text.cache_control.ephemeral.ttl: Extra inputs are not permitted',
    );
  });

  it('rejects cachePoint beside text in one block', () => {
    expectError(
      validateConverseRequest(SONNET, { messages: [user({ text: 'a', cachePoint: { type: 'default' } })] }),
      'ContentBlock object at messages.0.content.0 can only set one of the following keys: text, image, toolUse, toolResult, document, video, cachePoint, reasoningContent, citationsContent, searchResult, guardContent, audio, toolAddition, toolRemoval.',
    );
    expect(
      validateConverseRequest(SONNET, { system: [{ text: 'a', cachePoint: { type: 'default' } }], messages: [user(text('a'))] }),
    ).toMatchObject({ ok: false, message: expect.stringContaining('SystemContentBlock object at system.0 can only set one') });
  });

  it('rejects an invalid type or ttl', () => {
    expectError(
      validateConverseRequest(SONNET, { messages: [user(text('a'), { cachePoint: { type: 'ephemeral' } })] }),
      "1 validation error detected: Value 'ephemeral' at 'messages.1.member.content.2.member.cachePoint.type' failed to satisfy constraint: Member must satisfy enum value set: [default]",
    );
    expectError(
      validateConverseRequest(SONNET, { system: [text('a'), { cachePoint: { type: 'default', ttl: '10m' } }], messages: [user(text('a'))] }),
      "1 validation error detected: Value '10m' at 'system.2.member.cachePoint.ttl' failed to satisfy constraint: Member must satisfy enum value set: [5m, 1h]",
    );
  });

  it('rejects any checkpoint on a model without caching (unknown model, app profile without override)', () => {
    const unsupported = 'You invoked an unsupported model or your request did not allow prompt caching.';
    expectError(validateConverseRequest('meta.llama3-70b-instruct-v1:0', { messages: [user(text('a'), cachePoint())] }), unsupported);
    const appProfile = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/x1';
    expectError(validateConverseRequest(appProfile, { messages: [user(text('a'), cachePoint())] }), unsupported);
    expect(
      validateConverseRequest(appProfile, { messages: [user(text('a'), cachePoint())] }, { models: { [appProfile]: SONNET } }),
    ).toEqual({ ok: true });
    // …but answers them without checkpoints
    expect(validateConverseRequest('meta.llama3-70b-instruct-v1:0', { messages: [user(text('a'))] })).toEqual({ ok: true });
  });
});

describe('validateConverseRequest: conversation rules', () => {
  it('requires the conversation to start with a user message', () => {
    expectError(
      validateConverseRequest(SONNET, { messages: [assistant(text('a')), user(text('b'))] }),
      'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
    );
    expect(validateConverseRequest(SONNET, { messages: [] })).toMatchObject({ ok: false, status: 400 });
  });

  it('requires alternating roles', () => {
    expectError(
      validateConverseRequest(SONNET, { messages: [user(text('a')), user(text('b'))] }),
      'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.',
    );
  });

  it('rejects empty content and empty text, accepts whitespace-only text', () => {
    expectError(
      validateConverseRequest(SONNET, { messages: [user()] }),
      'The content field in the Message object at messages.0 is empty. Add a ContentBlock object to the content field and try again.',
    );
    expectError(
      validateConverseRequest(SONNET, { messages: [user(text(''))] }),
      'The text field in the ContentBlock object at messages.0.content.0 is blank. Add text to the text field, and try again.',
    );
    // whitespace-only was rejected before: a recorded real request with {"text": "\n"} got 200
    // (Pydantic AI's test_bedrock_cache_write_and_read cassette)
    expect(validateConverseRequest(SONNET, { messages: [user(text('q'), text('\n'))] })).toEqual({ ok: true });
  });

  it('pairs toolResult blocks with the previous toolUse blocks', () => {
    const toolUse = (id: string) => ({ toolUse: { toolUseId: id, name: 'a', input: {} } });
    const toolResult = (id: string) => ({ toolResult: { toolUseId: id, content: [{ text: 'ok' }] } });
    const toolConfig = { tools: [tool('a')] };
    expect(
      validateConverseRequest(SONNET, {
        toolConfig,
        messages: [user(text('q')), assistant(toolUse('t1'), toolUse('t2')), user(toolResult('t1'), toolResult('t2'))],
      }),
    ).toEqual({ ok: true });
    expectError(
      validateConverseRequest(SONNET, {
        toolConfig,
        messages: [user(text('q')), assistant(toolUse('t1'), toolUse('t2')), user(toolResult('t1'))],
      }),
      'Expected toolResult blocks at messages.2.content for the following Ids: t2',
    );
    expectError(
      validateConverseRequest(SONNET, { toolConfig, messages: [user(text('q')), assistant(text('x')), user(toolResult('t9'))] }),
      'The number of toolResult blocks at messages.2.content exceeds the number of toolUse blocks of previous turn.',
    );
    expectError(
      validateConverseRequest(SONNET, { messages: [user(text('q')), assistant(toolUse('t1')), user(toolResult('t1'))] }),
      'The toolConfig field must be defined when using toolUse and toolResult content blocks.',
    );
  });

  it('accepts a final assistant prefill, but not a pending toolUse or trailing whitespace', () => {
    expect(validateConverseRequest(SONNET, { messages: [user(text('q')), assistant(text('The answer is'))] })).toEqual({ ok: true });
    expect(
      validateConverseRequest(SONNET, {
        toolConfig: { tools: [tool('a')] },
        messages: [user(text('q')), assistant({ toolUse: { toolUseId: 't1', name: 'a', input: {} } })],
      }),
    ).toMatchObject({ ok: false, message: expect.stringContaining('`tool_use` ids were found without `tool_result` blocks') });
    expectError(
      validateConverseRequest(SONNET, { messages: [user(text('q')), assistant(text('The answer is '))] }),
      'The model returned the following errors: final assistant content cannot end with trailing whitespace',
    );
  });

  it('returns SerializationException for a non-object body', () => {
    expect(validateConverseRequest(SONNET, 'nope')).toMatchObject({ ok: false, errorType: 'SerializationException' });
  });

  it('checks the cumulative structure only once per request (large prompts stay valid)', () => {
    expect(validateConverseRequest(SONNET, { system: [text(words(5000)), cachePoint()], messages: [user(text('q'))] })).toEqual({
      ok: true,
    });
  });
});
