import { jsonText } from './json-utils.js';

/**
 * The emulator's own deterministic tokenizer. It is deliberately independent of any
 * token estimator in the middleware (src/ outside emulator/ must never import it and it
 * imports nothing from there), so the emulator can prove an estimator wrong.
 *
 * Calibrated on recorded real Bedrock exchanges (conformance/fixtures/recorded/, Pydantic AI's
 * VCR cassettes, Sonnet 4 / 4.5 / 4.6, Claude 3.7 Sonnet, Nova Lite / Micro; the per-fixture error
 * is printed by test/conformance.test.ts and test/emulator/tokenizer.test.ts).
 *
 * Rules (the "truth" of the emulated Bedrock):
 *  - Text is split into pieces; spaces and tabs are free.
 *    - each CJK ideograph, kana or hangul character: 1 token;
 *    - a run of other letters / digits / combining marks ("word"): ceil(length / 8) tokens
 *      (so ordinary words are 1 token, "internationalization" is 3);
 *    - an ALL-CAPS word (two or more letters, no lower case): ceil(length / 4) tokens. Claude's
 *      vocabulary splits upper-case words much finer: recorded upper-case prompts ran 2.9–3.5
 *      characters a token where mixed-case prose runs 4+ (shared doc §1 Real token density);
 *    - a run of punctuation / symbols: ceil(length / 3) tokens (`.` → 1, `":{"` → 2);
 *    - a run of line breaks: 1 token (a newline is its own token in Claude's and Nova's
 *      vocabularies; the recorded 50-line prompts need it).
 *  - JSON values (tool schemas, tool inputs, unknown blocks): the text rule over
 *    `JSON.stringify(value)`.
 *  - Images: Anthropic's published formula over the pixel size read from the PNG / JPEG / GIF /
 *    WebP header, `ceil(width × height / 750)`, at most 1,600 (`countImageTokens`; recorded: a
 *    597 × 566 JPEG cost about 460 tokens on Sonnet 4.5, the formula gives 451, the byte rule
 *    1,600). When the size can't be read: `min(1600, 85 + ceil(bytes / 64))`.
 *  - Other binary media (from decoded byte size): document `ceil(bytes / 4)` (text formats are
 *    counted as text instead), video
 *    `ceil(bytes / 256)`, audio `ceil(bytes / 1280)`; media referenced by S3 URI (no bytes): 1600.
 *  - Each message costs `MESSAGE_OVERHEAD_TOKENS` extra (role marker), counted with its
 *    first content block; system blocks and tools have no overhead. Each tool call and tool
 *    result block costs `TOOL_BLOCK_OVERHEAD_TOKENS` beyond its content.
 *  - Each request costs hidden tokens beyond its content, by model family and tools: see
 *    `countRequestOverhead`.
 */

/** Role-marker tokens added once per message (Claude: 3 recorded turns of 1 and 3 messages give 3 a message). */
export const MESSAGE_OVERHEAD_TOKENS = 3;

/**
 * Framing tokens of each tool call and each tool result beyond their content (name, input JSON,
 * result content). Recorded turns holding one call and its result run 33–41 tokens above their
 * content (Claude 3.7 Sonnet, Sonnet 4.5 with a document, Nova Micro, Nova Lite); 20 a block fits
 * them all within 3%.
 */
export const TOOL_BLOCK_OVERHEAD_TOKENS = 20;

/** Tokens of an image / video / document referenced by S3 URI (no bytes to measure). */
export const S3_MEDIA_TOKENS = 1600;

const CJK = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]$/u;
const WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;
const UPPER_CASE = /^\p{Lu}$/u;
const SPACE = /^\s$/u;

/** A character's class for the rules above. `caps`: may stand in an ALL-CAPS word (upper case, digit, mark). */
type CharClass = 'cjk' | 'upper' | 'caps' | 'word' | 'break' | 'space' | 'symbol';

/** Classes of the non-ASCII characters seen so far (bounded: a text can't grow it past the cap). */
const CLASS_CACHE = new Map<number, CharClass>();
const CLASS_CACHE_LIMIT = 65_536;

function charClass(code: number, char: string): CharClass {
  if (code < 0x80) {
    if ((code >= 0x61 && code <= 0x7a)) return 'word';
    if (code >= 0x41 && code <= 0x5a) return 'upper';
    if (code >= 0x30 && code <= 0x39) return 'caps';
    if (code === 0x0a || code === 0x0d) return 'break';
    if (code === 0x20 || (code >= 0x09 && code <= 0x0c)) return 'space';
    return 'symbol';
  }
  const cached = CLASS_CACHE.get(code);
  if (cached !== undefined) return cached;
  const found: CharClass = CJK.test(char)
    ? 'cjk'
    : WORD_CHAR.test(char)
      ? UPPER_CASE.test(char)
        ? 'upper'
        : /^[\p{N}\p{M}]$/u.test(char)
          ? 'caps'
          : 'word'
      : SPACE.test(char)
        ? 'space'
        : 'symbol';
  if (CLASS_CACHE.size < CLASS_CACHE_LIMIT) CLASS_CACHE.set(code, found);
  return found;
}

