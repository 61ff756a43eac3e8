/**
 * Drives app/api/chat/route.ts from the terminal the way `useChat` does: POSTs the
 * conversation as UI messages, reads the UI message stream back, two turns. The second
 * turn's cache usage (sent by the route as message metadata) shows the first turn read back.
 *
 *   npm run example:next-chat            (local Bedrock emulator)
 *   npm run example:next-chat -- --live  (Amazon Bedrock; AWS_REGION and credentials)
 */
import { parseJsonEventStream, readUIMessageStream, uiMessageChunkSchema, type UIMessage } from 'ai';
import { POST } from './app/api/chat/route';

type CacheUsage = { inputTokens?: number; cacheReadInputTokens?: number; cacheWriteInputTokens?: number };
type ChatMessage = UIMessage<{ cache?: CacheUsage }>;

async function send(messages: ChatMessage[]): Promise<ChatMessage> {
  const response = await POST(
    new Request('http://localhost:3000/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'terminal-chat', messages, trigger: 'submit-message' }),
    }),
  );
  if (!response.ok || !response.body) throw new Error(`POST /api/chat: HTTP ${response.status}`);
  const chunks = parseJsonEventStream({ stream: response.body, schema: uiMessageChunkSchema }).pipeThrough(
    new TransformStream({
      transform(result, controller) {
        if (!result.success) throw result.error;
        controller.enqueue(result.value);
      },
    }),
  );
  let message: ChatMessage | undefined;
  for await (const update of readUIMessageStream<ChatMessage>({ stream: chunks, terminateOnError: true })) message = update;
  if (!message) throw new Error('empty UI message stream');
  return message;
}

const conversation: ChatMessage[] = [];
for (const [i, question] of ['Where is my order 1042?', 'Can I still return it next month?'].entries()) {
  conversation.push({ id: `user-${i}`, role: 'user', parts: [{ type: 'text', text: question }] });
  const answer = await send(conversation);
  conversation.push(answer);
  const text = answer.parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
  const cache = answer.metadata?.cache;
  console.log(`> ${question}\n${text}`);
  console.log(`  cache: ${cache?.cacheReadInputTokens ?? 0} read, ${cache?.cacheWriteInputTokens ?? 0} written, ${cache?.inputTokens ?? 0} uncached\n`);
}
