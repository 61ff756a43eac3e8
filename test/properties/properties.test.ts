/**
 * Property tests: random calls, through the real provider, checked by the emulator's
 * Bedrock validator. Default: a few hundred cases with a fixed seed; `npm run soak`
 * runs PROPERTY_RUNS (10,000) and prints the count.
 */
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { createBedrockAnthropic } from '@ai-sdk/amazon-bedrock/anthropic';
import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { wrapLanguageModel } from 'ai';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware, type BedrockCacheMiddleware, type BedrockCacheOptions } from '../../src';
import { validateAnthropicRequest, validateConverseRequest } from '../../src/emulator';
import { deepFreeze } from '../support/fixtures';
import { LOADED } from '../support/versions';
import { APP_PROFILE_ARN, APP_PROFILE_MODEL, callArb, modelChoice, optionsArb, type ModelChoice } from './arbitraries';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);
const SEED = Number(process.env.PROPERTY_SEED ?? 20261122);
const validatorOptions = { models: { [APP_PROFILE_ARN]: APP_PROFILE_MODEL } };

interface Sent {
  body: Record<string, any>;
  verdict: ReturnType<typeof validateConverseRequest>;
}

/** The real provider, with a fetch that validates the body as Bedrock would and answers at once. */
function provider(choice: ModelChoice, sent: Sent[]) {
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body));
    const verdict = choice.api === 'converse'
      ? validateConverseRequest(choice.modelId, body, validatorOptions)
      : validateAnthropicRequest(choice.modelId, body, validatorOptions);
    sent.push({ body, verdict });
    const answer = choice.api === 'converse'
      ? { output: { message: { role: 'assistant', content: [{ text: 'ok' }] } }, stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } }
      : { id: 'm', type: 'message', role: 'assistant', model: 'claude', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } };
    void input;
    return Response.json(answer);
  };
  const settings = { region: 'us-east-1', accessKeyId: 'AKID', secretAccessKey: 'secret', fetch };
  return choice.api === 'converse' ? createAmazonBedrock(settings)(choice.modelId) : createBedrockAnthropic(settings)(choice.modelId);
}

/** Call options of the loaded provider: LanguageModelV3CallOptions (ai 6) or V4 (ai 7). */
type CallOptions = Parameters<ReturnType<ReturnType<typeof createAmazonBedrock>>['doGenerate']>[0];

/**
 * The generated (V3) call options in the loaded provider's spec. V4 (ai 7) differs only where
 * the arbitraries reach in file parts, whose data it tags: `{ type: 'data', data }`.
 */
function inLoadedSpec(params: LanguageModelV3CallOptions): CallOptions {
  if (LOADED.amazonBedrock < 5) return params as unknown as CallOptions;
  const prompt = params.prompt.map((message) =>
    message.role === 'system' || !message.content.some((part) => part.type === 'file')
      ? message
      : { ...message, content: message.content.map((part) => (part.type === 'file' ? { ...part, data: { type: 'data', data: part.data } } : part)) },
  );
  return { ...params, prompt } as unknown as CallOptions;
}

/** The `/anthropic` provider sends only images, PDFs and plain text as files (it throws on other types). */
const ANTHROPIC_FILES = /^(?:image\/|application\/pdf$|text\/plain$)/;
function forApi(choice: ModelChoice, params: LanguageModelV3CallOptions): LanguageModelV3CallOptions {
  if (choice.api === 'converse') return params;
  const prompt = params.prompt.map((message) =>
    message.role === 'user'
      ? { ...message, content: message.content.filter((part) => part.type !== 'file' || ANTHROPIC_FILES.test(part.mediaType)) }
      : message,
  ).filter((message) => message.role === 'system' || message.content.length > 0) as LanguageModelV3CallOptions['prompt'];
  return { ...params, prompt };
}

async function send(choice: ModelChoice, params: CallOptions, middleware: BedrockCacheMiddleware[]): Promise<Sent> {
  const sent: Sent[] = [];
  const base = provider(choice, sent);
  const model = middleware.length > 0 ? wrapLanguageModel({ model: base, middleware }) : base;
  await model.doGenerate(params);
  return sent[0]!;
}

const counts = { runs: 0, validBaselines: 0, withCheckpointsAdded: 0 };

afterAll(() => {
  console.log(
    `property runs: ${counts.runs} (baseline accepted: ${counts.validBaselines}, checkpoints added: ${counts.withCheckpointsAdded}), seed ${SEED}`,
  );
});

const cachePointCount = (body: Record<string, any>) => JSON.stringify(body).split(/"cachePoint"|"cache_control"/).length - 1;

describe('for random calls', () => {
  it('a request Bedrock would accept stays accepted, the input is untouched, and a second pass changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(modelChoice, callArb, optionsArb, async (choice, params, rawOptions) => {
        counts.runs++;
        const options: BedrockCacheOptions = { ...rawOptions, ...(choice.modelFamily && { modelFamily: choice.modelFamily }) };
        const frozen = deepFreeze(inLoadedSpec(forApi(choice, params)));
        const snapshot = structuredClone(frozen);

        const baseline = await send(choice, frozen, []);
        const once = await send(choice, frozen, [bedrockCacheMiddleware(options)]);
        const twice = await send(choice, frozen, [bedrockCacheMiddleware(options), bedrockCacheMiddleware(options)]);

        expect(frozen).toEqual(snapshot);
        expect(twice.body).toEqual(once.body);
        if (baseline.verdict.ok) {
          counts.validBaselines++;
          expect(once.verdict).toEqual({ ok: true });
        }
        if (cachePointCount(once.body) > cachePointCount(baseline.body)) counts.withCheckpointsAdded++;
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // the properties must not hold vacuously
    expect(counts.validBaselines).toBeGreaterThan(RUNS * 0.5);
    expect(counts.withCheckpointsAdded).toBeGreaterThan(RUNS * 0.3);
  }, 600_000);

  it('nothing is marked for models without caching', async () => {
    const uncachedModel = fc.record({
      modelId: fc.constantFrom('meta.llama3-3-70b-instruct-v1:0', 'us.mistral.pixtral-large-2502-v1:0', 'us.deepseek.r1-v1:0', 'openai.gpt-oss-120b-1:0', 'cohere.command-r-plus-v1:0'),
      api: fc.constant('converse' as const),
    });
    await fc.assert(
      fc.asyncProperty(uncachedModel, callArb, optionsArb, async (choice, params, options) => {
        const call = inLoadedSpec(params);
        const baseline = await send(choice, call, []);
        const once = await send(choice, call, [bedrockCacheMiddleware(options)]);
        expect(once.body).toEqual(baseline.body);
      }),
      { numRuns: Math.ceil(RUNS / 5), seed: SEED },
    );
  }, 600_000);
});