/**
 * Tokens of a text, by the rules above. A single linear scan over code points (no regular
 * expression over runs: a run of millions of letters overflowed the regex engine's stack and
 * answered 500).
 */
export function countTextTokens(text: string): number {
  let tokens = 0;
  /** The run being read: its kind and length in code points; for a word, its upper-case letters and whether it is all caps. */
  let run: 'word' | 'break' | 'symbol' | undefined;
  let length = 0;
  let upper = 0;
  let allCaps = true;
  const close = () => {
    if (run === 'word') tokens += Math.ceil(length / (allCaps && upper >= 2 ? 4 : 8));
    else if (run === 'break') tokens += 1;
    else if (run === 'symbol') tokens += Math.ceil(length / 3);
    run = undefined;
    length = 0;
    upper = 0;
    allCaps = true;
  };
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    const char = String.fromCodePoint(code);
    if (code > 0xffff) i++; // the low surrogate
    const kind = charClass(code, char);
    if (kind === 'cjk') {
      close();
      tokens += 1;
      continue;
    }
    if (kind === 'space') {
      close();
      continue;
    }
    const runKind = kind === 'break' || kind === 'symbol' ? kind : 'word';
    if (run !== runKind) close();
    run = runKind;
    length += 1;
    if (kind === 'upper') upper += 1;
    else if (kind === 'word') allCaps = false;
  }
  close();
  return tokens;
}

/** Tokens of a JSON value: the text rule over its `JSON.stringify` (written without recursion, for any depth). */
export function countJsonTokens(value: unknown): number {
  return countTextTokens(jsonText(value ?? null));
}

/** Tokens of binary media from its decoded byte size. */
export function countMediaTokens(kind: 'image' | 'document' | 'video' | 'audio', byteLength: number): number {
  switch (kind) {
    case 'image':
      return Math.min(1600, 85 + Math.ceil(byteLength / 64));
    case 'document':
      return Math.ceil(byteLength / 4);
    case 'video':
      return Math.ceil(byteLength / 256);
    case 'audio':
      // A guess (no recorded audio exchange): about 25 tokens a second of 16 kHz 16-bit PCM.
      return Math.ceil(byteLength / 1280);
  }
}

/** Width and height from an image's header (PNG, JPEG, GIF, WebP), or undefined. */
export function imageDimensions(bytes: Uint8Array): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (start: number, length: number) => String.fromCharCode(...bytes.subarray(start, start + length));
  if (bytes.length >= 24 && ascii(1, 3) === 'PNG') return { width: view.getUint32(16), height: view.getUint32(20) };
  if (bytes.length >= 10 && ascii(0, 3) === 'GIF') return { width: view.getUint16(6, true), height: view.getUint16(8, true) };
  if (bytes.length >= 30 && ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') {
    const chunk = ascii(12, 4);
    if (chunk === 'VP8X') return { width: 1 + (view.getUint32(24, true) & 0xffffff), height: 1 + (view.getUint32(27, true) & 0xffffff) };
    if (chunk === 'VP8L') {
      const bits = view.getUint32(21, true);
      return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
    }
    if (chunk === 'VP8 ') return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    // JPEG: walk the segments to the first start-of-frame marker (SOF0–SOF15 except DHT, JPG, DAC)
    let offset = 2;
    while (offset + 9 < bytes.length) {
      if (bytes[offset] !== 0xff) return undefined;
      const marker = bytes[offset + 1] ?? 0;
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: view.getUint16(offset + 7), height: view.getUint16(offset + 5) };
      }
      offset += 2 + view.getUint16(offset + 2);
    }
  }
  return undefined;
}

/**
 * Tokens of an image from its base64 data: `ceil(width × height / 750)`, at most 1,600
 * (Anthropic's vision docs; larger images are scaled down to about 1.15 megapixels first). Falls
 * back to the byte rule when the header can't be read.
 */
export function countImageTokens(base64: string): number {
  const bytes = Buffer.from(base64, 'base64');
  const size = imageDimensions(bytes);
  if (!size || size.width === 0 || size.height === 0) return countMediaTokens('image', bytes.length);
  return Math.min(1600, Math.ceil((size.width * size.height) / 750));
}

