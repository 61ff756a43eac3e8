import { describe, expect, it } from 'vitest';
import { fixtureSteps } from '../../conformance/run-fixture.js';
import { loadFixtures } from '../../conformance/load-fixtures.js';
import {
  base64ByteLength,
  claudeGeneration,
  countJsonTokens,
  countMediaTokens,
  countImageTokens,
  countRequestOverhead,
  countTextTokens,
  imageDimensions,
  MESSAGE_OVERHEAD_TOKENS,
  TOOL_BLOCK_OVERHEAD_TOKENS,
  type ToolChoiceKind,
} from '../../src/emulator/tokenizer.js';
import { words } from './helpers.js';

describe('emulator tokenizer', () => {
  it('counts short words as one token each and ignores spaces and tabs', () => {
    expect(countTextTokens('hello   world\t\tagain')).toBe(3);
    expect(countTextTokens(words(1234))).toBe(1234);
    expect(countTextTokens('')).toBe(0);
  });

  it('counts a run of line breaks as one token', () => {
    expect(countTextTokens('hello\nworld')).toBe(3);
    expect(countTextTokens('hello\n\n\r\nworld\n')).toBe(4);
  });

  it('splits long words every 8 characters', () => {
    expect(countTextTokens('abcdefgh')).toBe(1);
    expect(countTextTokens('abcdefghi')).toBe(2);
    expect(countTextTokens('internationalization')).toBe(3);
  });

  it('splits ALL-CAPS words every 4 characters (Claude splits upper case finer)', () => {
    expect(countTextTokens('YOU MUST RESPONSE')).toBe(1 + 1 + 2);
    expect(countTextTokens('Response response RESPONSE')).toBe(1 + 1 + 2);
    // a single capital and a number are ordinary words; digits inside an upper-case word count as letters
    expect(countTextTokens('A I 2026 JSON2')).toBe(1 + 1 + 1 + 2);
  });

  it('counts punctuation runs by 3 characters', () => {
    expect(countTextTokens('Hello, world!')).toBe(4);
    expect(countTextTokens('...')).toBe(1);
    expect(countTextTokens('....')).toBe(2);
  });

  it('counts CJK one token per character, also next to latin letters', () => {
    expect(countTextTokens('中文字')).toBe(3);
    expect(countTextTokens('abc中文')).toBe(3);
    expect(countTextTokens('こんにちは')).toBe(5);
  });

  it('counts JSON through its serialisation', () => {
    // {"type":"object"} → `{"` type `":"` object `"}` → 1 + 1 + 1 + 1 + 1
    expect(countJsonTokens({ type: 'object' })).toBe(5);
    expect(countJsonTokens(undefined)).toBe(1);
  });

  it('derives media tokens from byte size', () => {
    expect(countMediaTokens('image', 64 * 100)).toBe(185);
    expect(countMediaTokens('image', 10_000_000)).toBe(1600);
    expect(countMediaTokens('document', 4000)).toBe(1000);
    expect(countMediaTokens('video', 2560)).toBe(10);
    expect(countMediaTokens('audio', 32_000)).toBe(25);
    expect(base64ByteLength(Buffer.from('hello!!').toString('base64'))).toBe(7);
  });

  it('counts an image by its pixel size (width × height / 750, at most 1,600), from the PNG / JPEG / GIF / WebP header', () => {
    const png = Buffer.alloc(24);
    png.write('\x89PNG\r\n\x1a\n', 0, 'latin1');
    png.writeUInt32BE(600, 16);
    png.writeUInt32BE(500, 20);
    expect(imageDimensions(png)).toEqual({ width: 600, height: 500 });
    expect(countImageTokens(png.toString('base64'))).toBe(400);
    // JPEG: an APP0 segment, then SOF0 with height 566, width 597
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x02, 0x36, 0x02, 0x55, 0x03, 0, 0, 0, 0]);
    expect(imageDimensions(jpeg)).toEqual({ width: 597, height: 566 });
    expect(countImageTokens(jpeg.toString('base64'))).toBe(451);
    const gif = Buffer.from('GIF89a\x10\x00\x08\x00', 'latin1');
    expect(imageDimensions(gif)).toEqual({ width: 16, height: 8 });
    const huge = Buffer.from(png);
    huge.writeUInt32BE(4000, 16);
    huge.writeUInt32BE(3000, 20);
    expect(countImageTokens(huge.toString('base64'))).toBe(1600);
    // unreadable: the byte rule
    expect(countImageTokens(Buffer.alloc(6400).toString('base64'))).toBe(countMediaTokens('image', 6400));
  });

  it('reads the Claude generation from model ids (a date is no minor version)', () => {
    expect(claudeGeneration('us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toBe(4.5);
    expect(claudeGeneration('anthropic.claude-sonnet-4-20250514-v1:0')).toBe(4);
    expect(claudeGeneration('anthropic.claude-opus-4-1-20250805-v1:0')).toBe(4.1);
    expect(claudeGeneration('us.anthropic.claude-3-7-sonnet-20250219-v1:0')).toBe(3.7);
    expect(claudeGeneration('global.anthropic.claude-fable-5-1')).toBe(5.1);
    expect(claudeGeneration('anthropic.claude-opus-5')).toBe(5);
    expect(claudeGeneration('amazon.nova-pro-v1:0')).toBeUndefined();
  });

  it('adds hidden tokens per request by family, tools and tool choice', () => {
    expect(countRequestOverhead('claude', { hasTools: false })).toEqual({ leading: 1, beforeMessages: 0, trailing: 3 });
    const sonnet4 = countRequestOverhead('claude', { hasTools: true, modelId: 'anthropic.claude-sonnet-4-20250514-v1:0' });
    const sonnet45 = countRequestOverhead('claude', { hasTools: true, modelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0' });
    expect(sonnet4.beforeMessages).toBe(346);
    expect(sonnet45.leading).toBeGreaterThan(sonnet4.leading);
    expect(countRequestOverhead('claude', { hasTools: true, toolChoice: 'tool' }).beforeMessages).toBeGreaterThan(346);
    expect(countRequestOverhead('nova', { hasTools: false })).toEqual({ leading: 0, beforeMessages: 0, trailing: 0 });
    expect(countRequestOverhead('nova', { hasTools: true }).beforeMessages).toBeGreaterThan(0);
    expect(countRequestOverhead('other', { hasTools: true })).toEqual({ leading: 0, beforeMessages: 0, trailing: 0 });
  });
});

/**
 * Calibration: the tokenizer's count of every recorded real Converse / CountTokens exchange
 * (conformance/fixtures/recorded/) against Bedrock's total input (uncached + read + written).
 * Content is counted here with the tokenizer's own functions (not the emulator's prompt
 * readers), so this checks the tokenizer alone.
 */
const TOLERANCE = 0.2;
const SLACK = 10;

function blockTokens(block: any): number {
  if (typeof block?.text === 'string') return countTextTokens(block.text);
  if (block?.document) {
    const { name, format, source } = block.document;
    const text = format === 'pdf' ? '' : Buffer.from(String(source?.bytes ?? ''), 'base64').toString('utf8');
    return countTextTokens(String(name ?? '')) + countTextTokens(text);
  }
  if (block?.toolUse) return TOOL_BLOCK_OVERHEAD_TOKENS + countTextTokens(String(block.toolUse.name)) + countJsonTokens(block.toolUse.input ?? {});
  if (block?.toolResult) return TOOL_BLOCK_OVERHEAD_TOKENS + (block.toolResult.content ?? []).reduce((sum: number, item: any) => sum + (item.json ? countJsonTokens(item.json) : blockTokens(item)), 0);
  if (block?.reasoningContent?.reasoningText) return countTextTokens(String(block.reasoningContent.reasoningText.text));
  if (block?.image?.source?.bytes) return countImageTokens(String(block.image.source.bytes));
  if (block?.cachePoint) return 0;
  return countJsonTokens(block);
}

function converseTokens(modelId: string, body: any): number {
  const family = modelId.includes('anthropic.') ? 'claude' : modelId.includes('nova') ? 'nova' : 'other';
  const tools = (body.toolConfig?.tools ?? []).filter((tool: any) => tool.toolSpec);
  const choice = body.toolConfig?.toolChoice;
  const toolChoice: ToolChoiceKind = choice?.tool ? 'tool' : choice?.any ? 'any' : 'auto';
  const overhead = countRequestOverhead(family, { hasTools: tools.length > 0, toolChoice, modelId });
  let total = overhead.leading + overhead.beforeMessages + overhead.trailing;
  total += tools.reduce((sum: number, tool: any) => sum + countJsonTokens(tool), 0);
  total += (body.system ?? []).reduce((sum: number, block: any) => sum + blockTokens(block), 0);
  for (const message of body.messages ?? []) {
    total += MESSAGE_OVERHEAD_TOKENS + message.content.reduce((sum: number, block: any) => sum + blockTokens(block), 0);
  }
  return total;
}

describe('emulator tokenizer calibration on recorded Bedrock exchanges', () => {
  const rows: Array<{ id: string; recorded: number; counted: number }> = [];
  // Converse-shaped bodies (the InvokeModel recordings are counted by the conformance replay)
  for (const fixture of loadFixtures().filter((candidate) => candidate.recorded && !candidate.api.startsWith('invoke'))) {
    const responses = [...(fixture.recorded?.responses ?? []), ...(fixture.recorded?.also?.responses ?? [])];
    fixtureSteps(fixture).forEach((step, index) => {
      const usage = responses[index]?.usage as Record<string, number> | undefined;
      if (!('body' in step) || !usage) return;
      const body: any = fixture.api === 'count-tokens' ? (step.body as any).input.converse : step.body;
      const recorded = (usage.inputTokens ?? 0) + (usage.cacheReadInputTokens ?? 0) + (usage.cacheWriteInputTokens ?? 0);
      rows.push({ id: `${fixture.id} #${index}`, recorded, counted: converseTokens(fixture.modelId, body) });
    });
  }

  it(`counts every recorded exchange within ±${TOLERANCE * 100}% or ±${SLACK} tokens`, () => {
    const table = rows.map((row) => {
      const error = ((row.counted - row.recorded) / row.recorded) * 100;
      return `${row.id.padEnd(60)} ${String(row.recorded).padStart(5)} ${String(row.counted).padStart(5)} ${error >= 0 ? '+' : ''}${error.toFixed(1)}%`;
    });
    console.log(`\nTokenizer vs Bedrock (recorded total input)\n${'exchange'.padEnd(60)} recorded counted error\n${table.join('\n')}`);
    expect(rows.length).toBeGreaterThanOrEqual(20);
    for (const row of rows) {
      const off = Math.abs(row.counted - row.recorded);
      expect(off <= SLACK || off <= TOLERANCE * row.recorded, `${row.id}: counted ${row.counted}, Bedrock ${row.recorded}`).toBe(true);
    }
  });
});
