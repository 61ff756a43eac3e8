/**
 * Bodies a client can send that once made the emulator answer 500 (issue: "any input a client
 * can send gets a 2xx or 4xx"): tool inputs and results nested thousands of levels deep (a
 * recursive walk overflowed the stack) and an unbroken run of millions of letters (the
 * tokenizer's regular expression overflowed). Each on every operation that reads it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBedrockEmulator } from '../../src/emulator/index.js';
import { jsonText, stableStringify } from '../../src/emulator/json-utils.js';
import { countTextTokens } from '../../src/emulator/tokenizer.js';
import { SONNET } from './helpers.js';

/** The tokenizer's text rule as it was written before the scanner, as a regular expression: the reference the scanner must agree with. */
function referenceCount(text: string): number {
  const cjk = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}';
  const piece = new RegExp(`[${cjk}]|(?:(?![${cjk}])[\\p{L}\\p{N}\\p{M}])+|[\\r\\n]+|[^\\s\\p{L}\\p{N}\\p{M}]+`, 'gu');
  let tokens = 0;
  for (const [match] of text.matchAll(piece)) {
    const length = [...match].length;
    if (new RegExp(`^[${cjk}]$`, 'u').test(match)) tokens += 1;
    else if (/^[\r\n]/.test(match)) tokens += 1;
    else if (/^[\p{L}\p{N}\p{M}]/u.test(match)) tokens += Math.ceil(length / (/^(?=(?:\P{L}*\p{Lu}){2})[\p{Lu}\p{N}\p{M}]+$/u.test(match) ? 4 : 8));
    else tokens += Math.ceil(length / 3);
  }
  return tokens;
}

const emulator = createBedrockEmulator();
const send = async (operation: string, body: string, modelId = SONNET) => {
  const response = await emulator.handle(
    new Request(`https://bedrock-runtime.us-east-1.amazonaws.com/model/${encodeURIComponent(modelId)}/${operation}`, { method: 'POST', body }),
  );
  return { status: response.status, text: await response.text() };
};

/** `{"a":{"a":…1…}}`, `depth` levels. */
const nestedObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const nestedArray = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

const TOOL = '{"toolSpec":{"name":"t","inputSchema":{"json":{"type":"object"}}}}';
const converseWithDeepTool = (deep: string) =>
  `{"toolConfig":{"tools":[${TOOL}]},"messages":[{"role":"user","content":[{"text":"hi"}]},` +
  `{"role":"assistant","content":[{"toolUse":{"toolUseId":"x","name":"t","input":${deep}}}]},` +
  `{"role":"user","content":[{"toolResult":{"toolUseId":"x","content":[{"json":${deep}}]}}]}]}`;
const anthropicWithDeepTool = (deep: string) =>
  `{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"tools":[{"name":"t","input_schema":{"type":"object"}}],` +
  `"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"tool_use","id":"x","name":"t","input":${deep}}]},` +
  `{"role":"user","content":[{"type":"tool_result","tool_use_id":"x","content":[{"type":"text","text":"ok"}]}]}]}`;

describe('hostile bodies get a 2xx or 4xx, never a 500', () => {
  it.each([4_000, 20_000])('tool input and results nested %i levels deep', async (depth) => {
    for (const deep of [nestedObject(depth), nestedArray(depth)]) {
      for (const operation of ['converse', 'converse-stream']) {
        expect((await send(operation, converseWithDeepTool(deep))).status, operation).toBe(200);
      }
      for (const operation of ['invoke', 'invoke-with-response-stream']) {
        expect((await send(operation, anthropicWithDeepTool(deep))).status, operation).toBe(200);
      }
      const counted = await send('count-tokens', `{"input":{"converse":${converseWithDeepTool(deep)}}}`, 'anthropic.claude-sonnet-4-5-20250929-v1:0');
      expect(counted.status).toBe(200);
      // deep nesting is counted like any JSON: about a token per level
      expect(JSON.parse(counted.text).inputTokens).toBeGreaterThan(depth);
    }
  });

  it('an unbroken 8 MB run of letters is counted, not a stack overflow', async () => {
    const run = 'a'.repeat(8 * 1024 * 1024);
    expect(countTextTokens(run)).toBe(Math.ceil(run.length / 8));
    const answer = await send('converse', JSON.stringify({ messages: [{ role: 'user', content: [{ text: run }] }] }));
    // 1M tokens: more than Sonnet 4.5's context window, so Bedrock's 400, not a 500
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).message).toMatch(/prompt is too long: \d+ tokens > 200000 maximum/);
    const runs: Array<[string, number]> = [
      ['é'.repeat(4_000_000), 500_000], // a word: 8 letters a token
      ['𝐀'.repeat(2_000_000), 500_000], // astral upper case: an ALL-CAPS word, 4 a token
      ['AB'.repeat(4_000_000), 2_000_000],
      ['!'.repeat(8_000_000), Math.ceil(8_000_000 / 3)], // symbols: 3 a token
      ['\n'.repeat(8_000_000), 1], // one run of line breaks
    ];
    for (const [text, tokens] of runs) expect(countTextTokens(text)).toBe(tokens);
  });

  it('the scanner counts exactly what the regular-expression rule counted (property)', () => {
    const alphabet = fc.constantFrom('a', 'Z', 'É', 'ß', '7', '٣', '\u0301', '漢', 'カ', '한', ' ', '\t', '\n', '\r', '.', '"', '{', '😀', '\u00a0', '\u2028', '\u0000', '𝐀');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), (chars) => {
        const text = chars.join('');
        expect(countTextTokens(text)).toBe(referenceCount(text));
      }),
      { numRuns: 2000, seed: 20261203 },
    );
  });

  it('the iterative JSON writer writes what JSON.stringify writes (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(jsonText(value)).toBe(JSON.stringify(value));
        expect(JSON.parse(stableStringify(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 500, seed: 20261203 },
    );
    const withGaps = { a: undefined, b: [undefined, () => 1, Number.NaN], c: new Date(0), d: { e: 'x' } };
    expect(jsonText(withGaps)).toBe(JSON.stringify(withGaps));
    expect(stableStringify({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
  });
});
