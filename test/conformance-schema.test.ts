import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { describe, expect, it } from 'vitest';
import { compareOutcome } from '../conformance/compare-outcome.js';
import { expandPlaceholders, fillerWords } from '../conformance/expand-placeholders.js';
import { loadFixtures } from '../conformance/load-fixtures.js';
import { validateFixture } from '../conformance/schema.js';
import { parseResponse } from '../conformance/wire.js';

const valid = {
  description: 'An unknown model id is rejected.',
  rule: '§1 An unknown model id',
  api: 'converse',
  modelId: 'example.not-a-model-v1:0',
  body: { messages: [{ role: 'user', content: [{ text: 'hi' }] }] },
  expect: { status: 400, errorType: 'ValidationException', message: 'The provided model identifier is invalid.' },
  evidence: [{ source: 'iOfficeAI/AionCore#377', seen: '2026-12' }],
};

describe('conformance fixture schema', () => {
  it('accepts a well-formed fixture', () => {
    expect(validateFixture(valid, 'converse/unknown-model', 'x.json')).toMatchObject({ ok: true, fixture: { id: 'converse/unknown-model' } });
  });

  it('names every problem of a broken fixture', () => {
    const broken = {
      ...valid,
      evidence: [],
      expect: { status: 400, errorType: 'ValidationException' },
      extra: true,
    };
    const result = validateFixture(broken, 'converse/unknown-model', 'x.json');
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors.join('\n');
    expect(errors).toMatch(/evidence/);
    expect(errors).toMatch(/extra/);
  });

  it('rejects a sameAs that points forward, and ids outside <section>/<rule>', () => {
    const steps = {
      ...valid,
      body: undefined,
      expect: undefined,
      steps: [{ body: {}, expect: { status: 200, usage: { cacheReadInputTokens: { sameAs: { step: 1, field: 'cacheWriteInputTokens' } } } } }, { body: {}, expect: { status: 200 } }],
    };
    const result = validateFixture(JSON.parse(JSON.stringify(steps)), 'Bad Id', 'x.json');
    expect(result.ok ? [] : result.errors).toEqual([
      'id "Bad Id": use fixtures/<section>/<rule>.json in kebab-case',
      'step 0 cacheReadInputTokens: sameAs must name an earlier request',
    ]);
  });

  it('refuses to load a directory with an invalid fixture, naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fixtures-'));
    mkdirSync(join(dir, 'converse'));
    writeFileSync(join(dir, 'converse', 'good.json'), JSON.stringify(valid));
    writeFileSync(join(dir, 'converse', 'bad.json'), JSON.stringify({ ...valid, api: 'chat' }));
    expect(() => loadFixtures(dir)).toThrow(/converse\/bad: api/);
  });

  it('loads the shipped fixtures, each with evidence, and every recorded one with its source commit', () => {
    const fixtures = loadFixtures();
    expect(fixtures.every((fixture) => fixture.evidence.length > 0)).toBe(true);
    for (const fixture of fixtures.filter((candidate) => candidate.id.startsWith('recorded/'))) {
      expect(fixture.recorded?.commit, fixture.id).toMatch(/^[0-9a-f]{40}$/);
    }
  });
});

describe('conformance placeholders and comparison', () => {
  it('expands {{nonce}} and {{words:N}} inside strings only', () => {
    const body = { system: [{ text: '{{nonce}} {{words:32}}' }], n: 3 };
    const expanded = expandPlaceholders(body, 'run-abc') as { system: Array<{ text: string }>; n: number };
    expect(expanded.system[0]?.text.startsWith('run-abc ')).toBe(true);
    expect(expanded.system[0]?.text.split(/\s+/).filter(Boolean)).toHaveLength(33);
    expect(expanded.n).toBe(3);
    expect(fillerWords(5)).toBe(fillerWords(5));
  });

  it('holds recorded counts to their tolerance or slack, and rejections to their exact text', () => {
    const usage = { inputTokens: 2, cacheReadInputTokens: 0, cacheWriteInputTokens: 1100, cachedInputTokens: 1100, totalInputTokens: 1102 };
    const within = compareOutcome({ status: 200, usage: { cacheWriteInputTokens: { approx: 1322, tolerance: 0.2 } } }, { status: 200, usage }, []);
    expect(within.differences).toEqual([]);
    const outside = compareOutcome({ status: 200, usage: { cacheWriteInputTokens: { approx: 1500, tolerance: 0.2 } } }, { status: 200, usage }, []);
    expect(outside.differences).toEqual(['cacheWriteInputTokens 1100, recorded 1500 (±20% or ±10)']);
    const text = compareOutcome(
      { status: [400, 403], errorType: 'ValidationException', message: 'exact.' },
      { status: 403, errorType: 'ValidationException', message: 'exact!' },
      [],
    );
    expect(text.differences).toEqual(['message "exact!", expected "exact."']);
  });

  it('parses error types with Coral suffixes and stream exceptions alike', () => {
    const json = parseResponse('converse', {
      status: 400,
      headers: { 'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/' },
      body: new TextEncoder().encode('{"message":"bad"}'),
    });
    expect(json).toEqual({ status: 400, errorType: 'ValidationException', message: 'bad' });
    const frame = new EventStreamCodec(toUtf8, fromUtf8).encode({
      headers: {
        ':message-type': { type: 'string', value: 'exception' },
        ':exception-type': { type: 'string', value: 'throttlingException' },
        ':content-type': { type: 'string', value: 'application/json' },
      },
      body: fromUtf8('{"message":"slow down"}'),
    });
    expect(parseResponse('converse-stream', { status: 200, headers: {}, body: frame })).toEqual({
      status: 429,
      errorType: 'ThrottlingException',
      message: 'slow down',
    });
  });
});
