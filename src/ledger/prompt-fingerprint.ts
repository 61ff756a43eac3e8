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
  /** Blocks [0, toolsEnd) are tools, [toolsEnd, systemEnd) system, the rest messages. */
  toolsEnd: number;
  systemEnd: number;
  /** Block index where each prompt message (by AI SDK prompt index) starts; -1 for system messages. */
  messageStarts: number[];
  /** The hash of the first non-system message alone: the same conversation starts the same way. */
  firstMessage: number | undefined;
}

// FNV-1a over 32 bits, twice with different offsets, combined into a 52-bit number (exact in a double).
const FNV_PRIME = 0x01000193;

function mix(h: number, code: number): number {
  return Math.imul(h ^ code, FNV_PRIME) >>> 0;
}

class Hasher {
  a = 0x811c9dc5;
  b = 0x9dc5811c;
  text(value: string): this {
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      this.a = mix(this.a, code);
      this.b = mix(this.b, code ^ 0x5bd1);
    }
    return this.separator();
  }
  number(value: number): this {
    this.a = mix(this.a, value & 0xffff);
    this.b = mix(this.b, value >>> 16);
    return this.separator();
  }
  separator(): this {
    this.a = mix(this.a, 0x1f);
    this.b = mix(this.b, 0x1e);
    return this;
  }
  value(): number {
    return (this.a & 0xfffff) * 0x100000000 + this.b;
  }
}

/** Bytes are sampled past this size: a 4 MB image costs the same as a 64 KB one. */
const FULL_HASH_BYTES = 64 * 1024;
const SAMPLES = 256;
const dataHashes = new WeakMap<object, number>();

/** A fingerprint of file data: whole up to 64 KB, else its length and 256 evenly spaced samples. */
function hashData(data: unknown): number {
  if (data instanceof URL) return new Hasher().text(data.href).value();
  if (typeof data === 'string') {
    const h = new Hasher().number(data.length);
    if (data.length <= FULL_HASH_BYTES) return h.text(data).value();
    const step = Math.floor(data.length / SAMPLES);
    for (let i = 0; i < data.length; i += step) h.text(data.slice(i, i + 16));
    return h.value();
  }
  if (data instanceof Uint8Array) {
    const cached = dataHashes.get(data);
    if (cached !== undefined) return cached;
    const h = new Hasher().number(data.byteLength);
    const step = data.byteLength <= FULL_HASH_BYTES ? 1 : Math.floor(data.byteLength / SAMPLES);
    for (let i = 0; i < data.byteLength; i += step) h.number(data[i]!);
    const value = h.value();
    dataHashes.set(data, value);
    return value;
  }
  // ai 7 tags file data: { type: 'data' | 'url' | 'text' | 'reference', … }
  if (typeof data === 'object' && data !== null) {
    const tagged = data as { type?: unknown; data?: unknown; url?: unknown; text?: unknown };
    if (tagged.type === 'data') return hashData(tagged.data);
    if (tagged.type === 'url') return hashData(tagged.url);
    if (typeof tagged.text === 'string') return hashData(tagged.text);
  }
  return new Hasher().text(safeJson(data)).value();
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

function hashPart(role: string, part: Part): number {
  const h = new Hasher().text(role).text(part.type);
  switch (part.type) {
    case 'text':
    case 'reasoning':
      return h.text(part.text ?? '').value();
    case 'file':
      return h.text(part.mediaType ?? '').number(hashData(part.data) % 0xffffffff).value();
    case 'tool-call':
      return h.text(part.toolName ?? '').text(part.toolCallId ?? '').text(safeJson(part.input)).value();
    case 'tool-result':
      return h.text(part.toolCallId ?? '').text(safeJson(part.output)).value();
    default:
      return h.text(safeJson(part)).value();
  }
}

function chain(previous: number, block: number): number {
  return new Hasher().number(previous % 0xffffffff).number(Math.floor(previous / 0x100000000)).number(block % 0xffffffff).number(Math.floor(block / 0x100000000)).value();
}

/**
 * The prompt's fingerprint. Tools are hashed with their name, description and schema (a
 * structured-output schema is a tool on Bedrock); providerOptions (checkpoints included)
 * are not content and are left out, so the same prompt with or without checkpoints has
 * the same fingerprint.
 */
export function fingerprintPrompt(params: LanguageModelV3CallOptions): PromptFingerprint {
  const hashes: number[] = [];
  let rolling = 0;
  const push = (block: number) => {
    rolling = chain(rolling, block);
    hashes.push(rolling);
  };
  for (const tool of params.tools ?? []) {
    const h = new Hasher().text('tool').text(tool.name);
    if (tool.type === 'function') h.text(tool.description ?? '').text(safeJson(tool.inputSchema));
    else h.text(tool.id).text(safeJson(tool.args));
    push(h.value());
  }
  const toolsEnd = hashes.length;
  const messageStarts: number[] = [];
  for (const message of params.prompt) {
    if (message.role !== 'system') continue;
    push(new Hasher().text('system').text(message.content).value());
  }
  const systemEnd = hashes.length;
  let firstMessage: number | undefined;
  for (const message of params.prompt) {
    if (message.role === 'system') {
      messageStarts.push(-1);
      continue;
    }
    messageStarts.push(hashes.length);
    for (const part of message.content as Part[]) {
      const block = hashPart(message.role, part);
      push(block);
      firstMessage ??= block;
    }
  }
  return { hashes, toolsEnd, systemEnd, messageStarts, firstMessage };
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
