import type { StreamEvent } from './event-stream.js';
import type { CacheOutcome } from './prompt-cache.js';
import type { ModelReply, ReplyBlock } from './replies.js';
import type { PromptLayout } from './prompt-layout.js';
import type { EmulatorModelSpec, EmulatorUsage } from './types.js';

/** Usage in Converse naming (shared doc §2), the form the emulator logs. */
export function toEmulatorUsage(outcome: CacheOutcome, outputTokens: number): EmulatorUsage {
  const cacheDetails: EmulatorUsage['cacheDetails'] = [];
  // shared doc §2: writes by TTL, 1h first.
  if (outcome.writesByTtl['1h'] > 0) cacheDetails.push({ ttl: '1h', inputTokens: outcome.writesByTtl['1h'] });
  if (outcome.writesByTtl['5m'] > 0) cacheDetails.push({ ttl: '5m', inputTokens: outcome.writesByTtl['5m'] });
  return {
    inputTokens: outcome.uncachedInputTokens,
    outputTokens,
    cacheReadInputTokens: outcome.cacheReadInputTokens,
    cacheWriteInputTokens: outcome.cacheWriteInputTokens,
    cacheDetails,
  };
}

/** Which usage fields a Converse answer carries. */
export interface ConverseUsageShape {
  /** Include `cacheDetails` (when something was written). */
  cacheDetails: boolean;
  /** Include the cache counters and their twins (see `converseUsage`). */
  cacheCounters: boolean;
}

/**
 * Whether a model reports cache counters on a request (recorded real responses, Pydantic AI's
 * `tests/models/cassettes/test_bedrock/`, shared doc §1 2026-12): Claude always does, as 0
 * without a checkpoint; Nova only when the request carried a checkpoint. Other vendors: like
 * Nova (a guess; they take no checkpoint).
 */
export function reportsCacheCounters(family: EmulatorModelSpec['family'], layout: PromptLayout): boolean {
  return family === 'claude' || layout.checkpoints.length > 0;
}

/**
 * Whether a model reports `cacheDetails` with a write: Claude does; the recorded Nova write
 * (Pydantic AI's `test_bedrock_cache_point_adds_cache_control[nova-lite]` cassette) has none.
 */
export function reportsCacheDetails(family: EmulatorModelSpec['family']): boolean {
  return family === 'claude';
}

/**
 * Converse `usage`: `inputTokens` is the uncached input only; `totalTokens` counts all input
 * (uncached + read + write) plus output; `cacheReadInputTokens` / `cacheWriteInputTokens` and
 * their twins `cacheReadInputTokenCount` / `cacheWriteInputTokenCount` (same values) when the
 * model reports them; `serverToolUsage: {}` always; `cacheDetails` only when something was
 * written and asked for (shared doc §1 2026-12, §2).
 */
export function converseUsage(usage: EmulatorUsage, shape: ConverseUsageShape): Record<string, unknown> {
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    totalTokens: usage.inputTokens + usage.cacheReadInputTokens + usage.cacheWriteInputTokens + usage.outputTokens,
    ...(shape.cacheCounters
      ? {
          cacheReadInputTokens: usage.cacheReadInputTokens,
          cacheReadInputTokenCount: usage.cacheReadInputTokens,
          cacheWriteInputTokens: usage.cacheWriteInputTokens,
          cacheWriteInputTokenCount: usage.cacheWriteInputTokens,
        }
      : {}),
    serverToolUsage: {},
    ...(shape.cacheDetails && usage.cacheDetails.length > 0 ? { cacheDetails: usage.cacheDetails } : {}),
  };
}

/** A deterministic latency: cached tokens are cheaper to process than uncached ones. */
export function emulatedLatencyMs(usage: EmulatorUsage): number {
  return (
    20 +
    Math.ceil((usage.inputTokens + usage.cacheWriteInputTokens) / 100) +
    Math.ceil(usage.cacheReadInputTokens / 1000) +
    5 * usage.outputTokens
  );
}

function toConverseBlock(block: ReplyBlock): Record<string, unknown> {
  switch (block.type) {
    case 'reasoning':
      return { reasoningContent: { reasoningText: { text: block.text, signature: block.signature } } };
    case 'text':
      return { text: block.text };
    case 'toolUse':
      return { toolUse: { toolUseId: block.id, name: block.name, input: block.input } };
  }
}

/** The Converse response body. */
export function converseResponseBody(reply: ModelReply, usage: EmulatorUsage, shape: ConverseUsageShape): Record<string, unknown> {
  return {
    output: { message: { role: 'assistant', content: reply.blocks.map(toConverseBlock) } },
    stopReason: reply.stopReason,
    usage: converseUsage(usage, shape),
    metrics: { latencyMs: emulatedLatencyMs(usage) },
  };
}

/** Splits text into deltas of a few words, as a stream would deliver it. */
export function textDeltas(text: string, wordsPerDelta = 4): string[] {
  const parts = text.match(/\S+\s*|\s+/g) ?? [text];
  const deltas: string[] = [];
  for (let i = 0; i < parts.length; i += wordsPerDelta) deltas.push(parts.slice(i, i + wordsPerDelta).join(''));
  return deltas.length > 0 ? deltas : [text];
}

/**
 * ConverseStream events (shared doc §8): messageStart, per block contentBlockStart (tool use
 * only, as Bedrock does) / contentBlockDelta… / contentBlockStop, messageStop, metadata with
 * usage and metrics.
 */
export function converseStreamEvents(reply: ModelReply, usage: EmulatorUsage, shape: ConverseUsageShape): StreamEvent[] {
  const events: StreamEvent[] = [{ eventType: 'messageStart', payload: { role: 'assistant' } }];
  for (const [contentBlockIndex, block] of reply.blocks.entries()) {
    const delta = (value: Record<string, unknown>) =>
      events.push({ eventType: 'contentBlockDelta', payload: { contentBlockIndex, delta: value } });
    switch (block.type) {
      case 'reasoning':
        for (const text of textDeltas(block.text)) delta({ reasoningContent: { text } });
        delta({ reasoningContent: { signature: block.signature } });
        break;
      case 'text':
        for (const text of textDeltas(block.text)) delta({ text });
        break;
      case 'toolUse':
        events.push({
          eventType: 'contentBlockStart',
          payload: { contentBlockIndex, start: { toolUse: { toolUseId: block.id, name: block.name } } },
        });
        delta({ toolUse: { input: JSON.stringify(block.input) } });
        break;
    }
    events.push({ eventType: 'contentBlockStop', payload: { contentBlockIndex } });
  }
  events.push({ eventType: 'messageStop', payload: { stopReason: reply.stopReason } });
  events.push({
    eventType: 'metadata',
    payload: { usage: converseUsage(usage, shape), metrics: { latencyMs: emulatedLatencyMs(usage) } },
  });
  return events;
}
