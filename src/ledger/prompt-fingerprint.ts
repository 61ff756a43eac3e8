import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';

/**
 * A prompt as the ledger sees it: one rolling hash per content block along tools → system
 * → messages (each tool, each system message and each message part is a block), never the
 * content itself. `hashes[i]` identifies blocks 0..i, so two prompts share their first n
 * blocks exactly when `hashes[n - 1]` is equal (up to hash collisions, which only make a
 * miss explanation wrong, never a request).
 */
export interface PromptFingerprint {
  hashes: number[];
  /** Each block's size in characters (text, JSON, file bytes; an image counts 6,400): the shape of the token estimate the ledger scales to Bedrock's count. */
  weights: number[];
  /** Each prompt message's own content hash (its blocks alone, not the prefix before it); 0 for system messages. */
  messageHashes: number[];
  /** Blocks [0, toolsEnd) are tools, [toolsEnd, systemEnd) system, the rest messages. */
  toolsEnd: number;
  systemEnd: number;
  /** Block index where each prompt message (by AI SDK prompt index) starts; -1 for system messages. */
  messageStarts: number[];
  /** The hash of the first non-system message alone: the same conversation starts the same way. */
  firstMessage: number | undefined;
}

const TWO_32 = 0x100000000;

/**
 * Texts at least this long have their hash cached, keyed by the string itself: a string
 * the AI SDK passes again (every step of an agent loop, every call of a chat) is then
 * found without reading it (V8 compares the same string by pointer, equal ones natively),
 * so fingerprinting costs time per part, not per character. Bounded by total length.
 */
const CACHED_TEXT = 32;
const TEXT_CACHE_CHARS = 16 * 1024 * 1024;
const textHashes = new Map<string, number>();
let cachedChars = 0;

/** FNV-1a, twice over 32 bits with different primes, as one 52-bit number (exact in a double). */
export function hashText(text: string): number {
  const long = text.length >= CACHED_TEXT;
  if (long) {
    const cached = textHashes.get(text);
    if (cached !== undefined) return cached;
  }
  let a = 0x811c9dc5 ^ text.length;
  let b = 0x9dc5811c;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
  }
  const value = ((a >>> 0) & 0xfffff) * TWO_32 + (b >>> 0);
  if (long) {
    if (cachedChars + text.length > TEXT_CACHE_CHARS) {
      textHashes.clear();
      cachedChars = 0;
    }
    textHashes.set(text, value);
    cachedChars += text.length;
  }
  return value;
}

