import { APICallError } from '@ai-sdk/provider';

/**
 * Bedrock's texts for requests it rejects because of their cache checkpoints
 * (../shared/docs/bedrock-caching.md §1, §3, §5), with a short name for warnings.
 */
const CACHE_REJECTIONS: ReadonlyArray<readonly [needle: string, name: string]> = [
  ['A maximum of 4 blocks with cache_control may be provided', 'more than 4 checkpoints'],
  ["cache_control block must not come after a ttl='5m' cache_control block", 'TTL order'],
  ['There is nothing available to cache', 'a checkpoint with nothing before it'],
  ['Cache point cannot be inserted after reasoning block', 'a checkpoint after a reasoning block'],
  ['your request did not allow prompt caching', 'the model or region does not cache'],
  ['extraneous key [cachePoint] is not permitted', 'a checkpoint the model does not accept'],
];

/** Looser matches, trusted only on an HTTP 400/403 from Bedrock itself. */
const CACHE_MENTIONS: ReadonlyArray<readonly [needle: string, name: string]> = [
  ['cache_control', 'an invalid cache_control'],
  ['cachePoint', 'an invalid cachePoint'],
];

/**
 * Why Bedrock rejected a request because of its cache checkpoints, or undefined for
 * any other error (those are never retried by this middleware). Only HTTP 400 and 403
 * count: throttling and server errors are the AI SDK's own retries' business.
 */
export function cacheRejection(error: unknown): string | undefined {
  if (APICallError.isInstance(error)) {
    if (error.statusCode !== 400 && error.statusCode !== 403) return undefined;
    const text = `${error.message}\n${error.responseBody ?? ''}`;
    return [...CACHE_REJECTIONS, ...CACHE_MENTIONS].find(([needle]) => text.includes(needle))?.[1];
  }
  // An exception event inside a stream (e.g. a validationException frame): its message only.
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  if (typeof message !== 'string') return undefined;
  return CACHE_REJECTIONS.find(([needle]) => message.includes(needle))?.[1];
}
