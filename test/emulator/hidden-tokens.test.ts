/**
 * `hiddenTokens` (on by default): the emulator counts what a real request costs beyond its content (the
 * tokenizer's `countRequestOverhead`, shared doc §1 Hidden tokens) where it sits in the prefix:
 * leading tokens cached by the first checkpoint, the tool-use prompt before the messages
 * (covered by message checkpoints only), trailing tokens never cached.
 */
import { describe, expect, it } from 'vitest';
import { createBedrockEmulator } from '../../src/emulator/index.js';
import { countRequestOverhead, TOOL_BLOCK_OVERHEAD_TOKENS } from '../../src/emulator/tokenizer.js';
import { cachePoint, NOVA, SONNET, words } from './helpers.js';

const CLAUDE = countRequestOverhead('claude', { hasTools: false });
const CLAUDE_TOOLS = (toolChoice: 'auto' | 'tool') => countRequestOverhead('claude', { hasTools: true, toolChoice, modelId: SONNET });
const NOVA_TOOLS = countRequestOverhead('nova', { hasTools: true });

const tools = [{ toolSpec: { name: 'lookup', inputSchema: { json: { type: 'object' } } } }];
const choice = (kind: 'auto' | 'tool') => (kind === 'auto' ? { auto: {} } : { tool: { name: 'lookup' } });

async function send(emulator: ReturnType<typeof createBedrockEmulator>, modelId: string, body: unknown, operation = 'converse') {
  const response = await emulator.fetch(`http://emulator.test/model/${encodeURIComponent(modelId)}/${operation}`, { method: 'POST', body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  return (await response.json()) as any;
}

describe('hidden tokens (hiddenTokens: true, the default)', () => {
  it("are on by default, Bedrock's counts; hiddenTokens: false gives the bare content", async () => {
    const body = { system: [{ text: words(1500) }, cachePoint()], messages: [{ role: 'user', content: [{ text: 'hello there' }] }] };
    expect((await send(createBedrockEmulator(), SONNET, body)).usage).toMatchObject({
      inputTokens: 5 + CLAUDE.trailing,
      cacheWriteInputTokens: 1500 + CLAUDE.leading,
    });
    expect((await send(createBedrockEmulator({ hiddenTokens: false }), SONNET, body)).usage).toMatchObject({ inputTokens: 5, cacheWriteInputTokens: 1500 });
  });

  it('Claude without tools: leading ones are cached with the prefix, trailing ones stay uncached', async () => {
    const emulator = createBedrockEmulator({ hiddenTokens: true });
    const body = { system: [{ text: words(1500) }, cachePoint()], messages: [{ role: 'user', content: [{ text: 'hello there' }] }] };
    const usage = (await send(emulator, SONNET, body)).usage;
    expect(usage).toMatchObject({ cacheWriteInputTokens: 1500 + CLAUDE.leading, inputTokens: 5 + CLAUDE.trailing });
    const counted = await send(emulator, 'anthropic.claude-sonnet-4-5-20250929-v1:0', { input: { converse: body } }, 'count-tokens');
    expect(counted.inputTokens).toBe(usage.inputTokens + usage.cacheWriteInputTokens);
  });

  it('Claude with tools: the tool-use prompt sits before the messages; a tool choice change keeps the system entry only', async () => {
    const emulator = createBedrockEmulator({ hiddenTokens: true });
    const body = (kind: 'auto' | 'tool') => ({
      toolConfig: { tools, toolChoice: choice(kind) },
      system: [{ text: words(1500) }, cachePoint()],
      messages: [{ role: 'user', content: [{ text: words(600, 'q') }, cachePoint()] }],
    });
    const auto = CLAUDE_TOOLS('auto');
    const first = (await send(emulator, SONNET, body('auto'))).usage;
    expect(first.inputTokens).toBe(auto.trailing);
    const again = (await send(emulator, SONNET, body('auto'))).usage;
    expect(again.cacheReadInputTokens).toBe(first.cacheWriteInputTokens);
    const forced = (await send(emulator, SONNET, body('tool'))).usage;
    const systemEntry = first.cacheWriteInputTokens - 603 - auto.beforeMessages; // tools + system + leading
    expect(forced.cacheReadInputTokens).toBe(systemEntry);
    expect(forced.cacheWriteInputTokens).toBe(603 + CLAUDE_TOOLS('tool').beforeMessages);
  });

  it('Nova with tools: the tool choice is part of the prefix, so a change misses even the system entry', async () => {
    const emulator = createBedrockEmulator({ hiddenTokens: true });
    const body = (kind: 'auto' | 'tool') => ({
      toolConfig: { tools, toolChoice: choice(kind) },
      system: [{ text: words(1500) }, cachePoint()],
      messages: [{ role: 'user', content: [{ text: 'hello there' }] }],
    });
    const first = (await send(emulator, NOVA, body('auto'))).usage;
    expect(first.inputTokens + first.cacheWriteInputTokens).toBeGreaterThanOrEqual(1505 + NOVA_TOOLS.leading + NOVA_TOOLS.beforeMessages);
    expect((await send(emulator, NOVA, body('auto'))).usage.cacheReadInputTokens).toBe(first.cacheWriteInputTokens);
    expect((await send(emulator, NOVA, body('tool'))).usage).toMatchObject({ cacheReadInputTokens: 0, cacheWriteInputTokens: first.cacheWriteInputTokens });
  });

  it('tool calls and results cost their framing tokens', async () => {
    const turn = (hidden: boolean) =>
      send(createBedrockEmulator({ hiddenTokens: hidden }), 'anthropic.claude-sonnet-4-5-20250929-v1:0', {
        input: {
          converse: {
            toolConfig: { tools },
            messages: [
              { role: 'user', content: [{ text: 'look it up' }] },
              { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'lookup', input: { q: 'x' } } }] },
              { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ text: 'found' }] } }] },
            ],
          },
        },
      }, 'count-tokens');
    const overhead = CLAUDE_TOOLS('auto');
    expect((await turn(true)).inputTokens - (await turn(false)).inputTokens).toBe(
      overhead.leading + overhead.beforeMessages + overhead.trailing + 2 * TOOL_BLOCK_OVERHEAD_TOKENS,
    );
  });

  it('InvokeModel counts the same way', async () => {
    const emulator = createBedrockEmulator({ hiddenTokens: true });
    const body = {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 10,
      system: [{ type: 'text', text: words(1500), cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hello there' }] }],
    };
    const usage = (await send(emulator, SONNET, body, 'invoke')).usage;
    expect(usage).toMatchObject({ cache_creation_input_tokens: 1500 + CLAUDE.leading, input_tokens: 5 + CLAUDE.trailing });
  });
});
