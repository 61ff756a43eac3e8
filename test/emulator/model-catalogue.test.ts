/**
 * The emulator's model catalogue: the provider's ids as embedded data (checked against the
 * installed provider, so an update that adds a model fails here until the data is
 * regenerated), the id grammar, own-property lookups and `acceptUnknownModels`, on the wire.
 */
import { describe, expect, it } from 'vitest';
import { createBedrockEmulator, type BedrockEmulatorOptions } from '../../src/emulator/index.js';
import { PROVIDER_MODEL_IDS } from '../../src/emulator/model-catalogue.js';
import { lookupModelSpec, toBaseModelId } from '../../src/emulator/models.js';
import { providerAnthropicModelIds, providerChatModelIds } from '../support/provider-source.js';
import { converseBody } from './helpers.js';

const INVALID = 'The provided model identifier is invalid.';

async function send(modelId: string, operation = 'converse', options: BedrockEmulatorOptions = {}, body: unknown = converseBody()) {
  const emulator = createBedrockEmulator(options);
  const response = await emulator.handle(
    new Request(`https://bedrock-runtime.us-east-1.amazonaws.com/model/${encodeURIComponent(modelId)}/${operation}`, {
      method: 'POST',
      body: JSON.stringify(body),
    }),
  );
  return { status: response.status, errorType: response.headers.get('x-amzn-errortype'), body: (await response.json()) as Record<string, unknown> };
}

describe('the model catalogue', () => {
  it("holds every id the installed provider ships (run scripts/generate-model-catalogue.ts after a provider update)", () => {
    const installed = [...providerChatModelIds(), ...providerAnthropicModelIds()].map(toBaseModelId);
    expect(installed.length).toBeGreaterThan(40);
    expect(installed.filter((id) => !PROVIDER_MODEL_IDS.includes(id))).toEqual([]);
  });

  it('is answered in every id form Bedrock takes', () => {
    for (const id of PROVIDER_MODEL_IDS) {
      for (const form of [
        id,
        `us.${id}`,
        `global.${id}`,
        `arn:aws:bedrock:us-east-1::foundation-model/${id}`,
        `arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.${id}`,
      ]) {
        expect(lookupModelSpec(form), form).toBeDefined();
      }
    }
  });
});

describe('the model id grammar', () => {
  it('names a real family and a plausible version', () => {
    for (const id of [
      'anthropic.claude-opus-4-6-v1',
      'anthropic.claude-mythos-5',
      'anthropic.claude-sonnet-6-20270301-v1:0',
      'anthropic.claude-haiku-5-1',
      'anthropic.claude-3-7-sonnet-20250219-v1',
      'amazon.nova-2-pro-v1:0',
      'amazon.nova-2-omni-v1:0',
      'meta.llama4-behemoth-instruct-v1:0',
      'mistral.magistral-small-2509-v1:0',
      'qwen.qwen3-32b-v1:0',
    ]) {
      expect(lookupModelSpec(id), id).toBeDefined();
    }
    for (const id of [
      'anthropic.claude-sonet-4-5-20250929-v1:0', // typo in the family
      'anthropic.claude-nonexistent-9',
      'anthropic.claude-opus-4-5-20251399-v1:0', // no 13th month
      'anthropic.claude-opus-3', // no Claude 3 Opus of that shape
      'anthropic.claude-opus-99',
      'anthropic.claude-4-opus',
      'amazon.nova-mega-v1:0',
      'amazon.nova-pro',
      'meta.lama3-70b-instruct-v1:0',
      'openai.gpt-5',
      'acme.model-v1',
    ]) {
      expect(lookupModelSpec(id), id).toBeUndefined();
      expect(lookupModelSpec(`us.${id}`), id).toBeUndefined();
    }
  });

  it('looks up own properties only: Object.prototype names are unknown ids (issue: they answered 200)', () => {
    for (const id of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'anthropic.constructor', 'us.__proto__']) {
      expect(lookupModelSpec(id), id).toBeUndefined();
      expect(lookupModelSpec(id, {}, { acceptUnknownModels: true }), id).toBeUndefined();
    }
    // a `models` object from JSON can hold `__proto__` as its own key: that is a row like any other
    const models = JSON.parse('{"__proto__": {"caching": false}}') as Record<string, { caching: boolean }>;
    expect(lookupModelSpec('__proto__', models)).toMatchObject({ family: 'other', caching: false });
    expect(lookupModelSpec('constructor', models)).toBeUndefined();
  });

  it('acceptUnknownModels answers ids of Bedrock shape newer than the catalogue, by family', () => {
    const accept = { acceptUnknownModels: true };
    expect(lookupModelSpec('anthropic.claude-poem-7', {}, accept)).toMatchObject({ family: 'claude', caching: true, minTokens: 512, inferred: true });
    expect(lookupModelSpec('eu.amazon.nova-3-ultra-v1:0', {}, accept)).toMatchObject({ family: 'nova', caching: true, inferred: true });
    expect(lookupModelSpec('acme.model-v1', {}, accept)).toMatchObject({ family: 'other', caching: false });
    for (const id of ['anthropic.gpt-4', 'gpt-4o', '../../etc/passwd', 'ANTHROPIC.CLAUDE-SONNET-4-5', '']) {
      expect(lookupModelSpec(id, {}, accept), id).toBeUndefined();
    }
  });
});

describe('unknown model ids on the wire', () => {
  const unknown = ['us.anthropic.claude-sonet-4-5-20250929-v1:0', 'anthropic.claude-nonexistent-9', 'constructor', '__proto__', 'toString'];

  it.each(['converse', 'converse-stream', 'invoke', 'invoke-with-response-stream', 'count-tokens'])(
    '%s: 400 ValidationException "The provided model identifier is invalid." (shared doc §1)',
    async (operation) => {
      for (const id of unknown) {
        expect(await send(id, operation), id).toEqual({ status: 400, errorType: 'ValidationException', body: { message: INVALID } });
      }
    },
  );

  it('acceptUnknownModels / a models row answers a new id; garbage stays 400', async () => {
    expect((await send('anthropic.claude-nonexistent-9', 'converse', { acceptUnknownModels: true })).status).toBe(200);
    expect((await send('anthropic.claude-nonexistent-9', 'converse', { models: { 'anthropic.claude-nonexistent-9': 'anthropic.claude-opus-5' } })).status).toBe(200);
    expect(await send('constructor', 'converse', { acceptUnknownModels: true })).toMatchObject({ status: 400, body: { message: INVALID } });
  });
});
