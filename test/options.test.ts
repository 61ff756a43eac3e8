import { InvalidArgumentError } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware } from '../src';

function errorOf(options: unknown): InvalidArgumentError {
  try {
    bedrockCacheMiddleware(options as never);
  } catch (error) {
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    return error as InvalidArgumentError;
  }
  throw new Error('expected bedrockCacheMiddleware to throw');
}

describe('options are validated at construction', () => {
  it.each([
    [{ ttl: '10m' }, 'ttl', `'5m', '1h' or an object`],
    [{ ttl: { system: '2h' } }, 'ttl.system', '"5m", "1h"'],
    [{ ttl: { history: '5m' } }, 'ttl.history', 'tools, system, messages'],
    [{ minMessagesToCache: -1 }, 'minMessagesToCache', 'a whole number ≥ 0'],
    [{ minMessagesToCache: 1.5 }, 'minMessagesToCache', 'a whole number ≥ 0'],
    [{ unsupportedModelBehavior: 'fail' }, 'unsupportedModelBehavior', '"ignore", "warn", "raise"'],
    [{ cache: { tools: 'no' } }, 'cache.tools', 'true or false'],
    [{ cache: { images: true } }, 'cache.images', 'tools, system, messages'],
    [{ modelFamily: 'llama' }, 'modelFamily', '"anthropic", "nova"'],
    [{ onCacheUsage: 'log' }, 'onCacheUsage', 'function'],
    [{ tll: '5m' }, 'tll', 'ttl, minMessagesToCache'],
    [{ ttl: { system: '5m', messages: '1h' } }, 'ttl', 'tools → system → messages'],
  ])('%j names %s and what is allowed', (options, argument, allowed) => {
    const error = errorOf(options);
    expect(error.argument).toBe(argument);
    expect(error.message).toContain(`option ${argument}`);
    expect(error.message).toContain(allowed);
  });

  it('accepts every valid shape', () => {
    expect(() => bedrockCacheMiddleware()).not.toThrow();
    expect(() => bedrockCacheMiddleware({})).not.toThrow();
    expect(() =>
      bedrockCacheMiddleware({
        ttl: { tools: '1h', system: '1h', messages: '5m' },
        minMessagesToCache: 2,
        unsupportedModelBehavior: 'raise',
        cache: { tools: false },
        modelFamily: 'nova',
        onCacheUsage: () => {},
      }),
    ).not.toThrow();
    expect(() => bedrockCacheMiddleware({ ttl: { messages: '1h' } })).not.toThrow(); // earlier sections follow: 1h
  });
});
