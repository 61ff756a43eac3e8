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

/**
 * SipHash-2-4 of a message of whole 64-bit words (each given as hi, lo), returned as hi, lo.
 * Checked against the reference vectors in test/keyed-hash.test.ts.
 */
export function sipHash(key: SipKey, words: readonly number[]): Word {
  let v0h = (INIT[0]![0] ^ key[0]) >>> 0, v0l = (INIT[0]![1] ^ key[1]) >>> 0;
  let v1h = (INIT[1]![0] ^ key[2]) >>> 0, v1l = (INIT[1]![1] ^ key[3]) >>> 0;
  let v2h = (INIT[2]![0] ^ key[0]) >>> 0, v2l = (INIT[2]![1] ^ key[1]) >>> 0;
  let v3h = (INIT[3]![0] ^ key[2]) >>> 0, v3l = (INIT[3]![1] ^ key[3]) >>> 0;
  let h: number, l: number, s: number;
  const round = () => {
    // v0 += v1; v1 = rotl(v1, 13) ^ v0; v0 = rotl(v0, 32)
    s = v0l + v1l; v0h = (v0h + v1h + (s > 0xffffffff ? 1 : 0)) >>> 0; v0l = s >>> 0;
    h = ((v1h << 13) | (v1l >>> 19)) >>> 0; l = ((v1l << 13) | (v1h >>> 19)) >>> 0;
    v1h = (h ^ v0h) >>> 0; v1l = (l ^ v0l) >>> 0;
    h = v0h; v0h = v0l; v0l = h;
    // v2 += v3; v3 = rotl(v3, 16) ^ v2
    s = v2l + v3l; v2h = (v2h + v3h + (s > 0xffffffff ? 1 : 0)) >>> 0; v2l = s >>> 0;
    h = ((v3h << 16) | (v3l >>> 16)) >>> 0; l = ((v3l << 16) | (v3h >>> 16)) >>> 0;
    v3h = (h ^ v2h) >>> 0; v3l = (l ^ v2l) >>> 0;
    // v0 += v3; v3 = rotl(v3, 21) ^ v0
    s = v0l + v3l; v0h = (v0h + v3h + (s > 0xffffffff ? 1 : 0)) >>> 0; v0l = s >>> 0;
    h = ((v3h << 21) | (v3l >>> 11)) >>> 0; l = ((v3l << 21) | (v3h >>> 11)) >>> 0;
    v3h = (h ^ v0h) >>> 0; v3l = (l ^ v0l) >>> 0;
    // v2 += v1; v1 = rotl(v1, 17) ^ v2; v2 = rotl(v2, 32)
    s = v2l + v1l; v2h = (v2h + v1h + (s > 0xffffffff ? 1 : 0)) >>> 0; v2l = s >>> 0;
    h = ((v1h << 17) | (v1l >>> 15)) >>> 0; l = ((v1l << 17) | (v1h >>> 15)) >>> 0;
    v1h = (h ^ v2h) >>> 0; v1l = (l ^ v2l) >>> 0;
    h = v2h; v2h = v2l; v2l = h;
  };
  const absorb = (mh: number, ml: number) => {
    v3h = (v3h ^ mh) >>> 0; v3l = (v3l ^ ml) >>> 0;
    round();
    round();
    v0h = (v0h ^ mh) >>> 0; v0l = (v0l ^ ml) >>> 0;
  };
  for (let i = 0; i + 1 < words.length; i += 2) absorb(words[i]! >>> 0, words[i + 1]! >>> 0);
  // the last block: the message length in bytes in the top byte (whole words: no tail bytes)
  absorb((((words.length >> 1) * 8) & 0xff) << 24, 0);
  v2l = (v2l ^ 0xff) >>> 0;
  round();
  round();
  round();
  round();
  return [(v0h ^ v1h ^ v2h ^ v3h) >>> 0, (v0l ^ v1l ^ v2l ^ v3l) >>> 0];
}

const TWO_32 = 0x100000000;
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
  return {
    id(domain, hash) {
      const [hi, lo] = sipHash(key, [domain >>> 0, 0, Math.floor(hash / TWO_32) >>> 0, hash >>> 0]);
      return hex8(hi) + hex8(lo);
    },
    short(hash) {
      return sipHash(key, [Math.floor(hash / TWO_32) >>> 0, hash >>> 0])[1];
    },
  };
}
