/**
 * A Next.js App Router route handler: `useChat` posts the conversation here, the
 * wrapped model caches it, and the UI message stream goes back to the browser.
 */
import { bedrock } from '@ai-sdk/amazon-bedrock';
import { convertToModelMessages, streamText, wrapLanguageModel, type UIMessage } from 'ai';
import { bedrockCacheMiddleware } from 'ai-sdk-bedrock-cache';

// Created once per server instance, reused by every request.
const model = wrapLanguageModel({
  model: bedrock('us.anthropic.claude-sonnet-4-5-20250929-v1:0'),
  middleware: bedrockCacheMiddleware(),
});

const system = `You are the support assistant of an online shop.\n\n${'Orders ship within two days; returns are free within 30 days. '.repeat(120)}`;

export async function POST(request: Request): Promise<Response> {
  const { messages }: { messages: UIMessage[] } = await request.json();
  const result = streamText({ model, system, messages: await convertToModelMessages(messages) });
  return result.toUIMessageStreamResponse({
    // send each response's cache usage to the client as message metadata
    messageMetadata: ({ part }) =>
      part.type === 'finish-step' ? { cache: part.providerMetadata?.bedrock?.usage } : undefined,
  });
}