/** Two hashes as one (order matters). */
export function combine(x: number, y: number): number {
  let a = Math.imul((x >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.floor(x / TWO_32);
  let b = Math.imul((y >>> 0) ^ 0xc2b2ae35, 0x27d4eb2f) ^ Math.floor(y / TWO_32);
  a = Math.imul(a ^ (b >>> 15), 0x01000193);
  b = Math.imul(b ^ (a >>> 13), 0x5bd1e995);
  return ((a >>> 0) & 0xfffff) * TWO_32 + (b >>> 0);
}

/** Bytes are sampled past this size: a 4 MB image costs the same as a 64 KB one. */
const FULL_HASH_BYTES = 64 * 1024;
const SAMPLES = 4096;
const dataHashes = new WeakMap<object, number>();

/** A fingerprint of file data: whole up to 64 KB, else its length and 4,096 evenly spaced samples. */
function hashData(data: unknown): number {
  if (data instanceof URL) return hashText(data.href);
  if (typeof data === 'string') {
    if (data.length <= FULL_HASH_BYTES) return hashText(data);
    const step = Math.floor(data.length / SAMPLES);
    let h = data.length;
    for (let i = 0; i < data.length; i += step) h = combine(h, data.charCodeAt(i) * 65536 + data.charCodeAt(i + 1));
    return h;
  }
  if (data instanceof Uint8Array) {
    const cached = dataHashes.get(data);
    if (cached !== undefined) return cached;
    const step = data.byteLength <= FULL_HASH_BYTES ? 1 : Math.floor(data.byteLength / SAMPLES);
    let a = 0x811c9dc5 ^ data.byteLength;
    let b = 0x9dc5811c;
    for (let i = 0; i < data.byteLength; i += step) {
      a = Math.imul(a ^ data[i]!, 0x01000193);
      b = Math.imul(b ^ data[i]!, 0x5bd1e995);
    }
    const value = ((a >>> 0) & 0xfffff) * TWO_32 + (b >>> 0);
    dataHashes.set(data, value);
    return value;
  }
  // ai 7 tags file data: { type: 'data' | 'url' | 'text' | 'reference', … }
  if (typeof data === 'object' && data !== null) {
    const tagged = data as { type?: unknown; data?: unknown; url?: unknown; text?: unknown };
    if (tagged.type === 'data') return hashData(tagged.data);
    if (tagged.type === 'url') return hashData(tagged.url);
    if (typeof tagged.text === 'string') return hashText(tagged.text);
  }
  return hashText(safeJson(data));
}

const valueHashes = new WeakMap<object, number>();
const valueSizes = new WeakMap<object, number>();

/** A JSON value's size in characters (remembered per object, like its hash). */
function sizeOfValue(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (typeof value !== 'object' || value === null) return String(value).length;
  const cached = valueSizes.get(value);
  if (cached !== undefined) return cached;
  const size = safeJson(value).length;
  valueSizes.set(value, size);
  return size;
}

/** Characters an image stands for in the weights (1,600 tokens at about 4 characters a token). */
const IMAGE_WEIGHT = 6400;

function partWeight(part: Part): number {
  switch (part.type) {
    case 'text':
    case 'reasoning':
      return part.text?.length ?? 0;
    case 'file': {
      if ((part.mediaType ?? '').startsWith('image')) return IMAGE_WEIGHT;
      const data = part.data;
      if (typeof data === 'string') return data.length;
      if (data instanceof Uint8Array) return data.byteLength;
      return IMAGE_WEIGHT;
    }
    case 'tool-call':
      return (part.toolName?.length ?? 0) + sizeOfValue(part.input);
    case 'tool-result':
      return sizeOfValue(part.output);
    default:
      return 16;
  }
}

/**
 * A JSON value's hash: strings directly, objects (tool inputs and outputs, schemas) by
 * their JSON, remembered per object, since the AI SDK passes the same objects again on
 * every step of an agent loop.
 */
function hashValue(value: unknown): number {
  if (typeof value === 'string') return hashText(value);
  if (typeof value !== 'object' || value === null) return hashText(String(value));
  const cached = valueHashes.get(value);
  if (cached !== undefined) return cached;
  // tool results: { type: 'text' | 'json' | 'content' | …, value }
  const tagged = value as { type?: unknown; value?: unknown };
  const hash =
    typeof tagged.type === 'string' && 'value' in tagged && Object.keys(value).length <= 3
      ? combine(tag(tagged.type), hashValue(tagged.value))
      : hashText(safeJson(value));
  valueHashes.set(value, hash);
  return hash;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

interface Part {
  type: string;
  text?: string;
  mediaType?: string;
  data?: unknown;
  toolName?: string;
  toolCallId?: string;
  input?: unknown;
  output?: unknown;
}

const tags = new Map<string, number>();
/** The hash of a short tag (a role and part type), computed once. */
function tag(value: string): number {
  let h = tags.get(value);
  if (h === undefined) {
    h = hashText(value);
    tags.set(value, h);
  }
  return h;
}

function hashPart(role: string, part: Part): number {
  const kind = combine(tag(role), tag(part.type));
  switch (part.type) {
    case 'text':
    case 'reasoning':
      return combine(kind, hashText(part.text ?? ''));
    case 'file':
      return combine(combine(kind, tag(part.mediaType ?? '')), hashData(part.data));
    case 'tool-call':
      return combine(combine(combine(kind, hashText(part.toolName ?? '')), hashText(part.toolCallId ?? '')), hashValue(part.input));
    case 'tool-result':
      return combine(combine(kind, hashText(part.toolCallId ?? '')), hashValue(part.output));
    default:
      return combine(kind, hashText(safeJson(part)));
  }
}

/**
 * The prompt's fingerprint. Tools are hashed with their name, description and schema (a
 * structured-output schema is a tool on Bedrock); providerOptions (checkpoints included)
 * are not content and are left out, so the same prompt with or without checkpoints has
 * the same fingerprint. `'head'` stops after the first message's first block: tools,
 * system and the conversation's start, all that planning needs (the rest is hashed after
 * the response, off the request's path).
 */
export function fingerprintPrompt(params: LanguageModelV3CallOptions, extent: 'all' | 'head' = 'all'): PromptFingerprint {
  const hashes: number[] = [];
  const weights: number[] = [];
  const messageHashes: number[] = [];
  // text blocks: their kind and string, to find them again in the next call (see `recent`)
  const sources: Source[] = [];
  let rolling = 0;
  const push = (block: number, weight: number, source?: Source, kind = 0) => {
    kinds[hashes.length] = kind;
    blocks[hashes.length] = block;
    rolling = combine(rolling, block);
    hashes.push(rolling);
    weights.push(weight);
    if (extent === 'all') sources.push(source);
  };
  for (const tool of params.tools ?? []) {
    const described =
      tool.type === 'function'
        ? combine(combine(hashText(tool.name), hashText(tool.description ?? '')), hashValue(tool.inputSchema))
        : combine(combine(hashText(tool.id), hashText(tool.name)), hashValue(tool.args));
    const weight = tool.type === 'function' ? tool.name.length + (tool.description?.length ?? 0) + sizeOfValue(tool.inputSchema) : tool.name.length + 16;
    push(combine(tag('tool'), described), weight);
  }
  const toolsEnd = hashes.length;
  const messageStarts: number[] = [];
  const earlier = extent === 'all' ? earlierPrompt(params.prompt) : undefined;
  for (const message of params.prompt) {
    if (message.role !== 'system') continue;
    push(combine(tag('system'), hashText(message.content)), message.content.length, message.content);
  }
  const systemEnd = hashes.length;
  let firstMessage: number | undefined;
  for (const message of params.prompt) {
    if (message.role === 'system') {
      messageStarts.push(-1);
      messageHashes.push(0);
      continue;
    }
    messageStarts.push(hashes.length);
    let own = tag(message.role);
    const parts = message.content as Part[];
    for (let k = 0; k < parts.length; k++) {
      const part = parts[k]!;
      const i = hashes.length;
      let block: number;
      let weight: number;
      let source: Source;
      let kind = 0;
      // A text the same call before had at the same block, as the same kind of part: its hash
      // and weight are known without reading it (the same string object: a pointer compare).
      if ((part.type === 'text' || part.type === 'reasoning') && typeof part.text === 'string') {
        kind = textKind(message.role, part.type);
        source = part.text;
        if (earlier && earlier.kinds[i] === kind && earlier.sources[i] === source) {
          block = earlier.blocks[i]!;
          weight = earlier.weights[i]!;
        } else {
          block = hashPart(message.role, part);
          weight = source.length;
        }
      } else {
        block = hashPart(message.role, part);
        weight = partWeight(part);
      }
      push(block, weight, source, kind);
      own = combine(own, block);
      firstMessage ??= block;
      if (extent === 'head') break;
    }
    messageHashes.push(own);
    if (extent === 'head' && firstMessage !== undefined) break;
  }
  if (extent === 'all') remember({ first: firstSource(params.prompt), sources, kinds: kinds.slice(0, hashes.length), blocks: blocks.slice(0, hashes.length), weights });
  return { hashes, weights, messageHashes, toolsEnd, systemEnd, messageStarts, firstMessage };
}

type Source = string | undefined;

/**
 * A recent prompt's text blocks (a conversation's next call repeats its history; an agent's
 * next step, its prompt): block i's string, kind, hash and weight. A new prompt's text blocks
 * are matched against one of them by position and string, instead of looking each string up.
 */
interface EarlierPrompt {
  /** The system prompt (the first system message), if any. */
  first: Source;
  sources: Source[];
  /** textKind of each text block, 0 for the others. */
  kinds: number[];
  /** Each block's own hash (not the rolling one). */
  blocks: number[];
  weights: number[];
}

/** Prompts remembered (each holds its strings alive: bounded like the text cache, which holds them too). */
const RECENT_PROMPTS = 8;
const recent: EarlierPrompt[] = [];
/** Scratch arrays for one fingerprint's kinds and block hashes (fingerprinting is synchronous). */
const kinds: number[] = [];
const blocks: number[] = [];

/** The most recent remembered prompt that starts with the same system prompt (or the same first text). */
function earlierPrompt(prompt: LanguageModelV3CallOptions['prompt']): EarlierPrompt | undefined {
  const first = firstSource(prompt);
  for (const earlier of recent) if (earlier.first === first) return earlier;
  return undefined;
}

function firstSource(prompt: LanguageModelV3CallOptions['prompt']): Source {
  for (const message of prompt) if (message.role === 'system') return message.content;
  return undefined;
}

function remember(prompt: EarlierPrompt): void {
  recent.unshift(prompt);
  if (recent.length > RECENT_PROMPTS) recent.pop();
}

/** A small number per (role, text part type): 1–8. */
function textKind(role: string, type: string): number {
  const r = role === 'user' ? 0 : role === 'assistant' ? 1 : role === 'tool' ? 2 : 3;
  return 1 + r * 2 + (type === 'text' ? 0 : 1);
}

/** How many leading blocks two fingerprints share (binary search over the rolling hashes). */
export function sharedBlocks(a: readonly number[], b: readonly number[]): number {
  let low = 0;
  let high = Math.min(a.length, b.length);
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (a[mid - 1] === b[mid - 1]) low = mid;
    else high = mid - 1;
  }
  return low;
}
