/**
 * Changes inside a block: a system prompt that repeats but for a short region (a timestamp, a
 * request id) is a different block to Bedrock and to whole-block hashes, so nothing after it is
 * ever read. Here the text is cut into chunks and each chunk boundary gets a keyed hash of the
 * text up to it (and, from the end, of the text after it); two calls' texts then share their
 * first chunks and their last chunks, and what lies between is the region that changed. Only
 * numbers are stored and reported: offsets, lengths, a kind. Never text.
 */
import type { Keyer } from './keyed-hash';
import { combine, hashText } from './prompt-fingerprint';
import { DOMAIN, modelSeed } from './prompt-path';

/** What a call's report says about a change inside its system prompt or a tool's description (characters). */
export interface BlockChange {
  section: 'system' | 'tools';
  /** With `tools`: the tool's index. */
  tool?: number;
  /** Length of this call's system prompt (or the tool's description). */
  chars: number;
  /** Characters at its start and at its end that repeat the previous call's (chunk precision). */
  repeatedStart: number;
  repeatedEnd: number;
  /** Where the changed region starts and how long it is in this call's text. */
  changedOffset: number;
  changedChars: number;
  /** What the changed region holds: a date or time, an id (hex, uuid), other digits, or text. */
  kind: 'date-like' | 'id-like' | 'digits' | 'text';
  /** New system prompts in a row, this one included (the same one sent again by a conversation's next call doesn't break the run; an older one coming back does). */
  newInARow: number;
}

/** The record stored per system-prompt start and end (`c:` keys). */
interface BlockRecord {
  u: number;
  /** Chunk size (characters), text length, keyed prefix and suffix chunk hashes of the latest text. */
  c: number;
  n: number;
  p: number[];
  q: number[];
  /** Keyed hashes of the recent whole texts (up to 8, latest last) and how often each came. */
  v: number[];
  vc: number[];
  /** Texts not among `v` in a row (the latest text coming again neither counts nor breaks the run; an older one breaks it). */
  f: number;
}

/** Texts shorter than this are not analysed (a short system prompt is no caching matter). */
const MIN_CHARS = 512;
const EDGE_CHARS = 64;
const MAX_CHUNKS = 128;
const VARIANTS = 8;
/** A record seen again is rewritten (renewing its time to live) after this long. */
const RENEW_MS = 60 * 60_000;
/** A change is reported only when at least this share of the text repeats. */
const REPEAT_SHARE = 0.6;
/** Calls in a row with a text never seen before that make a pattern worth one warning. */
export const BLOCK_CHANGE_PATTERN = 3;

function chunkSize(length: number): number {
  let size = 8;
  while (length / size > MAX_CHUNKS) size *= 2;
  return size;
}

/** Keyed hashes of the text's first i·size characters (i = 1…) and of its last i·size characters. */
function chunkHashes(text: string, size: number, keyer: Keyer): { p: number[]; q: number[] } {
  const p: number[] = [];
  const q: number[] = [];
  let a = 0x811c9dc5;
  let b = 0x9dc5811c;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
    if ((i + 1) % size === 0) p.push(keyer.short(((a >>> 0) & 0xfffff) * 0x100000000 + (b >>> 0)));
  }
  a = 0x811c9dc5;
  b = 0x9dc5811c;
  for (let i = text.length - 1, n = 1; i >= 0; i--, n++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
    if (n % size === 0) q.push(keyer.short(((a >>> 0) & 0xfffff) * 0x100000000 + (b >>> 0)));
  }
  return { p, q };
}

function kindOf(region: string): BlockChange['kind'] {
  if (/\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}|\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b/.test(region)) return 'date-like';
  if (/[0-9a-f]{8}-[0-9a-f]{4}-|[0-9a-fA-F]{12,}|\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{10,}\b/.test(region)) return 'id-like';
  return /\d/.test(region) ? 'digits' : 'text';
}

const asRecord = (value: unknown): BlockRecord | undefined =>
  typeof value === 'object' && value !== null && Array.isArray((value as BlockRecord).v) && Array.isArray((value as BlockRecord).p) ? (value as BlockRecord) : undefined;

/** The system prompt's text as the ledger analyses it (all system messages, in order). */
function systemText(prompt: ReadonlyArray<{ role: string; content: unknown }>): string {
  let text = '';
  for (const message of prompt) if (message.role === 'system' && typeof message.content === 'string') text += (text ? '\n' : '') + message.content;
  return text;
}

/** The texts analysed: the system prompt, and the long descriptions of the first few function tools. */
export function blockTexts(params: { prompt: ReadonlyArray<{ role: string; content: unknown }>; tools?: ReadonlyArray<{ type: string; name: string; description?: string }> }): Array<{ text: string; section: 'system' | 'tools'; tool?: number; name?: string }> {
  const texts: Array<{ text: string; section: 'system' | 'tools'; tool?: number; name?: string }> = [];
  const system = systemText(params.prompt);
  if (system.length >= MIN_CHARS) texts.push({ text: system, section: 'system' });
  (params.tools ?? []).forEach((tool, index) => {
    if (tool.type === 'function' && (tool.description?.length ?? 0) >= MIN_CHARS && texts.length < 1 + MAX_TOOLS) texts.push({ text: tool.description!, section: 'tools', tool: index, name: tool.name });
  });
  return texts;
}

