/**
 * The ledger's keyed hash (contract C2) is SipHash-2-4: pinned to the reference vectors
 * (Aumasson & Bernstein's vectors.h, key 00..0f, messages 00..(n−1)), and keyed: another
 * secret gives unrelated ids.
 */
import { describe, expect, it } from 'vitest';
import { createKeyer, randomSecret, sipHash } from '../src/ledger/keyed-hash';

// key bytes 00..0f as little-endian 64-bit words, each given as (hi, lo)
const KEY = [0x07060504, 0x03020100, 0x0f0e0d0c, 0x0b0a0908] as const;
const hex = ([hi, lo]: [number, number]) => hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');

describe('SipHash-2-4', () => {
  it('matches the reference vectors for 0, 8 and 16 bytes', () => {
    expect(hex(sipHash(KEY, []))).toBe('726fdb47dd0e0e31');
    expect(hex(sipHash(KEY, [0x07060504, 0x03020100]))).toBe('93f5f5799a932462');
    expect(hex(sipHash(KEY, [0x07060504, 0x03020100, 0x0f0e0d0c, 0x0b0a0908]))).toBe('3f2acc7f57c29bdb');
  });

  it('ids are 16 hex characters, stable for a secret, different under another', () => {
    const a = createKeyer('one secret of some length');
    const b = createKeyer('another secret of some length');
    expect(a.id(1, 123456789)).toMatch(/^[0-9a-f]{16}$/);
    expect(a.id(1, 123456789)).toBe(createKeyer('one secret of some length').id(1, 123456789));
    expect(a.id(1, 123456789)).not.toBe(b.id(1, 123456789));
    expect(a.id(1, 123456789)).not.toBe(a.id(2, 123456789));
    expect(randomSecret()).toMatch(/^[0-9a-f]{32}$/);
    expect(randomSecret()).not.toBe(randomSecret());
  });
});
