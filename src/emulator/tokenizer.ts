/**
 * The emulator's own deterministic tokenizer. It is deliberately independent of any
 * token estimator in the middleware (src/ outside emulator/ must never import it and it
 * imports nothing from there), so the emulator can prove an estimator wrong.
 *
 * Rules (the "truth" of the emulated Bedrock):
 *  - Text is split into pieces; whitespace is free.
 *    - each CJK ideograph, kana or hangul character: 1 token;
 *    - a run of other letters / digits / combining marks ("word"): ceil(length / 8) tokens
 *      (so ordinary words are 1 token, "internationalization" is 3);
 *    - a run of punctuation / symbols: ceil(length / 3) tokens (`.` → 1, `":{"` → 2).
 *  - JSON values (tool schemas, tool inputs, unknown blocks): the text rule over
 *    `JSON.stringify(value)`.
 *  - Binary media (from decoded byte size): image `min(1600, 85 + ceil(bytes / 64))`,
 *    document `ceil(bytes / 4)` (text formats are counted as text instead), video
 *    `ceil(bytes / 256)`; media referenced by S3 URI (no bytes): 1600.
 *  - Each message costs `MESSAGE_OVERHEAD_TOKENS` extra (role marker), counted with its
 *    first content block; system blocks and tools have no overhead.
 */

/** Role-marker tokens added once per message. */
export const MESSAGE_OVERHEAD_TOKENS = 3;

/** Tokens of an image / video / document referenced by S3 URI (no bytes to measure). */
export const S3_MEDIA_TOKENS = 1600;

const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}';
const PIECE = new RegExp(`[${CJK}]|(?:(?![${CJK}])[\\p{L}\\p{N}\\p{M}])+|[^\\s\\p{L}\\p{N}\\p{M}]+`, 'gu');
const CJK_CHAR = new RegExp(`^[${CJK}]$`, 'u');
const WORD_CHAR = /^[\p{L}\p{N}\p{M}]/u;

/** Tokens of a text, by the rules above. */
export function countTextTokens(text: string): number {
  let tokens = 0;
  for (const match of text.matchAll(PIECE)) {
    const piece = match[0];
    const length = [...piece].length;
    if (CJK_CHAR.test(piece)) tokens += 1;
    else if (WORD_CHAR.test(piece)) tokens += Math.ceil(length / 8);
    else tokens += Math.ceil(length / 3);
  }
  return tokens;
}

/** Tokens of a JSON value: the text rule over its `JSON.stringify`. */
export function countJsonTokens(value: unknown): number {
  return countTextTokens(JSON.stringify(value ?? null));
}

/** Tokens of binary media from its decoded byte size. */
export function countMediaTokens(kind: 'image' | 'document' | 'video', byteLength: number): number {
  switch (kind) {
    case 'image':
      return Math.min(1600, 85 + Math.ceil(byteLength / 64));
    case 'document':
      return Math.ceil(byteLength / 4);
    case 'video':
      return Math.ceil(byteLength / 256);
  }
}

/** Decoded byte length of a base64 string (no decoding needed). */
export function base64ByteLength(base64: string): number {
  const clean = base64.replace(/[^A-Za-z0-9+/=_-]/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}
