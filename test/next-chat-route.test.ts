import { parseJsonEventStream, readUIMessageStream, uiMessageChunkSchema, type UIMessage, type UIMessageChunk } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEnvironment, EMULATOR_CREDENTIALS, emulatorEnvironment } from '../scripts/examples';
import { startBedrockEmulator, type RunningBedrockEmulator } from '../src/emulator';

type CacheUsage = { inputTokens: number; cacheReadInputTokens: number; cacheWriteInputTokens: number };
type ChatMessage = UIMessage<{ cache?: CacheUsage }>;

describe('Next.js route handler (examples/next-chat/app/api/chat/route.ts)', () => {
  let emulator: RunningBedrockEmulator;
  let restoreEnvironment: () => void;
  let POST: (request: Request) => Promise<Response>;

  beforeAll(async () => {
    emulator = await startBedrockEmulator({ port: 0, credentials: EMULATOR_CREDENTIALS });
    // the route uses the default `bedrock` provider, configured by the environment as in a deployment
    restoreEnvironment = applyEnvironment(emulatorEnvironment(emulator.url));
    ({ POST } = await import('../examples/next-chat/app/api/chat/route'));
  });
  afterAll(async () => {
    restoreEnvironment();
    await emulator.close();
  });

  /** What useChat does: POST the conversation, read the UI message stream to its end. */
  async function turn(messages: ChatMessage[]) {
    const response = await POST(
      new Request('http://localhost:3000/api/chat', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'chat-1', messages, trigger: 'submit-message' }),
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    const [forChunks, forMessage] = parseJsonEventStream({ stream: response.body!, schema: uiMessageChunkSchema })
      .pipeThrough(
        new TransformStream({
          transform(result, controller) {
            if (!result.success) throw result.error;
            controller.enqueue(result.value);
          },
        }),
      )
      .tee();
    const chunks: UIMessageChunk[] = [];
    const collecting = (async () => {
      const reader = forChunks.getReader();
      for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
    })();
    let message: ChatMessage | undefined;
    for await (const update of readUIMessageStream<ChatMessage>({ stream: forMessage, terminateOnError: true })) message = update;
    await collecting;
    return { message: message!, chunks };
  }

  it('streams answers whose cache usage shows the second turn reading the first', async () => {
    const conversation: ChatMessage[] = [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Where is my order 1042?' }] }];
    const first = await turn(conversation);
    expect(first.chunks.at(-1)?.type).toBe('finish'); // read to the end
    expect(first.message.parts.some((part) => part.type === 'text' && part.text.length > 0)).toBe(true);
    const firstCache = first.message.metadata?.cache;
    expect(firstCache?.cacheReadInputTokens).toBe(0);
    expect(firstCache?.cacheWriteInputTokens).toBeGreaterThan(1000); // the system prompt and question

    conversation.push(first.message, { id: 'u2', role: 'user', parts: [{ type: 'text', text: 'Can I still return it next month?' }] });
    const second = await turn(conversation);
    expect(second.chunks.at(-1)?.type).toBe('finish');
    const secondCache = second.message.metadata?.cache;
    // everything the first turn wrote is read back; only the new turn is written
    expect(secondCache?.cacheReadInputTokens).toBe(firstCache?.cacheWriteInputTokens);
    expect(secondCache?.cacheWriteInputTokens).toBeGreaterThan(0);
    expect(secondCache?.cacheWriteInputTokens).toBeLessThan(200);

    expect(emulator.requests.map((r) => [r.operation, r.status])).toEqual([
      ['ConverseStream', 200],
      ['ConverseStream', 200],
    ]);
    expect(emulator.requests[1]!.usage?.cacheReadInputTokens).toBe(secondCache?.cacheReadInputTokens);
  });
});
