'use client';

import { useChat } from '@ai-sdk/react';
import type { UIMessage } from 'ai';
import { useState } from 'react';

/** What app/api/chat/route.ts attaches to each response: Bedrock's cache usage. */
type ChatMessage = UIMessage<{ cache?: { inputTokens?: number; cacheReadInputTokens?: number; cacheWriteInputTokens?: number } }>;

export default function Chat() {
  // posts the conversation to /api/chat and reads the UI message stream back
  const { messages, sendMessage, status } = useChat<ChatMessage>();
  const [input, setInput] = useState('');

  return (
    <main>
      <h1>Support chat</h1>
      {messages.map((message) => (
        <div key={message.id} style={{ margin: '1rem 0' }}>
          <strong>{message.role === 'user' ? 'You' : 'Assistant'}: </strong>
          {message.parts.map((part, i) => (part.type === 'text' ? <span key={i}>{part.text}</span> : null))}
          {message.metadata?.cache && (
            <div style={{ fontSize: '0.8rem', color: '#666' }}>
              cache: {message.metadata.cache.cacheReadInputTokens ?? 0} read, {message.metadata.cache.cacheWriteInputTokens ?? 0} written,{' '}
              {message.metadata.cache.inputTokens ?? 0} uncached
            </div>
          )}
        </div>
      ))}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!input.trim()) return;
          void sendMessage({ text: input });
          setInput('');
        }}
      >
        <input value={input} onChange={(event) => setInput(event.target.value)} placeholder="Ask about an order…" disabled={status !== 'ready'} style={{ width: '80%' }} />
        <button type="submit" disabled={status !== 'ready'}>
          Send
        </button>
      </form>
    </main>
  );
}
