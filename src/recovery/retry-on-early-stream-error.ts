import type { LanguageModelV3StreamPart, LanguageModelV3StreamResult } from '@ai-sdk/provider';

/** Parts that come before anything the caller could have acted on. */
const PREAMBLE = new Set<LanguageModelV3StreamPart['type']>(['stream-start', 'response-metadata']);

/**
 * A stream whose first real part is a cache rejection (an exception event before any
 * content) is replaced by a retry; any other stream is passed on unchanged, its first
 * parts included.
 */
export async function retryOnEarlyStreamError<Rejection>(
  result: LanguageModelV3StreamResult,
  rejection: (error: unknown) => Rejection | undefined,
  retry: (rejection: Rejection) => Promise<LanguageModelV3StreamResult>,
): Promise<LanguageModelV3StreamResult> {
  const reader = result.stream.getReader();
  const buffered: LanguageModelV3StreamPart[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (PREAMBLE.has(value.type)) {
      buffered.push(value);
      continue;
    }
    const found = value.type === 'error' ? rejection(value.error) : undefined;
    if (found !== undefined) {
      await reader.cancel();
      return retry(found);
    }
    buffered.push(value);
    break;
  }
  const stream = new ReadableStream<LanguageModelV3StreamPart>({
    start(controller) {
      for (const part of buffered) controller.enqueue(part);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { ...result, stream };
}
