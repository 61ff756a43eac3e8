import { describe, expect, it } from 'vitest';
import { base64ByteLength, countJsonTokens, countMediaTokens, countTextTokens } from '../../src/emulator/tokenizer.js';
import { words } from './helpers.js';

describe('emulator tokenizer', () => {
  it('counts short words as one token each and ignores whitespace', () => {
    expect(countTextTokens('hello   world\n\tagain')).toBe(3);
    expect(countTextTokens(words(1234))).toBe(1234);
    expect(countTextTokens('')).toBe(0);
  });

  it('splits long words every 8 characters', () => {
    expect(countTextTokens('abcdefgh')).toBe(1);
    expect(countTextTokens('abcdefghi')).toBe(2);
    expect(countTextTokens('internationalization')).toBe(3);
  });

  it('counts punctuation runs by 3 characters', () => {
    expect(countTextTokens('Hello, world!')).toBe(4);
    expect(countTextTokens('...')).toBe(1);
    expect(countTextTokens('....')).toBe(2);
  });

  it('counts CJK one token per character, also next to latin letters', () => {
    expect(countTextTokens('中文字')).toBe(3);
    expect(countTextTokens('abc中文')).toBe(3);
    expect(countTextTokens('こんにちは')).toBe(5);
  });

  it('counts JSON through its serialisation', () => {
    // {"type":"object"} → `{"` type `":"` object `"}` → 1 + 1 + 1 + 1 + 1
    expect(countJsonTokens({ type: 'object' })).toBe(5);
    expect(countJsonTokens(undefined)).toBe(1);
  });

  it('derives media tokens from byte size', () => {
    expect(countMediaTokens('image', 64 * 100)).toBe(185);
    expect(countMediaTokens('image', 10_000_000)).toBe(1600);
    expect(countMediaTokens('document', 4000)).toBe(1000);
    expect(countMediaTokens('video', 2560)).toBe(10);
    expect(base64ByteLength(Buffer.from('hello!!').toString('base64'))).toBe(7);
  });
});
