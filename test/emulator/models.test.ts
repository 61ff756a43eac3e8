import { describe, expect, it } from 'vitest';
import { BEDROCK_MODEL_TABLE, resolveModelSpec, toBaseModelId } from '../../src/emulator/models.js';

describe('emulator model table', () => {
  it('strips cross-region prefixes', () => {
    for (const prefix of ['us.', 'eu.', 'apac.', 'jp.', 'au.', 'us-gov.', 'global.']) {
      expect(toBaseModelId(`${prefix}anthropic.claude-sonnet-4-5-20250929-v1:0`)).toBe('anthropic.claude-sonnet-4-5-20250929-v1:0');
    }
    expect(toBaseModelId('amazon.nova-pro-v1:0')).toBe('amazon.nova-pro-v1:0');
  });

  it('unwraps system inference-profile and foundation-model ARNs, not application profiles', () => {
    expect(toBaseModelId('arn:aws:bedrock:us-east-1:123456789012:inference-profile/eu.anthropic.claude-opus-4-6-v1')).toBe(
      'anthropic.claude-opus-4-6-v1',
    );
    expect(toBaseModelId('arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0')).toBe('amazon.nova-lite-v1:0');
    const appProfile = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123';
    expect(toBaseModelId(appProfile)).toBe(appProfile);
    expect(resolveModelSpec(appProfile).caching).toBe(false);
  });

  it('has the shared doc §3 values', () => {
    expect(resolveModelSpec('us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toMatchObject({
      family: 'claude',
      minTokens: 1024,
      ttls: ['5m', '1h'],
      lookbackBlocks: 20,
    });
    expect(resolveModelSpec('anthropic.claude-opus-4-7').minTokens).toBe(4096);
    expect(resolveModelSpec('anthropic.claude-3-5-haiku-20241022-v1:0')).toMatchObject({ minTokens: 2048, ttls: ['5m'] });
    expect(resolveModelSpec('us.amazon.nova-2-lite-v1:0')).toMatchObject({
      family: 'nova',
      minTokens: 1000,
      ttls: ['5m'],
      toolCheckpoints: false,
      maxCachedTokens: 20_000,
    });
    expect(Object.keys(BEDROCK_MODEL_TABLE)).toHaveLength(14);
  });

  it('answers unknown models without caching, guessing the family', () => {
    expect(resolveModelSpec('meta.llama3-70b-instruct-v1:0')).toMatchObject({ family: 'other', caching: false });
    expect(resolveModelSpec('anthropic.claude-3-haiku-20240307-v1:0')).toMatchObject({ family: 'claude', caching: false });
  });

  it('applies overrides: aliases (application profiles) and partial specs', () => {
    const appProfile = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123';
    const models = {
      [appProfile]: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      'anthropic.claude-sonnet-4-6': { minTokens: 2048, ttls: ['5m'] as const },
    };
    expect(resolveModelSpec(appProfile, models)).toMatchObject({ family: 'claude', minTokens: 4096, caching: true });
    expect(resolveModelSpec('eu.anthropic.claude-sonnet-4-6', models)).toMatchObject({ minTokens: 2048, ttls: ['5m'], caching: true });
    expect(() => resolveModelSpec('a', { a: 'b', b: 'a' })).toThrow(/alias loop/);
  });
});
