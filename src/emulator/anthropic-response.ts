import { emulatedLatencyMs, textDeltas } from './converse-response.js';
import type { StreamEvent } from './event-stream.js';
import type { ModelReply, ReplyBlock } from './replies.js';
import type { EmulatorUsage } from './types.js';

/**
 * Anthropic Messages `usage` as Bedrock InvokeModel returns it (shared doc §5):
 * `input_tokens` (uncached), `cache_read_input_tokens`, `cache_creation_input_tokens` and the
 * split `cache_creation.ephemeral_5m_input_tokens` / `ephemeral_1h_input_tokens`. A model
 * without caching reports none of the cache fields (recorded: Claude 3 Haiku, 2025-08,
 * traceloop/openllmetry's `test_async_anthropic_bedrock_regular_create.yaml`: `input_tokens` and
 * `output_tokens` only, and no cache-count headers).
 */
export function anthropicUsage(usage: EmulatorUsage, cacheFields: boolean, outputTokens = usage.outputTokens): Record<string, unknown> {
  const byTtl = (ttl: '5m' | '1h') => usage.cacheDetails.find((d) => d.ttl === ttl)?.inputTokens ?? 0;
  if (!cacheFields) return { input_tokens: usage.inputTokens, output_tokens: outputTokens };
  return {
    input_tokens: usage.inputTokens,
    cache_creation_input_tokens: usage.cacheWriteInputTokens,
    cache_read_input_tokens: usage.cacheReadInputTokens,
    cache_creation: { ephemeral_5m_input_tokens: byTtl('5m'), ephemeral_1h_input_tokens: byTtl('1h') },
    output_tokens: outputTokens,
  };
}

function toAnthropicBlock(block: ReplyBlock): Record<string, unknown> {
  switch (block.type) {
    case 'reasoning':
      return { type: 'thinking', thinking: block.text, signature: block.signature };
    case 'text':
      return { type: 'text', text: block.text };
    case 'toolUse':
      return { type: 'tool_use', id: block.id, name: block.name, input: block.input };
  }
}

/** The model name Anthropic reports: the base id without vendor prefix and version suffix. */
export function anthropicModelName(baseModelId: string): string {
  return baseModelId.replace(/^anthropic\./, '').replace(/-v\d+(?::\d+)?$/, '');
}

/** The InvokeModel response body (Anthropic Messages format). */
export function anthropicResponseBody(
  reply: ModelReply,
  usage: EmulatorUsage,
  messageId: string,
  model: string,
  cacheFields: boolean,
): Record<string, unknown> {
  return {
    id: messageId,
    type: 'message',
    role: 'assistant',
    model,
    content: reply.blocks.map(toAnthropicBlock),
    stop_reason: reply.stopReason,
    stop_sequence: null,
    usage: anthropicUsage(usage, cacheFields),
  };
}

/** Bedrock's token-count response headers of InvokeModel (the cache counts only from a model that caches, as in the body). */
export function invokeModelUsageHeaders(usage: EmulatorUsage, cacheFields: boolean): Record<string, string> {
  return {
    'x-amzn-bedrock-input-token-count': String(usage.inputTokens),
    'x-amzn-bedrock-output-token-count': String(usage.outputTokens),
    ...(cacheFields && {
      'x-amzn-bedrock-cache-read-input-token-count': String(usage.cacheReadInputTokens),
      'x-amzn-bedrock-cache-write-input-token-count': String(usage.cacheWriteInputTokens),
    }),
    'x-amzn-bedrock-invocation-latency': String(emulatedLatencyMs(usage)),
  };
}

/** Wraps an Anthropic SSE event as Bedrock's `chunk` event: `{"bytes": base64(JSON)}` (shared doc §8). */
function chunk(event: Record<string, unknown>): StreamEvent {
  return { eventType: 'chunk', payload: { bytes: Buffer.from(JSON.stringify(event), 'utf8').toString('base64') } };
}

/**
 * InvokeModelWithResponseStream events: message_start (with input usage), per block
 * content_block_start / _delta… / _stop, message_delta (stop reason and usage),
 * message_stop carrying Bedrock's `amazon-bedrock-invocationMetrics`.
 */
export function anthropicStreamEvents(
  reply: ModelReply,
  usage: EmulatorUsage,
  messageId: string,
  model: string,
  cacheFields: boolean,
): StreamEvent[] {
  const events: StreamEvent[] = [
    chunk({
      type: 'message_start',
      message: {
        id: messageId,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: anthropicUsage(usage, cacheFields, 1),
      },
    }),
  ];
  for (const [index, block] of reply.blocks.entries()) {
    const delta = (value: Record<string, unknown>) => events.push(chunk({ type: 'content_block_delta', index, delta: value }));
    switch (block.type) {
      case 'reasoning':
        events.push(chunk({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } }));
        for (const thinking of textDeltas(block.text)) delta({ type: 'thinking_delta', thinking });
        delta({ type: 'signature_delta', signature: block.signature });
        break;
      case 'text':
        events.push(chunk({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
        for (const text of textDeltas(block.text)) delta({ type: 'text_delta', text });
        break;
      case 'toolUse':
        events.push(
          chunk({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } }),
        );
        delta({ type: 'input_json_delta', partial_json: JSON.stringify(block.input) });
        break;
    }
    events.push(chunk({ type: 'content_block_stop', index }));
  }
  events.push(
    chunk({
      type: 'message_delta',
      delta: { stop_reason: reply.stopReason, stop_sequence: null },
      usage: anthropicUsage(usage, cacheFields),
    }),
  );
  events.push(
    chunk({
      type: 'message_stop',
      'amazon-bedrock-invocationMetrics': {
        inputTokenCount: usage.inputTokens,
        outputTokenCount: usage.outputTokens,
        invocationLatency: emulatedLatencyMs(usage),
        firstByteLatency: emulatedLatencyMs({ ...usage, outputTokens: 0 }),
        ...(cacheFields && { cacheReadInputTokenCount: usage.cacheReadInputTokens, cacheWriteInputTokenCount: usage.cacheWriteInputTokens }),
      },
    }),
  );
  return events;
}
