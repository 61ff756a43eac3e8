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
    [{ models: { 'anthropic.claude-opus-5': { minTokens: -5 } } }, 'models.anthropic.claude-opus-5.minTokens', 'a whole number ≥ 0'],
    [{ models: { 'anthropic.claude-opus-5': { ttls: ['2h'] } } }, 'models.anthropic.claude-opus-5.ttls.0', '"5m", "1h"'],
    [{ models: { 'anthropic.claude-opus-5': { ttls: [] } } }, 'models.anthropic.claude-opus-5.ttls', "at least one of '5m', '1h'"],
    [{ models: { x: { family: 'llama' } } }, 'models.x.family', '"anthropic", "nova"'],
    [{ models: { x: { minToken: 1 } } }, 'models.x.minToken', 'family, minTokens, ttls'],
    [{ repairCheckpoints: 'yes' }, 'repairCheckpoints', 'true or false'],
    [{ ledger: 'yes' }, 'ledger', 'true, false or { store?, maxKeys?, maxBytes? }'],
    [{ coalesce: 'yes' }, 'coalesce', 'true, false or { maxWaitMs? }'],
    [{ coalesce: { maxWaitMs: -1 } }, 'coalesce.maxWaitMs', 'milliseconds ≥ 0'],
    [{ debug: 1 }, 'debug', 'true, false or a function'],
  ])('%j names %s and what is allowed', (options, argument, allowed) => {
    const error = errorOf(options);
    expect(error.argument).toBe(argument);
    expect(error.message).toContain(`option ${argument}`);
    expect(error.message).toContain(allowed);
  });

  it('ledger.store must be a ledger store (getNodes and setNodes); the error names the option and what it takes', () => {
    const records = { get: () => undefined, set: () => {} }; // a store of the earlier record ledger
    for (const store of [records, { getNodes: () => [] }, 'redis://localhost', null]) {
      const error = errorOf({ ledger: { store } });
      expect(error.argument).toBe('ledger.store');
      expect(error.message).toContain('option ledger.store must be a ledger store: an object with the methods getNodes and setNodes');
      expect(error.message).toContain('redisLedgerStore()');
    }
    const store = { getNodes: () => [], setNodes: () => {} };
    for (const timeoutMs of [0, -1, Number.NaN, '500']) {
      expect(errorOf({ ledger: { store: { ...store, timeoutMs } } })).toMatchObject({ argument: 'ledger.store.timeoutMs', message: expect.stringContaining('a positive number of milliseconds') });
    }
    expect(() => bedrockCacheMiddleware({ ledger: { store } })).not.toThrow();
    expect(() => bedrockCacheMiddleware({ ledger: { store: { ...store, timeoutMs: 200, secret: 'a-secret-of-16-chars' } } })).not.toThrow();
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
        models: { 'anthropic.claude-opus-9': { minTokens: 2048, ttls: ['1h', '5m'] }, 'my-profile': { family: 'anthropic' }, 'amazon.nova-micro': { caches: false } },
        repairCheckpoints: false,
        onCacheUsage: () => {},
      }),
    ).not.toThrow();
    expect(() => bedrockCacheMiddleware({ ttl: { messages: '1h' } })).not.toThrow(); // earlier sections follow: 1h
  });
});
