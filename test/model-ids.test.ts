/**
 * Every chat model id the installed provider ships (read from its source, so a provider
 * update that adds a model is covered without a code change), in every id form: Claude and
 * Nova text models cache, the Claude generations Bedrock never cached don't (shared doc §3),
 * nothing else does.
 */
import { generateText, streamText, wrapLanguageModel } from 'ai';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware } from '../src';
import { LONG_SYSTEM } from './support/fixtures';
import { cacheControlsOf, cachePointsOf, useMockBedrock } from './support/mock-bedrock';
import { providerChatModelIds } from './support/provider-source';

const mock = useMockBedrock();
const ids = providerChatModelIds();

/** §3: "Claude models that do not cache on Bedrock", written out here independently of src/. */
const NOT_CACHING_CLAUDE = /claude-(?:v2|instant|3-haiku|3-sonnet|3-opus|3-5-sonnet-20240620)/;
const expectCaching = (id: string) =>
  (id.includes('anthropic.claude') && !NOT_CACHING_CLAUDE.test(id)) || (/amazon\.nova-/.test(id) && !/canvas|reel|sonic/.test(id));

/** The same model, as the forms a user may pass it in. */
function idForms(id: string): string[] {
  const base = id.replace(/^[a-z-]+\.(?=[a-z0-9-]+\.)/, '');
  return [
    id,
    base === id
      ? `arn:aws:bedrock:us-east-1::foundation-model/${id}`
      : `arn:aws:bedrock:us-east-1:123456789012:inference-profile/${id}`,
  ];
}

async function converseCheckpoints(modelId: string) {
  const model = wrapLanguageModel({ model: mock.bedrock(modelId), middleware: bedrockCacheMiddleware() });
  const result = await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi', maxRetries: 0 });
  return { points: cachePointsOf(mock.last()), warnings: result.warnings ?? [] };
}

describe("the provider's model ids", () => {
  it('read from the installed provider include the generations this issue was about', () => {
    for (const id of ['anthropic.claude-sonnet-4-20250514-v1:0', 'anthropic.claude-opus-4-1-20250805-v1:0', 'anthropic.claude-opus-4-20250514-v1:0']) {
      expect(ids).toContain(id);
    }
    expect(ids.filter(expectCaching).length).toBeGreaterThan(20);
    expect(ids.filter((id) => !expectCaching(id)).length).toBeGreaterThan(5);
  });

  it.each(ids)('%s: Converse checkpoints exactly when the model caches', async (id) => {
    const { points, warnings } = await converseCheckpoints(id);
    if (expectCaching(id)) {
      expect(points.map((p) => p.at)).toEqual(['system[1]', 'messages[0][1]']);
      expect(warnings).toEqual([]);
    } else {
      expect(points).toEqual([]);
      expect(warnings).toEqual([expect.objectContaining({ type: 'unsupported', feature: 'bedrock prompt caching' })]);
    }
  });

  it.each(ids.filter((id) => id.includes('anthropic.claude')))('%s: InvokeModel cache_control exactly when the model caches', async (id) => {
    const model = wrapLanguageModel({ model: mock.anthropic(id), middleware: bedrockCacheMiddleware() });
    await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi', maxRetries: 0 });
    expect(cacheControlsOf(mock.last()).length > 0).toBe(expectCaching(id));
  });

  it('any id form (region prefix, ARN) is read the same way (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ids), fc.boolean(), async (id, asArn) => {
        const form = idForms(id)[asArn ? 1 : 0]!;
        const { points } = await converseCheckpoints(form);
        expect(points.length > 0).toBe(expectCaching(id));
      }),
      { numRuns: 60, seed: 20261201 },
    );
  });

  it('a 1h TTL reaches the wire only on models with extended TTL: never on Claude before 4.5, whatever modelFamily says', async () => {
    for (const id of ids.filter((i) => /claude-(?:sonnet-4-2025|opus-4-2025|opus-4-1|3-7|3-5)/.test(i) && expectCaching(i))) {
      const model = wrapLanguageModel({ model: mock.bedrock(id), middleware: bedrockCacheMiddleware({ ttl: '1h', modelFamily: 'anthropic', ledger: false }) }); // the mock reports 10 input tokens: the ledger would warn that nothing was cached
      const first = await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi', maxRetries: 0 });
      expect(cachePointsOf(mock.last()).map((p) => p.ttl)).toEqual([undefined, undefined]);
      expect(first.warnings).toEqual([expect.objectContaining({ message: expect.stringContaining('has no 1h cache TTL') })]);
      // said once per model, not on every call; streams send 5m too
      const second = streamText({ model, system: LONG_SYSTEM, prompt: 'Hi', maxRetries: 0 });
      await second.consumeStream();
      expect(cachePointsOf(mock.last()).map((p) => p.ttl)).toEqual([undefined, undefined]);
      expect((await second.warnings) ?? []).toEqual([]);
    }
  });
});
