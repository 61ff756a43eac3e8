/**
 * The minimum-token skip never skips a checkpoint that a recorded real exchange shows
 * Bedrock caching (issue 13): every request of conformance/fixtures/recorded/ that Bedrock
 * wrote or read at least the model's minimum for is rebuilt as an AI SDK prompt (checkpoints
 * removed) and planned; no checkpoint may be skipped for being "below the minimum" where
 * Bedrock cached. Those prompts include uppercase instructions with tool schemas that
 * Bedrock counted at 2.16 characters a token.
 */
import type { LanguageModelV3CallOptions, LanguageModelV3Message } from '@ai-sdk/provider';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelProfile } from '../src/model/model-profile';
import { planCheckpoints } from '../src/plan/plan-checkpoints';
import { readPrompt } from '../src/prompt/read-prompt';

const RECORDED = path.join(import.meta.dirname, '..', 'conformance', 'fixtures', 'recorded');
const DOCUMENT_TYPES: Record<string, string> = { pdf: 'application/pdf', csv: 'text/csv', txt: 'text/plain', md: 'text/markdown', html: 'text/html', doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', xls: 'application/vnd.ms-excel', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };

/** A recorded Converse body as the AI SDK call that would send it (no checkpoints). */
function asCall(body: Record<string, any>): LanguageModelV3CallOptions {
  const prompt: LanguageModelV3Message[] = [];
  for (const block of body.system ?? []) if (typeof block.text === 'string') prompt.push({ role: 'system', content: block.text });
  const names = new Map<string, string>();
  for (const message of body.messages ?? []) {
    const parts: any[] = [];
    const results: any[] = [];
    for (const block of message.content) {
      if (typeof block.text === 'string') parts.push({ type: 'text', text: block.text });
      else if (block.document) parts.push({ type: 'file', mediaType: DOCUMENT_TYPES[block.document.format], data: block.document.source.bytes, filename: block.document.name });
      else if (block.image) parts.push({ type: 'file', mediaType: `image/${block.image.format}`, data: block.image.source.bytes });
      else if (block.toolUse) {
        names.set(block.toolUse.toolUseId, block.toolUse.name);
        parts.push({ type: 'tool-call', toolCallId: block.toolUse.toolUseId, toolName: block.toolUse.name, input: block.toolUse.input });
      } else if (block.toolResult) {
        const text = (block.toolResult.content ?? []).map((c: any) => c.text ?? JSON.stringify(c.json ?? c)).join('\n');
        results.push({ type: 'tool-result', toolCallId: block.toolResult.toolUseId, toolName: names.get(block.toolResult.toolUseId) ?? 'tool', output: { type: 'text', value: text } });
      } else if (block.reasoningContent) {
        const r = block.reasoningContent.reasoningText ?? {};
        parts.push({ type: 'reasoning', text: r.text ?? '', providerOptions: { bedrock: { signature: r.signature ?? 'sig' } } });
      }
    }
    if (results.length > 0) prompt.push({ role: 'tool', content: results });
    if (parts.length > 0) prompt.push({ role: message.role, content: parts } as LanguageModelV3Message);
  }
  const tools = (body.toolConfig?.tools ?? [])
    .filter((t: any) => t.toolSpec)
    .map((t: any) => ({ type: 'function' as const, name: t.toolSpec.name, description: t.toolSpec.description, inputSchema: t.toolSpec.inputSchema?.json ?? {} }));
  return { prompt, ...(tools.length > 0 && { tools }) };
}

const cachedExchanges = readdirSync(RECORDED)
  .filter((file) => file.endsWith('.json'))
  .flatMap((file) => {
    const fixture = JSON.parse(readFileSync(path.join(RECORDED, file), 'utf8'));
    if (fixture.api !== 'converse' && fixture.api !== 'converse-stream') return [];
    return (fixture.recorded?.responses ?? []).flatMap((response: any, i: number) => {
      const cached = (response.usage?.cacheReadInputTokens ?? 0) + (response.usage?.cacheWriteInputTokens ?? 0);
      const body = fixture.steps?.[i]?.body;
      return cached > 0 && body ? [{ name: `${file} request ${i + 1}`, modelId: fixture.modelId as string, body, cached }] : [];
    });
  });

describe('token estimates against recorded real exchanges', () => {
  it('has recorded exchanges that cached, Claude and Nova', () => {
    expect(cachedExchanges.length).toBeGreaterThanOrEqual(5);
    expect(new Set(cachedExchanges.map((e) => e.modelId.includes('nova'))).size).toBe(2);
  });

  it.each(cachedExchanges)('$name ($cached tokens cached): no checkpoint skipped as below the minimum', ({ modelId, body, cached }) => {
    const match = modelProfile({ provider: 'amazon-bedrock', modelId });
    if (!match.supported) throw new Error(match.reason);
    const profile = match.profile;
    expect(cached).toBeGreaterThanOrEqual(profile.minTokens);
    const plan = planCheckpoints(readPrompt(asCall(body), profile), profile, {
      ttl: { tools: '5m', system: '5m', messages: '5m' },
      cache: { tools: true, system: true, messages: true },
      minMessagesToCache: 0,
      repairCheckpoints: true,
    });
    const last = plan.decisions.find((d) => d.role === 'last-message')!;
    expect(last.why).not.toMatch(/below the model's minimum/);
    expect(plan.checkpoints.some((c) => c.section === 'messages')).toBe(true);
    // and the estimate is an upper bound: never below what Bedrock really counted and cached
    const uncapped = readPrompt(asCall(body), { ...profile, minTokens: Number.POSITIVE_INFINITY });
    const estimate = uncapped.messageSlots.at(-1)!.tokens;
    console.log(`${modelId}: estimated ${estimate}, Bedrock cached ${cached} (${(estimate / cached).toFixed(2)}×)`);
    expect(estimate).toBeGreaterThanOrEqual(cached);
  });
});
