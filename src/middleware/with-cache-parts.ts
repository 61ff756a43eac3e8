import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';
import type { CallContext } from './call-context';

/**
 * The response stream as the caller sees it: the call's warnings on `stream-start`, the
 * cache usage on `finish` (from `onFinish`), and the fan-out told when the response began
 * (or failed, on an early error part or a stream that ends without one).
 */
export function withCacheParts(
  stream: ReadableStream<LanguageModelV3StreamPart>,
  context: CallContext,
  onFinish: (part: Extract<LanguageModelV3StreamPart, { type: 'finish' }>) => Promise<LanguageModelV3StreamPart>,
): ReadableStream<LanguageModelV3StreamPart> {
  return stream.pipeThrough(
    new TransformStream<LanguageModelV3StreamPart, LanguageModelV3StreamPart>({
      async transform(part, controller) {
        // the response began: calls waiting for this prefix may go (an early error part: it failed)
        if (part.type === 'error') context.turn?.failed();
        else context.turn?.began();
        if (part.type === 'stream-start' && context.warnings.length > 0) {
          controller.enqueue({ ...part, warnings: [...part.warnings, ...context.warnings] });
        } else if (part.type === 'finish' && context.isBedrock) {
          controller.enqueue(await onFinish(part));
        } else {
          controller.enqueue(part);
        }
      },
      flush: () => context.turn?.failed(),
    }),
  );
}
