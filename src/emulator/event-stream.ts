import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** One event of an AWS event stream: `:event-type` and its JSON payload. */
export interface StreamEvent {
  eventType: string;
  payload: unknown;
}

/**
 * Encodes events as AWS event-stream binary frames (shared doc §8): headers
 * `:message-type: event`, `:event-type`, `:content-type: application/json`, body = JSON.
 */
export function encodeEventFrame(event: StreamEvent): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: event.eventType },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify(event.payload)),
  });
}

/** An `application/vnd.amazon.eventstream` response carrying the events, one frame per chunk. */
export function eventStreamResponse(events: readonly StreamEvent[], headers: Record<string, string>): Response {
  const frames = events.map(encodeEventFrame);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const frame of frames) controller.enqueue(frame);
      controller.close();
    },
  });
  return new Response(body, {
    status: 200,
    headers: { ...headers, 'content-type': 'application/vnd.amazon.eventstream' },
  });
}
