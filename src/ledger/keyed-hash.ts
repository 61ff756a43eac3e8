/**
 * Keyed hashes (contract C2): everything the ledger stores or reports is a SipHash-2-4 of the
 * in-process fast hashes under the ledger's secret, so a leaked store, log or report can't be
 * reversed by guessing prompts (without the secret, a guess can't be checked). SipHash is a
 * PRF built for short inputs (Aumasson & Bernstein, 2012); here on 32-bit halves, as the core
 * must run on the edge without Node's crypto. Output: 16 lowercase hex characters.
 */

type Word = [hi: number, lo: number];

/** The reference's initialisation constants ("somepseudorandomlygeneratedbytes"). */
const INIT: readonly Word[] = [
  [0x736f6d65, 0x70736575],
  [0x646f7261, 0x6e646f6d],
  [0x6c796765, 0x6e657261],
  [0x74656462, 0x79746573],
];

/** A 128-bit SipHash key as four 32-bit words: k0 (hi, lo), k1 (hi, lo). */
export type SipKey = readonly [number, number, number, number];

/** SipHash state v0..v3 as (hi, lo) pairs: module-level, as the hash runs synchronously. */
const v = new Uint32Array(8);

function add(x: number, y: number): void {
  const lo = v[x + 1]! + v[y + 1]!;
  v[x] = v[x]! + v[y]! + (lo > 0xffffffff ? 1 : 0);
  v[x + 1] = lo;
}

/** v[x] = rotl(v[x], n) for 0 < n < 32. */
function rotl(x: number, n: number): void {
  const h = v[x]!;
  const l = v[x + 1]!;
  v[x] = (h << n) | (l >>> (32 - n));
  v[x + 1] = (l << n) | (h >>> (32 - n));
}

function xor(x: number, y: number): void {
  v[x] = v[x]! ^ v[y]!;
  v[x + 1] = v[x + 1]! ^ v[y + 1]!;
}

function swapHalves(x: number): void {
  const h = v[x]!;
  v[x] = v[x + 1]!;
  v[x + 1] = h;
}

function sipRound(): void {
  add(0, 2); rotl(2, 13); xor(2, 0); swapHalves(0);
  add(4, 6); rotl(6, 16); xor(6, 4);
  add(0, 6); rotl(6, 21); xor(6, 0);
  add(4, 2); rotl(2, 17); xor(2, 4); swapHalves(4);
}

function absorb(mh: number, ml: number): void {
  v[6] = v[6]! ^ mh;
  v[7] = v[7]! ^ ml;
  sipRound();
  sipRound();
  v[0] = v[0]! ^ mh;
  v[1] = v[1]! ^ ml;
}

/**
 * SipHash-2-4 of a message of whole 64-bit words (each given as hi, lo), returned as hi, lo.
 * Checked against the reference vectors in test/keyed-hash.test.ts.
 */
export function sipHash(key: SipKey, words: readonly number[]): Word {
  v[0] = INIT[0]![0] ^ key[0]; v[1] = INIT[0]![1] ^ key[1];
  v[2] = INIT[1]![0] ^ key[2]; v[3] = INIT[1]![1] ^ key[3];
  v[4] = INIT[2]![0] ^ key[0]; v[5] = INIT[2]![1] ^ key[1];
  v[6] = INIT[3]![0] ^ key[2]; v[7] = INIT[3]![1] ^ key[3];
  for (let i = 0; i + 1 < words.length; i += 2) absorb(words[i]! >>> 0, words[i + 1]! >>> 0);
  // the last block: the message length in bytes in the top byte (whole words: no tail bytes)
  absorb((((words.length >> 1) * 8) & 0xff) << 24, 0);
  v[5] = v[5]! ^ 0xff;
  sipRound();
  sipRound();
  sipRound();
  sipRound();
  return [(v[0]! ^ v[2]! ^ v[4]! ^ v[6]!) >>> 0, (v[1]! ^ v[3]! ^ v[5]! ^ v[7]!) >>> 0];
}

const TWO_32 = 0x100000000;
/** Ids a keyer remembers (about 60 bytes each). */
const ID_CACHE = 20_000;
const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/** Fixed keys that turn a secret string into a SipHash key (the secret carries the entropy). */
const DERIVE_A: SipKey = [0x0b5e5d1c, 0x2c7a1f3e, 0x51a4c0d9, 0x6e83b217];
const DERIVE_B: SipKey = [0x7f4a7c15, 0x9e3779b9, 0x85ebca6b, 0xc2b2ae35];

/** The secret's UTF-16 code units, two to a 32-bit word, padded to whole 64-bit words. */
function secretWords(secret: string): number[] {
  const words: number[] = [secret.length];
  for (let i = 0; i < secret.length; i += 2) words.push(((secret.charCodeAt(i) << 16) | (secret.charCodeAt(i + 1) || 0)) >>> 0);
  if (words.length % 2 === 1) words.push(0);
  return words;
}

/** A random secret (128 bits, hex), as the in-memory store uses: from crypto.getRandomValues (Web Crypto: Node 18+, edge runtimes, browsers). */
export function randomSecret(): string {
  const bytes = new Uint32Array(4);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, hex8).join('');
}

/** What the ledger hashes with: a PRF from fast hashes (52-bit numbers) to hex ids. */
export interface Keyer {
  /** The id of a fast hash in a domain (a small number naming what it is: node, anchor …). */
  id(domain: number, hash: number): string;
  /** A short keyed number (32 bits) of a fast hash, for chunk hashes. */
  short(hash: number): number;
}

/** A keyer for a secret: two SipHash runs over the secret give the 128-bit key. */
export function createKeyer(secret: string): Keyer {
  const words = secretWords(secret);
  const [a0, a1] = sipHash(DERIVE_A, words);
  const [b0, b1] = sipHash(DERIVE_B, words);
  const key: SipKey = [a0, a1, b0, b1];
  // ids of fast hashes seen lately (a conversation's earlier nodes come back on every call); unkeyed input, keyed output, in process only
  const ids = [] as Map<number, string>[];
  return {
    id(domain, hash) {
      const cache = (ids[domain] ??= new Map<number, string>());
      const cached = cache.get(hash);
      if (cached !== undefined) return cached;
      const [hi, lo] = sipHash(key, [domain >>> 0, 0, Math.floor(hash / TWO_32) >>> 0, hash >>> 0]);
      const id = hex8(hi) + hex8(lo);
      if (cache.size >= ID_CACHE) cache.clear();
      cache.set(hash, id);
      return id;
    },
    short(hash) {
      return sipHash(key, [Math.floor(hash / TWO_32) >>> 0, hash >>> 0])[1];
    },
  };
}
