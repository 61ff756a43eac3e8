import { describe, expect, it } from 'vitest';
import { validateAnthropicRequest } from '../../src/emulator/validate-anthropic.js';
import { NOVA, SONNET } from './helpers.js';

const cc = (ttl?: string) => ({ type: 'ephemeral', ...(ttl ? { ttl } : {}) });
const text = (value: string, cache_control?: unknown) => ({ type: 'text', text: value, ...(cache_control ? { cache_control } : {}) });
const body = (extra: Record<string, unknown> = {}) => ({
  anthropic_version: 'bedrock-2023-05-31',
  max_tokens: 100,
  messages: [{ role: 'user', content: [text('hello')] }],
  ...extra,
});

function expectError(result: ReturnType<typeof validateAnthropicRequest>, message: string) {
  expect(result).toEqual({ ok: false, status: 400, errorType: 'ValidationException', message });
}

describe('validateAnthropicRequest (shared doc §5)', () => {
  it('accepts cache_control on the last tool, a system block and a message block', () => {
    const result = validateAnthropicRequest(
      SONNET,
      body({
        tools: [{ name: 'a', input_schema: { type: 'object' }, cache_control: cc('1h') }],
        system: [text('sys', cc('1h'))],
        messages: [{ role: 'user', content: [text('hi', cc())] }],
      }),
    );
    expect(result).toEqual({ ok: true });
  });

  it('requires anthropic_version bedrock-2023-05-31 and max_tokens', () => {
    expectError(
      validateAnthropicRequest(SONNET, { max_tokens: 1, messages: [] }),
      'Malformed input request: #: required key [anthropic_version] not found, please reformat your input and try again.',
    );
    expect(validateAnthropicRequest(SONNET, body({ anthropic_version: '2023-06-01' }))).toMatchObject({
      ok: false,
      message: expect.stringContaining('anthropic_version'),
    });
    expectError(
      validateAnthropicRequest(SONNET, body({ max_tokens: undefined })),
      'Malformed input request: #: required key [max_tokens] not found, please reformat your input and try again.',
    );
  });

  it('rejects an Anthropic body on Nova', () => {
    expect(validateAnthropicRequest(NOVA, body())).toMatchObject({ ok: false, message: expect.stringContaining('extraneous key [anthropic_version]') });
  });

  it('rejects a fifth cache_control', () => {
    const result = validateAnthropicRequest(
      SONNET,
      body({
        system: [text('a', cc()), text('b', cc())],
        messages: [{ role: 'user', content: [text('c', cc()), text('d', cc()), text('e', cc())] }],
      }),
    );
    expectError(result, 'A maximum of 4 blocks with cache_control may be provided. Found 5.');
  });

  it('rejects a 1h cache_control after a 5m one (tools → system → messages)', () => {
    const result = validateAnthropicRequest(
      SONNET,
      body({ tools: [{ name: 'a', input_schema: {}, cache_control: cc() }], system: [text('s', cc('1h'))] }),
    );
    expectError(
      result,
      "system.0.cache_control.ttl: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. Note that blocks are processed in the following order: tools, system, messages.",
    );
  });

  it('rejects invalid cache_control type / ttl and cache_control on thinking', () => {
    expectError(validateAnthropicRequest(SONNET, body({ system: [text('s', { type: 'default' })] })), "system.0.cache_control.type: Input should be 'ephemeral'");
    expectError(
      validateAnthropicRequest(SONNET, body({ system: [text('s', cc('2h'))] })),
      "system.0.cache_control.ttl: Input should be '5m' or '1h'",
    );
    const result = validateAnthropicRequest(
      SONNET,
      body({
        messages: [
          { role: 'user', content: [text('q')] },
          { role: 'assistant', content: [{ type: 'thinking', thinking: 't', signature: 's', cache_control: cc() }, text('a')] },
          { role: 'user', content: [text('q2')] },
        ],
      }),
    );
    expectError(result, 'messages.1.content.0.thinking.cache_control: Extra inputs are not permitted');
  });

  it('rejects cache_control on a model without caching', () => {
    expectError(
      validateAnthropicRequest('anthropic.claude-3-haiku-20240307-v1:0', body({ system: [text('s', cc())] })),
      'You invoked an unsupported model or your request did not allow prompt caching.',
    );
    expect(validateAnthropicRequest('anthropic.claude-3-haiku-20240307-v1:0', body())).toEqual({ ok: true });
  });

  it('applies the conversation rules', () => {
    expectError(
      validateAnthropicRequest(SONNET, body({ messages: [{ role: 'assistant', content: 'x' }] })),
      'messages: first message must use the "user" role',
    );
    expectError(
      validateAnthropicRequest(SONNET, body({ messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }] })),
      'messages: roles must alternate between "user" and "assistant", but found multiple "user" roles in a row',
    );
    expectError(
      validateAnthropicRequest(SONNET, body({ messages: [{ role: 'user', content: [] }] })),
      'messages.0: all messages must have non-empty content except for the optional final assistant message',
    );
    expectError(validateAnthropicRequest(SONNET, body({ messages: [{ role: 'user', content: [text('')] }] })), 'messages: text content blocks must be non-empty');
    const toolTurn = [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'a', input: {} }] },
    ];
    expectError(
      validateAnthropicRequest(SONNET, body({ messages: [...toolTurn, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_2', content: 'x' }] }] })),
      'messages.2.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_2. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.',
    );
    expectError(
      validateAnthropicRequest(SONNET, body({ messages: [...toolTurn, { role: 'user', content: [text('no result')] }] })),
      'messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_1. Each `tool_use` block must have a corresponding `tool_result` block in the next message.',
    );
    expect(validateAnthropicRequest(SONNET, body({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'Sure' }] }))).toEqual({
      ok: true,
    });
  });
});
