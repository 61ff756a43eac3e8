import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { generateText, wrapLanguageModel } from 'ai';
import { describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware } from '../src';
import { HAIKU, LONG_SYSTEM, SONNET } from './support/fixtures';
import { cachePointsOf, useMockBedrock } from './support/mock-bedrock';
import { LOADED } from './support/versions';

/** What each CI leg installs (the compatibility table in docs/examples-and-compatibility.md). */
const LINES = {
  '6': { ai: 6, amazonBedrock: 4, provider: 3, msw: 2, vitest: 4, minNode: 20, modelSpec: 'v3' },
  '7': { ai: 7, amazonBedrock: 5, provider: 4, msw: 3, vitest: 5, minNode: 22, modelSpec: 'v4' },
} as const;

const lineName = process.env.AI_SDK_LINE ?? '6';
const line = LINES[lineName as keyof typeof LINES];
const mock = useMockBedrock();

describe(`the AI SDK line under test (AI_SDK_LINE=${lineName})`, () => {
  it('is the one this leg installs, not another copy found on the way', () => {
    expect(line, `unknown AI_SDK_LINE ${lineName}`).toBeDefined();
    const { minNode, modelSpec: _, ...majors } = line;
    const { node, ...loaded } = LOADED;
    expect(loaded).toEqual(majors);
    expect(node).toBeGreaterThanOrEqual(minNode);
  });

  it("runs the middleware inside that line's wrapLanguageModel", async () => {
    // the running code, not just a package.json: ai 7 wraps into a v4 model, ai 6 into v3
    const bedrock = createAmazonBedrock({ region: 'us-east-1', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' });
    const model = wrapLanguageModel({ model: bedrock(SONNET), middleware: bedrockCacheMiddleware() });
    expect(model.specificationVersion).toBe(line.modelSpec);
    expect(bedrock(SONNET).specificationVersion).toBe(line.modelSpec);

    mock.usage({ inputTokens: 4, cacheWriteInputTokens: 2000 });
    const result = await generateText({ model: wrapLanguageModel({ model: mock.bedrock(SONNET), middleware: bedrockCacheMiddleware() }), system: LONG_SYSTEM, prompt: 'Hi' });
    expect(result.providerMetadata?.bedrock?.usage).toMatchObject({ cacheWriteInputTokens: 2000, cacheReadInputTokens: 0, inputTokens: 4 });
    // provider 5 reports under amazonBedrock too, and the middleware completes both
    if (line.amazonBedrock >= 5) expect(result.providerMetadata?.amazonBedrock?.usage).toEqual(result.providerMetadata?.bedrock?.usage);
    else expect(result.providerMetadata?.amazonBedrock).toBeUndefined();
  });

  it('estimates file parts alike on both lines (ai 7 tags file data)', async () => {
    // ~2 KB of PDF and a short question stay below Haiku 4.5's 4,096-token minimum: no checkpoint
    const pdf = new TextEncoder().encode(`%PDF-1.4 ${'x'.repeat(2000)}`);
    const model = wrapLanguageModel({ model: mock.bedrock(HAIKU), middleware: bedrockCacheMiddleware() });
    await generateText({
      model,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Summarise.' }, { type: 'file', data: pdf, mediaType: 'application/pdf' }] }],
    });
    expect(mock.last().messages[0].content.some((block: any) => 'document' in block)).toBe(true);
    expect(cachePointsOf(mock.last())).toEqual([]);
  });
});
