import { generateText, wrapLanguageModel } from 'ai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bedrockCacheMiddleware, type CacheDebugEvent } from '../src';
import { LLAMA, NOVA, prose, SONNET } from './support/fixtures';
import { useMockBedrock } from './support/mock-bedrock';

const mock = useMockBedrock();
const SECRET = 'SECRET-7f3a';
const secretSystem = `${SECRET} ${prose(3000)} ${SECRET}`;
const point = { bedrock: { cachePoint: { type: 'default' } } };

afterEach(() => vi.restoreAllMocks());

describe('debug output', () => {
  it('explains every placement decision as data', async () => {
    const events: CacheDebugEvent[] = [];
    const model = wrapLanguageModel({ model: mock.bedrock(SONNET), middleware: bedrockCacheMiddleware({ ledger: false, debug: (e) => events.push(e) }) });
    await generateText({ model, system: 'short', prompt: secretSystem });
    expect(events).toEqual([
      {
        modelId: SONNET,
        supported: true,
        decisions: [
          { role: 'last-message', index: 1, outcome: 'placed', why: 'ttl 5m' },
          { role: 'previous-request', outcome: 'skipped', why: 'no place for it in this prompt' },
          { role: 'system', index: 0, outcome: 'skipped', why: "prefix of at most ~3 tokens is below the model's minimum of 1024" },
          { role: 'tools', outcome: 'skipped', why: 'no place for it in this prompt' },
        ],
      },
    ]);
  });

  it('logs with console.debug when debug is true', async () => {
    const log = vi.spyOn(console, 'debug').mockImplementation(() => {});
    const model = wrapLanguageModel({ model: mock.bedrock(SONNET), middleware: bedrockCacheMiddleware({ ledger: false, debug: true }) });
    await generateText({ model, system: secretSystem, prompt: 'hi' });
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]![0]).toMatch(/^\[bedrock-cache\] us\.anthropic\.claude-sonnet-4-5.*\n {2}placed last-message @1: ttl 5m/);
  });
});

describe('no prompt content leaks', () => {
  it('into warnings, errors or debug output', async () => {
    const seen: unknown[] = [];
    const log = vi.spyOn(console, 'debug').mockImplementation((...args) => void seen.push(args));
    const run = async (modelId: string, options: Parameters<typeof bedrockCacheMiddleware>[0], messages: any[]) => {
      const model = wrapLanguageModel({ model: mock.bedrock(modelId), middleware: bedrockCacheMiddleware({ debug: true, ...options }) });
      try {
        // allowSystemInMessages: ai 7 would reject the system messages before the middleware runs
        const result = await generateText({ model, allowSystemInMessages: true, messages, maxRetries: 0 });
        seen.push(result.warnings);
      } catch (error) {
        seen.push(String(error), (error as Error).message);
      }
    };
    const many = [
      { role: 'system', content: secretSystem, providerOptions: point },
      ...[1, 2, 3, 4].flatMap((i) => [
        { role: 'user', content: `${SECRET} q${i}`, providerOptions: point },
        { role: 'assistant', content: `${SECRET} a${i}` },
      ]),
      { role: 'user', content: SECRET },
    ];
    await run(LLAMA, {}, [{ role: 'user', content: secretSystem }]);
    await run(LLAMA, { unsupportedModelBehavior: 'raise' }, [{ role: 'user', content: secretSystem }]);
    await run(NOVA, { ttl: '1h' }, [{ role: 'system', content: secretSystem }, { role: 'user', content: SECRET }]);
    await run(SONNET, {}, many);
    mock.reply({ error: { status: 400, type: 'ValidationException', message: 'There is nothing available to cache. Please remove the invalid cache point and try again.' } });
    await run(SONNET, {}, [{ role: 'system', content: secretSystem }, { role: 'user', content: SECRET }]);

    expect(log).toHaveBeenCalled();
    const text = JSON.stringify(seen);
    expect(text).toContain('bedrock prompt caching'); // the warnings were there
    expect(text).not.toContain(SECRET);
  });
});