/** Tool descriptions analysed per call (each costs two keys in the call's read). */
const MAX_TOOLS = 3;

/** The two store keys of a text's record: by its first and by its last characters (a change at either end leaves the other). */
export function blockKeys(modelId: string, text: string, keyer: Keyer, name = ''): string[] {
  if (text.length < MIN_CHARS) return [];
  const seed = name ? combine(modelSeed(modelId), hashText(`tool ${name}`)) : modelSeed(modelId);
  return [
    `c:${keyer.id(DOMAIN.block, combine(combine(seed, 1), hashText(text.slice(0, EDGE_CHARS))))}`,
    `c:${keyer.id(DOMAIN.block, combine(combine(seed, 2), hashText(text.slice(-EDGE_CHARS))))}`,
  ];
}

/**
 * Compares this call's system prompt with the latest one seen with the same start or end (the
 * records at `keys`), and returns what changed (if the text is new and mostly repeats) and the
 * record to store under both keys.
 */
export function compareBlock(
  text: string,
  records: readonly unknown[],
  keyer: Keyer,
  at: number,
  where: { section: 'system' | 'tools'; tool?: number } = { section: 'system' },
): { change?: BlockChange; record: BlockRecord | (() => BlockRecord); write: boolean; from?: number } {
  const whole = keyer.short(hashText(text));
  const candidates = records.map(asRecord);
  const known = candidates.find((r) => r?.v.includes(whole));
  const previous = known ?? candidates.reduce<BlockRecord | undefined>((a, r) => (!r ? a : !a || r.u > a.u ? r : a), undefined);
  if (known) {
    const i = known.v.indexOf(whole);
    // the latest text again (the next call of one conversation): the run of new texts goes on
    if (i === known.v.length - 1) {
      const vc = [...known.vc.slice(0, i), (known.vc[i] ?? 0) + 1];
      return { record: { ...known, u: at, vc }, write: known.u < at - RENEW_MS };
    }
    const v = [...known.v.slice(0, i), ...known.v.slice(i + 1), whole];
    const vc = [...known.vc.slice(0, i), ...known.vc.slice(i + 1), (known.vc[i] ?? 0) + 1];
    // stored again only when it ends a run of new texts, or to renew its time to live
    return { record: { ...known, u: at, v, vc, f: 0 }, write: known.f > 0 || known.u < at - RENEW_MS };
  }
  // the previous text's chunk size, so the two compare (unless this one is far longer)
  const size = previous && text.length / previous.c <= 2 * MAX_CHUNKS ? previous.c : chunkSize(text.length);
  const v = [...(previous?.v ?? []), whole].slice(-VARIANTS);
  const vc = [...(previous?.vc ?? []), 1].slice(-VARIANTS);
  const build = (): BlockRecord => ({ u: at, c: size, n: text.length, ...chunkHashes(text, size, keyer), v, vc, f: (previous?.f ?? 0) + 1 });
  // nothing to compare with: the record's chunk hashes are computed when it is stored, after the response
  if (!previous || previous.c !== size) return { record: build, write: true };
  const record = build();
  const { p, q } = record;
  let start = 0;
  while (start < p.length && start < previous.p.length && p[start] === previous.p[start]) start++;
  let end = 0;
  while (end < q.length && end < previous.q.length && q[end] === previous.q[end]) end++;
  const repeatedStart = start * size;
  let repeatedEnd = end * size;
  if (repeatedStart + repeatedEnd > text.length) repeatedEnd = Math.max(0, text.length - repeatedStart);
  if (repeatedStart + repeatedEnd < REPEAT_SHARE * text.length) return { record, write: true };
  const changedChars = text.length - repeatedStart - repeatedEnd;
  const change: BlockChange = {
    section: where.section,
    ...(where.tool !== undefined && { tool: where.tool }),
    chars: text.length,
    repeatedStart,
    repeatedEnd,
    changedOffset: repeatedStart,
    changedChars,
    kind: kindOf(text.slice(repeatedStart, repeatedStart + Math.max(changedChars, 1))),
    newInARow: record.f,
  };
  return { change, record, write: true, from: candidates.indexOf(previous) };
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** The warning for a change that came on every recent call, in numbers only. */
export function blockChangeWarning(change: BlockChange): string {
  const { chars, repeatedStart, repeatedEnd, changedChars, kind } = change;
  const advice = 'move them to the last message so that the rest can be read from the cache';
  const what = change.section === 'tools' ? `tool ${change.tool}'s description` : 'the system prompt';
  if (repeatedEnd === 0) {
    return `${what}'s first ${fmt(repeatedStart)} of ${fmt(chars)} characters repeat across calls; the last ${fmt(changedChars)} change on every call (${kind}): ${advice}.`;
  }
  if (repeatedStart === 0) {
    return `${what}'s last ${fmt(repeatedEnd)} of ${fmt(chars)} characters repeat across calls; the first ${fmt(changedChars)} change on every call (${kind}), so nothing after them is ever read: ${advice}.`;
  }
  return `characters ${fmt(repeatedStart)}–${fmt(repeatedStart + changedChars)} of ${what}'s ${fmt(chars)} change on every call (${kind}); the other ${fmt(chars - changedChars)} repeat: ${advice}.`;
}
