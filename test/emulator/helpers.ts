import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

/** Test credentials (fake, only meaningful to the emulator). */
export const CREDENTIALS = { accessKeyId: 'AKIAEMULATORTEST0001', secretAccessKey: 'emulator-secret-key' } as const;

export const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
export const HAIKU = 'global.anthropic.claude-haiku-4-5-20251001-v1:0';
export const NOVA = 'us.amazon.nova-pro-v1:0';

/**
 * `n` distinct short words. By the emulator tokenizer's rules each is exactly 1 token
 * (a word of ≤ 8 letters) and whitespace is free, so the text is exactly `n` tokens.
 */
export function words(n: number, seed = 'w'): string {
  return Array.from({ length: n }, (_, i) => `${seed}${i.toString(36)}`).join(' ');
}

/** A cachePoint block. */
export const cachePoint = (ttl?: '5m' | '1h') => ({ cachePoint: { type: 'default', ...(ttl ? { ttl } : {}) } });

/** A controllable clock for the emulator's `now`. */
export function testClock(start = 1_000_000) {
  let time = start;
  return {
    now: () => time,
    advance(ms: number) {
      time += ms;
    },
  };
}

export const MINUTE = 60_000;

/** Decodes an AWS event-stream body into `{ eventType, messageType, payload }` records. */
export async function decodeEventStream(response: Response) {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const events: Array<{ messageType: string; eventType: string; payload: any }> = [];
  let offset = 0;
  while (offset < bytes.length) {
    const length = new DataView(bytes.buffer, bytes.byteOffset + offset).getUint32(0, false);
    const message = codec.decode(bytes.subarray(offset, offset + length));
    events.push({
      messageType: String(message.headers[':message-type']?.value),
      eventType: String(message.headers[':event-type']?.value),
      payload: JSON.parse(toUtf8(message.body)),
    });
    offset += length;
  }
  return events;
}

/** A minimal Converse body. */
export function converseBody(overrides: Record<string, unknown> = {}) {
  return { messages: [{ role: 'user', content: [{ text: 'hello' }] }], ...overrides };
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected the promise to reject');
}