/** Decoded byte length of a base64 string (no decoding needed). */
export function base64ByteLength(base64: string): number {
  const clean = base64.replace(/[^A-Za-z0-9+/=_-]/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}

/** Hidden tokens of one request, by where they sit in the cached prefix. */
export interface RequestOverhead {
  /** Before everything (counts toward every checkpoint's minimum and is cached by the first). */
  leading: number;
  /**
   * The tool-use system prompt, which sits after the system blocks and before the first message:
   * cached (and counted toward the minimum) by message checkpoints only. A tools or system
   * checkpoint does not cover it, which is why changing `toolChoice` keeps those entries.
   */
  beforeMessages: number;
  /** After the last message (the assistant turn's opening): never cached. */
  trailing: number;
}

/** How a request chooses tools (Converse `toolConfig.toolChoice`, Anthropic `tool_choice`). */
export type ToolChoiceKind = 'auto' | 'any' | 'tool' | 'none';

/**
 * `claude-sonnet-4-5-…` → 4.5, `claude-3-7-sonnet-…` → 3.7, `claude-opus-4-20250514-…` → 4 (a
 * date is no minor version; neither is a two-digit number, which would read 4-10 as 5).
 */
export function claudeGeneration(modelId: string): number | undefined {
  const match = /claude-(?:[a-z]+-)?(\d+)(?:-(\d)(?!\d))?/.exec(modelId);
  if (!match?.[1]) return undefined;
  return Number(match[1]) + (match[2] === undefined ? 0 : Number(match[2]) / 10);
}

/**
 * Hidden tokens a request costs beyond its content (shared doc §1 Hidden tokens), calibrated
 * on recorded exchanges (conformance/fixtures/recorded/):
 *  - Claude, per request: 4 ("Hello, world!" counts 11 on Sonnet 4 = 4 text + 3 message + 4;
 *    every recorded Sonnet 4.5 request without tools is 4 above its content + 3 a message).
 *    At least 2–3 of them come after the last message: a request whose last checkpoint closes
 *    the last message still reports 2–3 uncached tokens. Split here as 1 leading, 3 trailing.
 *  - Claude with tools: the tool-use system prompt. Anthropic's tool-use pricing page gives 346
 *    tokens for `auto` / `none` on Claude 4-era models; recorded: 3.7 Sonnet with one tool and
 *    `auto` is 350 above its content (346 + 4), Sonnet 4 (CountTokens) about the same. With a
 *    forced tool (`any` / `tool`) Sonnet 4.5 reported 66 more uncached tokens than with `auto`
 *    (433 against an `auto` turn's 386 that also carried a tool call and its result): 412, where
 *    Anthropic's page says 313 (the recording wins). That part sits before the messages:
 *    Sonnet 4.5 read the same 2,752-token tools + system entry under both tool choices.
 *  - Claude 4.5 and later with tools: about 200 more, in the cached prefix (independent of the
 *    tool choice): two recorded Sonnet 4.5 requests with tools (one with two tools, one with one)
 *    are 204 and 239 above content + 346, where 3.7 Sonnet and Sonnet 4 are not. A model id
 *    without a readable generation gets it too (newer ids are the likelier).
 *  - Nova: no measurable per-request or per-message overhead ("Hello!" plus an 18-character
 *    system text counts 7 on Nova Micro, its bare content); with tools Nova adds its own tool
 *    prompt of about 350 (Nova Micro, two tools: 571 against 220 of content). The emulator's
 *    `MESSAGE_OVERHEAD_TOKENS` a message overcounts Nova by 3 a message, within tolerance.
 *  - Other families: none known.
 */
export function countRequestOverhead(
  family: 'claude' | 'nova' | 'other',
  tools: { hasTools: boolean; toolChoice?: ToolChoiceKind; modelId?: string },
): RequestOverhead {
  const forced = tools.toolChoice === 'any' || tools.toolChoice === 'tool';
  switch (family) {
    case 'claude': {
      if (!tools.hasTools) return { leading: 1, beforeMessages: 0, trailing: 3 };
      const generation = tools.modelId === undefined ? undefined : claudeGeneration(tools.modelId);
      const newer = generation === undefined || generation >= 4.5;
      return { leading: 1 + (newer ? 204 : 0), beforeMessages: forced ? 412 : 346, trailing: 3 };
    }
    case 'nova':
      return { leading: 0, beforeMessages: tools.hasTools ? 350 : 0, trailing: 0 };
    case 'other':
      return { leading: 0, beforeMessages: 0, trailing: 0 };
  }
}
