/**
 * A deliberately generous estimate of how many tokens a piece of the prompt costs.
 *
 * It is used for one decision only: skipping a checkpoint whose prefix is *clearly*
 * below the model's minimum (Bedrock silently caches nothing there, but the checkpoint
 * still takes one of the four slots). Overestimating keeps a checkpoint that might not
 * cache (one slot wasted); underestimating would skip one that would have cached
 * (money lost). So every figure here leans high:
 * - ASCII text: one token per 2 characters. Prose averages 3–4 characters a token, but
 *   recorded real exchanges go down to 2.16 (uppercase instructions and tool schemas on
 *   Sonnet 4.5: 2,864 characters counted 1,324 tokens; Pydantic AI's Bedrock cassettes,
 *   shared doc §1 2026-12), and Sonnet 5 ships a new tokenizer;
 * - other characters: one token each (CJK and emoji are often a token or more);
 * - images: 1,600 tokens (Claude's ceiling after resizing);
 * - plain-text documents (csv, txt, md, html): their bytes as ASCII text, plus Bedrock's
 *   framing (name, format); recorded exchanges show a tiny txt document adds little;
 * - other documents (PDF, Office files, whose text can be far larger than their compressed
 *   bytes) and files of unknown size: never below any minimum.
 */

const IMAGE_TOKENS = 1600;
const PART_OVERHEAD = 4;
const ASCII_CHARS_PER_TOKEN = 2;

/**
 * What Bedrock adds to a Claude request that has tools, and where it sits in the cached
 * prefix (recorded exchanges, conformance/fixtures/recorded/; calibration in
 * src/emulator/tokenizer.ts `countRequestOverhead`): about 204 tokens inside the tools +
 * system prefix on Claude 4.5 and later (counted for every Claude: the generous side), and
 * the tool-use system prompt after the system prompt, before the first message, so only
 * message checkpoints count it: 346 with tool choice auto (Anthropic's tool-use pricing
 * page, 3.7 Sonnet recorded at 350), 412 forced (Sonnet 4.5 recorded); the larger is used.
 */
export const CLAUDE_TOOL_TOKENS = { inPrefix: 204, beforeMessages: 412 } as const;

/** The fewest characters read between two checks of `limit` in estimateTextTokens. */
const LIMIT_CHECK_CHARS = 256;

/**
 * Estimated tokens of a text. With a `limit`, counting may stop once the estimate reaches
 * it: the result is then at least `limit` (and never more than the full estimate), which
 * is all a comparison with a minimum needs.
 */
export function estimateTextTokens(text: string, limit = Number.POSITIVE_INFINITY): number {
  let ascii = 0;
  let other = 0;
  let i = 0;
  while (i < text.length) {
    const estimate = Math.ceil(ascii / ASCII_CHARS_PER_TOKEN) + other;
    if (estimate >= limit) break;
    // Every character adds at least 1/ASCII_CHARS_PER_TOKEN of a token, so the limit can't be
    // reached sooner than this many characters on: read them without checking.
    const end = Math.min(text.length, i + Math.max(LIMIT_CHECK_CHARS, (limit - estimate) * ASCII_CHARS_PER_TOKEN));
    for (; i < end; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x80) ascii++;
      else if (code < 0xdc00 || code > 0xdfff) other++; // a surrogate pair counts once
    }
  }
  return Math.ceil(ascii / ASCII_CHARS_PER_TOKEN) + other;
}

export function estimateJsonTokens(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value === 'string') return estimateTextTokens(value);
  try {
    return estimateTextTokens(JSON.stringify(value) ?? '');
  } catch {
    return Number.POSITIVE_INFINITY; // unserialisable: don't let it cause a skip
  }
}

function byteLength(data: unknown): number | undefined {
  if (typeof data === 'string') return Math.floor((data.length * 3) / 4); // base64
  if (data instanceof Uint8Array) return data.byteLength;
  // ai 7 (LanguageModelV4) tags file data: { type: 'data', data } (a URL, reference or text: as before)
  if (typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'data') {
    return byteLength((data as { data?: unknown }).data);
  }
  return undefined; // a URL: size unknown
}

/** Documents Bedrock reads as the text they are (no extraction from a binary format). */
const PLAIN_TEXT_DOCUMENT = /^text\/(?:plain|csv|markdown|html)$/;
/** Name, format and tags around a document's text: a guess on the generous side. */
const DOCUMENT_FRAMING = 64;

export function estimateFileTokens(mediaType: string, data: unknown): number {
  if (mediaType.startsWith('image/')) return IMAGE_TOKENS;
  const bytes = byteLength(data);
  if (bytes === undefined) return Number.POSITIVE_INFINITY;
  if (PLAIN_TEXT_DOCUMENT.test(mediaType)) return DOCUMENT_FRAMING + Math.ceil(bytes / ASCII_CHARS_PER_TOKEN);
  return Math.max(IMAGE_TOKENS, bytes);
}

interface ToolResultOutput {
  type: string;
  value?: unknown;
  reason?: string;
}

function estimateToolOutputTokens(output: ToolResultOutput): number {
  if (output.type === 'content' && Array.isArray(output.value)) {
    let tokens = 0;
    for (const item of output.value as Array<{ type: string; text?: string; mediaType?: string; data?: unknown }>) {
      tokens +=
        item.type === 'text'
          ? estimateTextTokens(item.text ?? '')
          : estimateFileTokens(item.mediaType ?? 'image/*', item.data);
    }
    return tokens;
  }
  return estimateJsonTokens(output.value ?? output.reason);
}

/** Any message part of the AI SDK's provider-level prompt. */
export interface PromptPart {
  type: string;
  text?: string;
  mediaType?: string;
  data?: unknown;
  toolName?: string;
  input?: unknown;
  output?: ToolResultOutput;
  providerOptions?: Record<string, Record<string, unknown> | undefined>;
}

/** Estimated tokens of a part; `limit` as in {@link estimateTextTokens}. */
export function estimatePartTokens(part: PromptPart, limit = Number.POSITIVE_INFINITY): number {
  switch (part.type) {
    case 'text':
    case 'reasoning':
      return PART_OVERHEAD + estimateTextTokens(part.text ?? '', limit);
    case 'file':
      return PART_OVERHEAD + estimateFileTokens(part.mediaType ?? '', part.data);
    case 'tool-call':
      return PART_OVERHEAD + estimateTextTokens(part.toolName ?? '') + estimateJsonTokens(part.input);
    case 'tool-result':
      return PART_OVERHEAD + (part.output ? estimateToolOutputTokens(part.output) : 0);
    default:
      return PART_OVERHEAD;
  }
}

export function estimateToolTokens(tool: { name: string; description?: string; inputSchema?: unknown }): number {
  return (
    PART_OVERHEAD +
    estimateTextTokens(tool.name) +
    estimateTextTokens(tool.description ?? '') +
    estimateJsonTokens(tool.inputSchema)
  );
}
