import { describe, expect, it } from 'vitest';
import { lookupModelSpec, resolveModelSpec, toBaseModelId } from '../../src/emulator/models.js';
import { providerChatModelIds } from '../support/provider-source.js';

/** shared doc §3: the Claude models that don't cache on Bedrock. */
const CLAUDE_WITHOUT_CACHING = new Set([
  'anthropic.claude-v2',
  'anthropic.claude-v2:1',
  'anthropic.claude-instant-v1',
  'anthropic.claude-3-sonnet-20240229-v1:0',
  'anthropic.claude-3-haiku-20240307-v1:0',
  'anthropic.claude-3-opus-20240229-v1:0',
  'anthropic.claude-3-5-sonnet-20240620-v1:0',
]);

describe('emulator model ids', () => {
  it('strips cross-region prefixes', () => {
    for (const prefix of ['us.', 'eu.', 'apac.', 'jp.', 'au.', 'ca.', 'us-gov.', 'global.']) {
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
    // answered (Bedrock knows the profile), but nothing says what it runs: no caching without an alias
    expect(lookupModelSpec(appProfile)).toMatchObject({ caching: false });
  });

  it('knows every id the installed provider ships, in every form', () => {
    const ids = providerChatModelIds();
    for (const id of ids) {
      const base = toBaseModelId(id);
      for (const form of [id, `global.${base}`, `arn:aws:bedrock:us-east-1::foundation-model/${base}`, `arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.${base}`]) {
        expect(lookupModelSpec(form), form).toBeDefined();
      }
    }
  });

  it('caches every Claude in the provider list but the deny-listed ones (shared doc §3)', () => {
    const claude = providerChatModelIds().filter((id) => toBaseModelId(id).startsWith('anthropic.claude'));
    expect(claude.length).toBeGreaterThan(20);
    for (const id of claude) {
      const spec = resolveModelSpec(id);
      expect(spec.family, id).toBe('claude');
      expect(spec.caching, id).toBe(!CLAUDE_WITHOUT_CACHING.has(toBaseModelId(id)));
      if (spec.caching) expect(spec, id).toMatchObject({ lookbackBlocks: 20, toolCheckpoints: true });
    }
    // the deny-list is exercised by the provider's own ids
    expect(claude.filter((id) => !resolveModelSpec(id).caching).map(toBaseModelId)).toEqual(
      expect.arrayContaining([...CLAUDE_WITHOUT_CACHING]),
    );
  });

  it('caches every Nova text model in the provider list; other vendors are answered without caching', () => {
    for (const id of providerChatModelIds()) {
      const base = toBaseModelId(id);
      const spec = resolveModelSpec(id);
      if (base.startsWith('amazon.nova-')) {
        expect(spec, id).toMatchObject({ family: 'nova', caching: true, ttls: ['5m'], toolCheckpoints: false, maxCachedTokens: 20_000 });
      } else if (!base.startsWith('anthropic.')) {
        expect(spec, id).toMatchObject({ family: 'other', caching: false });
      }
    }
  });

  it('has the shared doc §3 figures where the doc gives them', () => {
    const rows: Array<[string, number, string[]]> = [
      ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 1024, ['5m', '1h']],
      ['anthropic.claude-opus-4-7', 4096, ['5m', '1h']],
      ['anthropic.claude-opus-4-6-v1', 4096, ['5m', '1h']],
      ['anthropic.claude-sonnet-4-6', 1024, ['5m', '1h']],
      ['us.anthropic.claude-sonnet-4-6-v1', 1024, ['5m', '1h']],
      ['anthropic.claude-3-5-haiku-20241022-v1:0', 2048, ['5m']],
      ['anthropic.claude-sonnet-4-20250514-v1:0', 1024, ['5m']],
      ['anthropic.claude-opus-4-20250514-v1:0', 1024, ['5m']],
      ['anthropic.claude-opus-4-1-20250805-v1:0', 1024, ['5m']],
      ['anthropic.claude-opus-4-8', 1024, ['5m', '1h']],
      ['anthropic.claude-sonnet-5', 1024, ['5m', '1h']],
      ['anthropic.claude-sonnet-5-5', 1024, ['5m', '1h']],
      ['anthropic.claude-opus-5', 512, ['5m', '1h']],
      ['anthropic.claude-opus-5-5', 512, ['5m', '1h']],
      ['anthropic.claude-fable-5', 512, ['5m', '1h']],
      ['global.anthropic.claude-fable-5-1', 512, ['5m', '1h']],
    ];
    for (const [id, minTokens, ttls] of rows) {
      expect(resolveModelSpec(id), id).toMatchObject({ family: 'claude', caching: true, minTokens, ttls });
      expect(resolveModelSpec(id).inferred, id).toBeUndefined();
    }
    expect(resolveModelSpec('us.amazon.nova-2-lite-v1:0')).toMatchObject({ family: 'nova', minTokens: 1000, ttls: ['5m'] });
  });

  it('infers newer Claude and Nova text models from their family, and marks them inferred', () => {
    expect(resolveModelSpec('us.anthropic.claude-mythos-5')).toMatchObject({ caching: true, minTokens: 512, ttls: ['5m', '1h'], inferred: true });
    expect(resolveModelSpec('anthropic.claude-haiku-4-9-20270101-v1:0')).toMatchObject({ caching: true, minTokens: 1024, ttls: ['5m', '1h'], inferred: true });
    expect(resolveModelSpec('anthropic.claude-sonnet-4-2-20260101-v1:0')).toMatchObject({ minTokens: 1024, ttls: ['5m'], inferred: true });
    expect(resolveModelSpec('eu.amazon.nova-2-pro-v1:0')).toMatchObject({ family: 'nova', caching: true, inferred: true });
    for (const notText of ['amazon.nova-canvas-v1:0', 'amazon.nova-reel-v1:1', 'amazon.nova-sonic-v1:0', 'amazon.nova-2-sonic-v1:0', 'amazon.nova-2-multimodal-embeddings-v1:0']) {
      expect(resolveModelSpec(notText), notText).toMatchObject({ caching: false });
    }
  });

  it('does not know ids outside Bedrock\'s catalogue (shared doc §1 2026-12)', () => {
    for (const id of ['../../etc/passwd', '..%2F..', 'acme.model-v1', 'anthropic.gpt-4', 'gpt-4o', '', 'ANTHROPIC.CLAUDE-SONNET-4-5', 'arn:aws:s3:::bucket/key']) {
      expect(lookupModelSpec(id), id).toBeUndefined();
    }
    expect(resolveModelSpec('../../etc/passwd')).toMatchObject({ caching: false });
  });

  it('applies overrides: aliases (application profiles), partial specs, new ids', () => {
    const appProfile = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123';
    const models = {
      [appProfile]: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      'anthropic.claude-sonnet-4-6': { minTokens: 2048, ttls: ['5m'] as const },
      'acme.private-model-v1': { caching: true, minTokens: 10, ttls: ['5m'] as const },
      'amazon.nova-2-lite-v1:0': { messageCheckpoints: 'reject' as const },
    };
    expect(resolveModelSpec(appProfile, models)).toMatchObject({ family: 'claude', minTokens: 4096, caching: true });
    expect(resolveModelSpec('eu.anthropic.claude-sonnet-4-6', models)).toMatchObject({ minTokens: 2048, ttls: ['5m'], caching: true });
    expect(lookupModelSpec('acme.private-model-v1', models)).toMatchObject({ family: 'other', caching: true, minTokens: 10 });
    expect(resolveModelSpec('us.amazon.nova-2-lite-v1:0', models)).toMatchObject({ family: 'nova', caching: true, messageCheckpoints: 'reject' });
    expect(() => resolveModelSpec('a', { a: 'b', b: 'a' })).toThrow(/alias loop/);
  });
});
